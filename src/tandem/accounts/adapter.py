from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """allauth as it comes; the sign-up form creates the workspace (see forms.SignupForm)."""

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        # Wrong passwords are counted once, by accounts.throttling in the database, which
        # answers a paused sign-in with its own page. allauth's count lives in each process's
        # memory, so the two would answer by turns. (Its count of wrong two-factor codes,
        # which shares the "login_failed" limit, stays.)
        return None
