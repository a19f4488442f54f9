from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.password_validation import validate_password

from tandem.accounts.models import ROLE_CHOICES, Level, User
from tandem.accounts.services import workspace_create
from tandem.core.access import Role
from tandem.core.text import LineField


class SignupForm(forms.Form):
    """allauth's sign-up, plus a name and the workspace it creates."""

    name = LineField(max_length=120, label="Your name")
    workspace = LineField(
        max_length=120,
        label="Company or program name",
        help_text="Your workspace: where your partnerships live. You can invite colleagues later.",
    )

    def signup(self, request: Any, user: User) -> None:
        user.name = self.cleaned_data["name"].strip()
        user.save(update_fields=["name"])
        workspace_create(user=user, name=self.cleaned_data["workspace"])


class MemberInviteForm(forms.Form):
    email = forms.EmailField(
        label="E-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"placeholder": "colleague@company.com"}),
    )
    role = forms.ChoiceField(choices=ROLE_CHOICES, initial=Role.MEMBER)


class RoleForm(forms.Form):
    role = forms.ChoiceField(choices=ROLE_CHOICES)


class LevelForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    level = forms.ChoiceField(choices=Level.choices)


class TokenForm(forms.Form):
    name = LineField(
        max_length=80,
        label="Token name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. CRM sync"}),
        help_text="So you recognise it later.",
    )


class AcceptSignupForm(forms.Form):
    """A new person accepting an invitation: the e-mail is the invitation's."""

    name = LineField(max_length=120, label="Your name")
    password = forms.CharField(widget=forms.PasswordInput, label="Choose a password")

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        validate_password(password, User(email=self.email, name=self.data.get("name", "")))
        return password
