from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, OwnedItemForm, form_field
from tandem.relationship.communication.models import PlanEntry


class PlanEntryForm(OwnedItemForm):
    starts_on = form_field(
        PlanEntry._meta.get_field("starts_on"),
        required=False,
        help_text="Today if left empty; the cadence counts from this day.",
    )

    class Meta:
        model = PlanEntry
        help_texts = {"topic": "", "audience": ""}
        placeholders = {
            "topic": "e.g. Product updates and roadmap",
            "audience": "e.g. Partner sales team",
        }

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
