from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, OwnedItemForm
from tandem.core.scope import Scope
from tandem.traction.models import Repeat, RockStatus, default_due
from tandem.vision.models import Goal, Horizon
from tandem.vision.selectors import goals_for


class TodoForm(OwnedItemForm):
    title = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": "What needs doing?"})
    )
    due_on = DayField(label="Due", initial=default_due)
    repeat = forms.ChoiceField(choices=Repeat.choices, required=False)
    details = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["title", "owner", "due_on", "repeat", "details"]


class RockForm(OwnedItemForm):
    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "What must be true in 90 days?"}),
    )
    due_on = DayField(
        label="Due", required=False, help_text="The quarter's last day if left empty."
    )
    status = forms.ChoiceField(choices=RockStatus.choices, required=False)
    goal = forms.ModelChoiceField(
        queryset=Goal.objects.none(),
        required=False,
        label="1-year goal",
        empty_label="No goal",
        help_text="The goal this rock moves forward.",
    )
    details = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["title", "owner", "due_on", "status", "goal", "details"]

    @classmethod
    def for_request(cls, request: Any, partnership: Scope, **kwargs: Any) -> Any:
        form = super().for_request(request, partnership, **kwargs)
        goals = goals_for(request.actor, partnership, horizon=Horizon.ONE_YEAR)
        form.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        return form

    def values(self) -> dict[str, Any]:
        data = super().values()
        if not data.get("status"):
            data.pop("status", None)
        return data


class MilestoneForm(forms.Form):
    title = forms.CharField(
        max_length=200, widget=forms.TextInput(attrs={"placeholder": "Milestone"})
    )
    due_on = DayField(label="Due")
