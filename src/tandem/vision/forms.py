from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.access import Actor, Visibility
from tandem.core.forms import (
    DayField,
    OwnedItemForm,
    ScopedItemForm,
    VersionedForm,
    visibility_field,
)
from tandem.core.sides import OURS, side_name
from tandem.vision.models import Horizon, a_year_from_now
from tandem.vision.values.selectors import company_goals, program_values


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

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
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


class ValueForm(ScopedItemForm):
    """A program value, or a partner's stated value with the program value it matches."""

    name = forms.CharField(
        max_length=80, widget=forms.TextInput(attrs={"placeholder": "e.g. Customer first"})
    )
    meaning = forms.CharField(
        label="In practice",
        required=False,
        max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "One line both sides would recognise"}),
    )

    @classmethod
    def for_request(cls, request: Any, partnership: Any, **kwargs: Any) -> Any:
        return super().for_request(request, partnership, actor=request.actor, **kwargs)

    def __init__(self, *args: Any, partnership: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        if partnership.is_program:
            # Stated to every partner unless the program keeps it to itself.
            self.default_visibility = Visibility.SHARED
            self.fields["visibility"] = visibility_field()
            self.fields["visibility"].choices = [  # type: ignore[attr-defined]
                (Visibility.SHARED, "Shown to our partners"),
                (Visibility.INTERNAL, "Internal — only our workspace"),
            ]
        if not partnership.is_program:
            # Only members choose a visibility: that is how the form knows the reader's side.
            ours = side_name(OURS, "visibility" in self.fields, partnership)
            values = program_values(actor, partnership.workspace_id)
            self.fields["matches"] = forms.ModelChoiceField(
                queryset=values,
                required=False,
                label="Matches our value" if ours.yours else f"Matches {ours.possessive} value",
                empty_label="None of ours" if ours.yours else f"None of {ours.possessive}",
            )
            match = self.initial.get("matches")
            if match is not None and not values.filter(pk=match.pk).exists():
                # Matched (by a member) with a value this person doesn't see: not theirs
                # to change, and offering the choice would name it.
                del self.fields["matches"]
            if "visibility" in self.fields:  # after "matches", as on the page
                self.fields["visibility"] = self.fields.pop("visibility")


class CompanyGoalForm(VersionedForm):
    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Grow net revenue retention to 115%"}),
    )
    target = forms.CharField(label="Measurable target", required=False, max_length=200)

    @classmethod
    def for_request(cls, request: Any, partnership: Any, **kwargs: Any) -> Any:
        return cls(request.POST or None, **kwargs)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}
