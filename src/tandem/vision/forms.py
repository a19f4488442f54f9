from __future__ import annotations

from typing import Any

from django import forms

from tandem.traction.forms import OwnedItemForm
from tandem.vision.models import Horizon, a_year_from_now


class GoalForm(OwnedItemForm):
    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "Where will the partnership be?"}),
    )
    target = forms.CharField(
        label="Measurable target",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. $400k partner-sourced revenue"}),
    )
    horizon = forms.ChoiceField(label="Kind", choices=Horizon.choices, initial=Horizon.ONE_YEAR)
    due_on = forms.DateField(
        label="By", widget=forms.DateInput(attrs={"type": "date"}), initial=a_year_from_now
    )

    field_order = ["title", "target", "horizon", "due_on", "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].empty_label = "No owner"  # type: ignore[attr-defined]
