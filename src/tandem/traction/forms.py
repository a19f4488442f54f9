from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, OwnedItemForm, form_field
from tandem.core.scope import Scope
from tandem.traction.models import Milestone, Rock, RockStatus, Todo, default_due
from tandem.traction.quarters import requested_quarter
from tandem.vision.models import Goal, Horizon
from tandem.vision.selectors import goals_for


class TodoForm(OwnedItemForm):
    class Meta:
        model = Todo
        fields = ("title", "owner", "due_on", "repeat", "details")
        labels = {"due_on": "Due"}
        placeholders = {"title": "What needs doing?"}
        initial = {"due_on": default_due}


class RockForm(OwnedItemForm):
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
    quarter: tuple[int, int]  # a new rock's (year, quarter)

    class Meta:
        model = Rock
        fields = ("title", "owner", "due_on", "status", "goal", "details")
        placeholders = {"title": "What must be true in 90 days?"}

    @classmethod
    def for_request(cls, request: Any, partnership: Scope, **kwargs: Any) -> Any:
        form = super().for_request(request, partnership, **kwargs)
        goals = goals_for(request.actor, partnership, horizon=Horizon.ONE_YEAR)
        form.fields["goal"].queryset = goals  # type: ignore[attr-defined]
        form.quarter = requested_quarter(request)  # a new rock's: ``?quarter=2026-4``
        return form

    def clean_due_on(self) -> Any:
        """Left empty: the quarter's last day for a new rock; an edit keeps the date."""
        return self.cleaned_data["due_on"] or self.initial.get("due_on")

    def values(self) -> dict[str, Any]:
        data = super().values()
        if not self.initial.get("version"):  # a new rock: on track, for the quarter asked
            data.pop("status", None)
            data["year"], data["quarter"] = self.quarter
        elif not data.get("status"):
            data.pop("status", None)
        return data


class MilestoneForm(forms.Form):
    title = form_field(Milestone._meta.get_field("title"), placeholder="Milestone")
    due_on = form_field(Milestone._meta.get_field("due_on"), label="Due")
