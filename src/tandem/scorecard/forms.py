"""Forms of the scorecard pages. They only carry what people typed: the services parse
numbers in the measurable's unit and check formulas, so the API gets the same rules."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.access import Visibility
from tandem.core.forms import PeopleChoiceField, VersionedForm, visibility_field
from tandem.core.http import TandemRequest
from tandem.core.policy import people_of
from tandem.core.scope import Scope
from tandem.scorecard.models import Aggregate, Comparator, Frequency, Measurable, Unit
from tandem.scorecard.services import formula_text
from tandem.scorecard.units import as_input

FORMULA_HELP = (
    "Leave empty to enter values by hand. Or compute it from other measurables of this"
    " scorecard with the same frequency, named in braces: {Deals won} / {Leads referred} * 100."
    " Use + − × ÷ (or + - * /) and parentheses. A missing value or a division by zero gives"
    " a missing result."
)


class MeasurableForm(VersionedForm):
    title = forms.CharField(
        max_length=120, widget=forms.TextInput(attrs={"placeholder": "Leads referred"})
    )
    owner = PeopleChoiceField(queryset=None, required=False, empty_label="Me")
    frequency = forms.ChoiceField(choices=Frequency.choices, initial=Frequency.WEEKLY)
    unit = forms.ChoiceField(choices=Unit.choices, initial=Unit.NUMBER)
    currency = forms.CharField(
        max_length=3, required=False, initial="USD", help_text="For currency: USD, EUR, GBP …"
    )
    comparator = forms.ChoiceField(
        label="On track when the value is", choices=Comparator.choices, initial="gte"
    )
    goal = forms.CharField(
        max_length=40,
        required=False,
        help_text="In the unit: 12, 45%, $1,200, yes, 1:30. Empty: no colours.",
    )
    goal_high = forms.CharField(
        label="Top of the range", max_length=40, required=False, help_text="For “within range”."
    )
    aggregate = forms.ChoiceField(
        label="Total column",
        choices=[("", "Automatic (average for percent and yes/no)"), *Aggregate.choices],
        required=False,
    )
    formula = forms.CharField(
        max_length=500,
        required=False,
        help_text=FORMULA_HELP,
        widget=forms.TextInput(attrs={"placeholder": "{Deals won} / {Leads referred} * 100"}),
    )
    description = forms.CharField(
        required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(
        self, *args: Any, partnership: Scope, can_choose_visibility: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_of(partnership)  # type: ignore[attr-defined]
        if self.initial.get("version"):
            self.fields["owner"].empty_label = "No owner"  # type: ignore[attr-defined]
        if can_choose_visibility:
            self.fields["visibility"] = visibility_field()

    @classmethod
    def for_request(
        cls, request: TandemRequest, partnership: Scope, **kwargs: Any
    ) -> MeasurableForm:
        return cls(
            request.POST or None,
            partnership=partnership,
            can_choose_visibility=request.actor.is_member(partnership.workspace_id)
            and not partnership.is_program,
            **kwargs,
        )

    @staticmethod
    def initial_for(measurable: Measurable) -> dict[str, Any]:
        initial = {name: getattr(measurable, name) for name in Measurable.concurrency_fields}
        initial["goal"] = as_input(measurable.unit, measurable.goal)
        initial["goal_high"] = as_input(measurable.unit, measurable.goal_high)
        initial["formula"] = formula_text(measurable)
        initial["version"] = measurable.version
        return initial

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data.setdefault("visibility", Visibility.SHARED)
        data["currency"] = data.get("currency") or "USD"
        return data


class CellForm(forms.Form):
    value = forms.CharField(max_length=40, required=False, strip=True)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class PeriodGoalForm(forms.Form):
    goal = forms.CharField(
        label="Goal for this period",
        max_length=40,
        required=False,
        help_text="Empty: back to the usual goal.",
    )
    goal_high = forms.CharField(label="Top of the range", max_length=40, required=False)
    goal_note = forms.CharField(
        label="Why this period is different",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "Holiday week: half the team is out"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
