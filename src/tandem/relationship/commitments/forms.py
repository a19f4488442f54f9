from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.forms import DayField, ScopedItemForm, form_field
from tandem.partners.services import members_of, partner_people_of
from tandem.relationship.commitments.models import Commitment, Kind, Side


class CommitmentForm(ScopedItemForm):
    """A commitment of either side. Partner-side people speak for their own side (no side
    and no visibility to choose); the owner is someone from the side that promised."""

    target_number = form_field(
        Commitment._meta.get_field("target_number"),
        label="Target as a number",
        min_value=0,
        widget=forms.NumberInput(attrs={"placeholder": "e.g. 2", "step": "any"}),
    )

    class Meta:
        model = Commitment
        labels = {"side": "Who promises it", "period": "Reviewed"}
        help_texts = {"target": ""}
        initial = {"kind": Kind.MARKETING}
        placeholders = {
            "description": "e.g. Co-marketing for their campaigns",
            "target": "e.g. 2 joint webinars",
        }

    def __init__(self, *args: Any, partnership: Any, **kwargs: Any) -> None:
        super().__init__(*args, partnership=partnership, **kwargs)
        self.is_member = kwargs["can_choose_visibility"]
        owner = self.fields["owner"]
        people = partner_people_of(partnership)
        if self.is_member:
            people = people | members_of(partnership.workspace_id)
            owner.help_text = (
                "Someone from your workspace for what we provide; one of the partner's people"
                " for what they provide."
            )
        else:
            del self.fields["side"]
        owner.queryset = people.distinct().order_by("name", "email")  # type: ignore[attr-defined]
        owner.empty_label = "No owner"  # type: ignore[attr-defined]

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
