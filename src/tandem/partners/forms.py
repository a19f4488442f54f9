from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import Field

from tandem.core.forms import ScopedItemForm, VersionedForm, form_field
from tandem.core.params import SEARCH_LIMIT
from tandem.partners.models import Contact, Horizon, Kind, Note, Partnership, Stage
from tandem.partners.services import members_of


def _field(name: str, **options: Any) -> forms.Field:
    """The form field for the partnership's field ``name``, read from the model."""
    return form_field(cast("Field[Any, Any]", Partnership._meta.get_field(name)), **options)


class PartnershipForm(VersionedForm):
    name = _field("name")
    website = forms.URLField(required=False, max_length=200, assume_scheme="https")
    summary = _field("summary")
    kind = _field("kind", initial=None)
    horizon = _field("horizon", initial=None)
    stage = _field(
        "stage", initial=None, help_text="Active comes after a go decision from due diligence."
    )
    owner = _field(
        "owner",
        empty_label="Not set",
        help_text="The person who runs it week to week — rarely an executive.",
    )
    sponsor = _field("sponsor", empty_label="Not set")
    cadence = _field("cadence", initial=None)
    hours_per_week = _field("hours_per_week")  # 0–80, as the model bounds it

    def __init__(self, *args: object, workspace_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Choices come from the workspace's own members, never from every user.
        people = members_of(workspace_id)
        self.fields["owner"].queryset = people  # type: ignore[attr-defined]
        self.fields["sponsor"].queryset = people  # type: ignore[attr-defined]


class ContactForm(ScopedItemForm):
    email = forms.EmailField(required=False, label="E-mail")

    class Meta:
        model = Contact


class NoteForm(ScopedItemForm):
    class Meta:
        model = Note
        widgets = {"body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"body": "Markdown: **bold**, *italic*, lists and links."}


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
