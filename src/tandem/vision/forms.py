from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import OwnedItemForm
from tandem.core.scope import Scope
from tandem.vision.models import Goal, a_year_from_now
from tandem.vision.values.selectors import company_goals


class GoalForm(OwnedItemForm):
    class Meta:
        model = Goal
        fields = ("title", "target", "horizon", "due_on", "owner")
        labels = {"horizon": "Kind"}
        help_texts = {"target": ""}  # the placeholder gives an example instead
        placeholders = {
            "title": "Where will the partnership be?",
            "target": "e.g. $400k partner-sourced revenue",
        }
        initial = {"due_on": a_year_from_now}

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
