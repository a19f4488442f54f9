from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Plain allauth; the sign-up form creates the workspace (see forms.SignupForm)."""
