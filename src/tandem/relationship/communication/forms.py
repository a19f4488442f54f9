from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, OwnedItemForm
from tandem.partners.models import Cadence
from tandem.relationship.communication.models import Channel


class PlanEntryForm(OwnedItemForm):
    topic = forms.CharField(
        label="Topic",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Product updates and roadmap"}),
    )
    channel = forms.ChoiceField(choices=Channel.choices, initial=Channel.EMAIL)
    cadence = forms.ChoiceField(choices=Cadence.choices, initial=Cadence.MONTHLY)
    audience = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Partner sales team"}),
    )
    starts_on = DayField(
        label="First touch on",
        required=False,
        help_text="Today if left empty; the cadence counts from this day.",
    )

    field_order = ["topic", "channel", "cadence", "audience", "owner", "starts_on"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].empty_label = "No owner"  # type: ignore[attr-defined]


class TouchForm(forms.Form):
    planned_on = DayField()
    happened = forms.TypedChoiceField(
        choices=[("1", "Happened"), ("0", "Missed")], coerce=lambda value: value == "1"
    )
    note = forms.CharField(required=False, max_length=500)
    seen = forms.ChoiceField(
        choices=[("none", "none"), ("happened", "happened"), ("missed", "missed")],
        required=False,
    )

    def clean_seen(self) -> str | None:
        return self.cleaned_data.get("seen") or None
