from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django import forms
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """allauth as it comes; the sign-up form creates the workspace (see forms.SignupForm)."""

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        # django-axes refused the attempt before the password was even checked: say so,
        # instead of the usual "e-mail or password is not correct".
        if getattr(request, "axes_locked_out", False):
            raise forms.ValidationError(
                "Too many sign-in attempts. Sign-in for this address is paused for 15 minutes;"
                " you can also reset your password by e-mail.",
                code="locked_out",
            )
