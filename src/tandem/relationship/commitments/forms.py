from __future__ import annotations

from typing import Any

from django import forms

from tandem.accounts.models import User
from tandem.core.forms import DayField, PeopleChoiceField, ScopedItemForm
from tandem.partners.services import members_of, partner_people_of
from tandem.relationship.commitments.models import Kind, Period, Side


class CommitmentForm(ScopedItemForm):
    """A commitment of either side. Partner-side people speak for their own side (no side
    and no visibility to choose); the owner is someone from the side that promised."""

    side = forms.ChoiceField(label="Who promises it", choices=Side.choices, initial=Side.OURS)
    kind = forms.ChoiceField(choices=Kind.choices, initial=Kind.MARKETING)
    description = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Co-marketing for their campaigns"}),
    )
    target = forms.CharField(
        label="Measurable target",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. 2 joint webinars"}),
    )
    target_number = forms.DecimalField(
        label="Target as a number",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"placeholder": "e.g. 2", "step": "any"}),
    )
    period = forms.ChoiceField(label="Reviewed", choices=Period.choices, initial=Period.QUARTERLY)
    owner = PeopleChoiceField(queryset=User.objects.none(), required=False, empty_label="No owner")

    field_order = ["side", "kind", "description", "target", "target_number", "period", "owner"]

    def __init__(
        self, *args: Any, partnership: Any, can_choose_visibility: bool, **kwargs: Any
    ) -> None:
        super().__init__(
            *args, partnership=partnership, can_choose_visibility=can_choose_visibility, **kwargs
        )
        self.is_member = can_choose_visibility
        if self.is_member:
            people = partner_people_of(partnership) | members_of(partnership.workspace_id)
            self.fields["owner"].help_text = (
                "Someone from your workspace for what we provide; one of the partner's people"
                " for what they provide."
            )
        else:
            del self.fields["side"]
            people = partner_people_of(partnership)
        self.fields["owner"].queryset = people.distinct().order_by("name", "email")  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        data = super().values()
        if not self.is_member:
            data["side"] = Side.PARTNER
        return data


class ReviewForm(forms.Form):
    kept = forms.TypedChoiceField(
        choices=[("1", "Kept"), ("0", "Missed")], coerce=lambda value: value == "1"
    )
    on = DayField(
        label="Period including",
        required=False,
        help_text="Any day of the period; this period if left empty.",
    )
    note = forms.CharField(required=False, max_length=500)
    seen = forms.ChoiceField(
        choices=[("none", "none"), ("kept", "kept"), ("missed", "missed")], required=False
    )
    # When the page with the whole review history was shown (ISO 8601).
    seen_at = forms.DateTimeField(required=False)
