from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from tandem.core.forms import PeopleChoiceField, ScopedItemForm
from tandem.partners.models import Contact, Partnership
from tandem.partners.services import members_of, partner_people_of
from tandem.relationship.people.models import Seat, Side


class SeatForm(ScopedItemForm):
    """A seat on one side. Members choose the visibility; what a partner-side person adds is
    shared, and only on the partner side."""

    side = forms.ChoiceField(choices=Side.choices, widget=forms.HiddenInput)
    user = PeopleChoiceField(
        queryset=None, required=False, label="Person", empty_label="Nobody yet"
    )
    contact = forms.ModelChoiceField(
        queryset=Contact.objects.none(),
        required=False,
        label="Or a partner contact",
        empty_label="No contact",
    )

    class Meta:
        model = Seat
        fields = ("side", "role", "accountability", "user", "contact")
        placeholders = {
            "role": "e.g. Marketing lead",
            "accountability": "What this seat answers for",
        }
        help_texts = {"accountability": ""}

    def __init__(
        self, *args: Any, partnership: Partnership, side: str, actor: Any, **kwargs: Any
    ) -> None:
        kwargs.setdefault("auto_id", f"{side}_%s")
        kwargs.setdefault("can_choose_visibility", actor.is_member(partnership.workspace_id))
        super().__init__(*args, partnership=partnership, **kwargs)
        self.fields["side"].initial = side
        self.on_side = side
        if side == Side.OURS:
            self.fields["user"].queryset = members_of(partnership.workspace_id)  # type: ignore[attr-defined]
            del self.fields["contact"]
        else:
            self.fields["user"].queryset = partner_people_of(partnership)  # type: ignore[attr-defined]
            self.fields["user"].label = "Person with access"
            self.fields["contact"].queryset = (  # type: ignore[attr-defined]
                Contact.objects.visible_to(actor).in_scope(partnership).order_by("name")
            )
        if self.initial.get("version"):  # editing: the seat's place in its column
            self.fields["position"] = forms.IntegerField(
                label="Order",
                min_value=0,
                max_value=9999,
                help_text="Seats with lower numbers come first in their column.",
            )

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in super().values().items() if k != "side"}


class LimitForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    limit = forms.IntegerField(
        label="Active partnership limit",
        min_value=1,
        max_value=100,
        help_text="How many active partnerships you can run properly at once.",
    )


class CapacityForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    capacity_hours = forms.DecimalField(
        label="Weekly hours for partnerships",
        min_value=Decimal("0"),
        max_value=Decimal("80"),
        max_digits=4,
        decimal_places=1,
    )
