"""Forms of the scorecard pages. They only carry what people typed: the services parse
numbers in the measurable's unit and check formulas, so the API gets the same rules."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import OwnedItemForm, VersionedForm
from tandem.scorecard.models import Aggregate, Measurable, Source
from tandem.scorecard.services import formula_text
from tandem.scorecard.units import as_input

FORMULA_HELP = (
    "Leave empty to enter values by hand. Or compute it from other measurables of this"
    " scorecard with the same frequency, named in braces: {Deals won} / {Leads referred} * 100."
    " Use + − × ÷ (or + - * /) and parentheses. A missing value or a division by zero gives"
    " a missing result."
)


class MeasurableForm(OwnedItemForm):
    # Goals are typed in the measurable's unit (12, 45%, $1,200, yes, 1:30): text, not numbers.
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
    # Not required: a form that leaves it out (an older page) keeps values typed by hand.
    source = forms.ChoiceField(
        label="Values",
        choices=Source.choices,
        required=False,
        help_text="Entered by hand, or filled in each period from the value exchange ledger or"
        " the pipeline (never typed). Money is shown in the workspace's base currency,"
        " converted at the rates entered; disputed ledger entries don't count.",
    )

    class Meta:
        model = Measurable
        labels = {"comparator": "On track when the value is"}
        help_texts = {
            "currency": "For currency: USD, EUR, GBP …",
            "formula": FORMULA_HELP,
        }
        placeholders = {
            "title": "Leads referred",
            "formula": "{Deals won} / {Leads referred} * 100",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    @staticmethod
    def initial_for(measurable: Measurable) -> dict[str, Any]:
        initial = {name: getattr(measurable, name) for name in Measurable.concurrency_fields}
        initial["goal"] = as_input(measurable.unit, measurable.goal)
        initial["goal_high"] = as_input(measurable.unit, measurable.goal_high)
        initial["formula"] = formula_text(measurable)
        initial["version"] = measurable.version
        return initial


class CellForm(forms.Form):
    value = forms.CharField(max_length=40, required=False, strip=True)
    version = forms.IntegerField(required=False, min_value=0, max_value=2**31 - 1)


class PeriodGoalForm(VersionedForm):
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
