from __future__ import annotations

from decimal import Decimal

from django import forms

from tandem.accounts.models import User
from tandem.core import markdown
from tandem.core.forms import (  # noqa: F401 - ConfirmForm re-exported
    ConfirmForm,
    PeopleChoiceField,
    ScopedItemForm,
    VersionedForm,
)
from tandem.core.params import SEARCH_LIMIT
from tandem.partners.models import Cadence, Horizon, Kind, Stage
from tandem.partners.services import members_of


class PartnershipForm(VersionedForm):
    name = forms.CharField(label="Partner company", max_length=120)
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    summary = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="What the partnership is for, in a sentence or two.",
    )
    kind = forms.ChoiceField(choices=Kind.choices)
    horizon = forms.ChoiceField(choices=Horizon.choices)
    stage = forms.ChoiceField(
        choices=Stage.choices,
        help_text="Active comes after a go decision from due diligence.",
    )
    owner = PeopleChoiceField(
        label="Day-to-day owner",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not set",
        help_text="The person who runs it week to week — rarely an executive.",
    )
    sponsor = PeopleChoiceField(
        label="Executive sponsor",
        queryset=User.objects.none(),
        required=False,
        empty_label="Not set",
    )
    cadence = forms.ChoiceField(label="Meeting cadence", choices=Cadence.choices)
    hours_per_week = forms.DecimalField(
        label="Hours per week committed",
        min_value=Decimal("0"),
        max_value=Decimal("80"),
        max_digits=4,
        decimal_places=1,
        initial=Decimal("2.0"),
    )

    field_order = ["name", "website", "summary", "kind", "horizon", "stage", "owner", "sponsor"]

    def __init__(self, *args: object, workspace_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Choices come from the workspace's own members, never from every user.
        people = members_of(workspace_id)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["sponsor"].queryset = people  # type: ignore[attr-defined]


class ContactForm(ScopedItemForm):
    name = forms.CharField(max_length=120)
    email = forms.EmailField(required=False, label="E-mail")
    title = forms.CharField(required=False, max_length=120, label="Job title")
    phone = forms.CharField(required=False, max_length=40)


class NoteForm(ScopedItemForm):
    title = forms.CharField(max_length=160)
    body = forms.CharField(
        required=False,
        max_length=markdown.MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Markdown: **bold**, *italic*, lists and links.",
    )


class PartnerInviteForm(forms.Form):
    email = forms.EmailField(
        label="Partner-side person's e-mail",
        max_length=254,
        widget=forms.EmailInput(attrs={"placeholder": "name@partner.com"}),
    )


class PortfolioFilterForm(forms.Form):
    q = forms.CharField(required=False, max_length=SEARCH_LIMIT, label="Search")
    stage = forms.ChoiceField(required=False, choices=[("", "All stages"), *Stage.choices])
    horizon = forms.ChoiceField(required=False, choices=[("", "All horizons"), *Horizon.choices])
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *Kind.choices])
    owner = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    sort = forms.ChoiceField(
        required=False,
        choices=[
            ("name", "Name A–Z"),
            ("-name", "Name Z–A"),
            ("stage", "Stage"),
            ("-updated", "Recently updated"),
            ("-hours", "Most hours"),
        ],
    )
    archived = forms.BooleanField(required=False, label="Archived")

    def __init__(self, *args: object, workspace_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["owner"].choices = [  # type: ignore[attr-defined]
            ("", "Any owner"),
            *((user.pk, user.get_full_name()) for user in members_of(workspace_id)),
        ]
