from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils import timezone

from tandem.accounts.models import ROLE_CHOICES, Level, TokenAccess, User
from tandem.accounts.services import workspace_create
from tandem.core.access import Role
from tandem.core.forms import DayField
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


EXPIRY_CHOICES = [
    ("never", "Never"),
    ("30", "In 30 days"),
    ("90", "In 90 days"),
    ("365", "In a year"),
    ("date", "On a date…"),
]


class TokenForm(forms.Form):
    """A new token: its name, what it may do, and when it stops working. A form sent
    without the last two (an older page) makes what tokens always were: read and write,
    never expiring."""

    name = LineField(
        max_length=80,
        label="Token name",
        widget=forms.TextInput(attrs={"placeholder": "e.g. CRM sync"}),
        help_text="So you recognise it later.",
    )
    access = forms.ChoiceField(
        label="It may",
        choices=[(TokenAccess.READ, "Only read"), (TokenAccess.WRITE, "Read and change")],
        initial=TokenAccess.READ,
        required=False,
        widget=forms.RadioSelect,
        help_text="A read-only token is refused on every call that would change something.",
    )
    expires = forms.ChoiceField(
        label="Expires", choices=EXPIRY_CHOICES, initial="90", required=False
    )
    expires_on = DayField(
        label="Expiry date",
        required=False,
        help_text="With “On a date…”: it stops working at the end of that day, your time.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        data["access"] = data.get("access") or TokenAccess.WRITE
        data["expires_at"] = self._expires_at(data.get("expires") or "never", data)
        return data

    def _expires_at(self, expires: str, data: dict[str, Any]) -> datetime | None:
        if expires == "never":
            return None
        if expires != "date":
            return timezone.now() + timedelta(days=int(expires))
        day = data.get("expires_on")
        if day is None:
            if "expires_on" not in self.errors:
                self.add_error("expires_on", "Choose the day it expires.")
            return None
        zone = user_zone(self.user)
        if day <= timezone.now().astimezone(zone).date():
            self.add_error("expires_on", "Choose a day after today.")
            return None
        return datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)


def user_zone(user: User) -> ZoneInfo:
    """The person's own time zone (UTC when theirs is not known)."""
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


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
