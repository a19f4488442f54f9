from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, OwnedItemForm
from tandem.core.scope import Scope
from tandem.vision.models import Horizon, a_year_from_now
from tandem.vision.values.selectors import company_goals


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
    due_on = DayField(label="By", initial=a_year_from_now)

    field_order = ["title", "target", "horizon", "due_on", "owner"]

    def __init__(self, *args: Any, partnership: Scope, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["owner"].empty_label = "No owner"  # type: ignore[attr-defined]
        if partnership.is_program:
            self.fields["company_goal"] = forms.ModelChoiceField(
                queryset=company_goals(partnership.workspace_id),
                required=False,
                label="Serves company goal",
                empty_label="None yet",
                help_text="How the partner program moves the company forward.",
            )
