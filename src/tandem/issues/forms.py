from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, OwnedItemForm, PeopleChoiceField, VersionedForm
from tandem.core.policy import people_of
from tandem.core.scope import Scope
from tandem.issues.models import Issue
from tandem.traction.models import default_due

TODO_LINES = 3  # to-dos offered when solving; more can be added on the to-do list


class IssueForm(OwnedItemForm):
    class Meta:
        model = Issue
        fields = ("title", "owner", "term", "details")
        labels = {"term": "List"}
        placeholders = {"title": "What is in the way?"}


class TodoLineForm(forms.Form):
    """One to-do that comes out of a decision: a title, an owner, a due date."""

    title = forms.CharField(max_length=200, required=False, label="To-do")
    owner = PeopleChoiceField(queryset=None, required=False, empty_label="Me")
    due_on = DayField(label="Due", required=False)

    def __init__(self, *args: Any, scope: Scope, visibility: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(scope, visibility=visibility)  # type: ignore[attr-defined]
        self.fields["due_on"].initial = default_due


class SolveForm(VersionedForm):
    decision = forms.CharField(
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": "What did you decide?"}),
        error_messages={"required": "Write down what was decided."},
    )

    def __init__(self, *args: Any, scope: Scope, visibility: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = [
            TodoLineForm(
                self.data or None,
                prefix=f"todo{index}",
                scope=scope,
                visibility=visibility,
            )
            for index in range(TODO_LINES)
        ]

    def is_valid(self) -> bool:
        valid = super().is_valid()
        return all([valid, *(line.is_valid() for line in self.lines)])

    def filled(self) -> list[dict[str, Any]]:
        """The to-do lines given (title, owner, due date): a line without a title is empty."""
        return [line.cleaned_data for line in self.lines if line.cleaned_data.get("title")]


class MoveForm(VersionedForm):
    destination = forms.ChoiceField(label="Move to")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["destination"].choices = choices  # type: ignore[attr-defined]
