from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from tandem.checkins.models import CheckInKind
from tandem.core.access import Visibility
from tandem.core.forms import VersionedForm
from tandem.partners.forms import visibility_field
from tandem.partners.models import Partnership


class CheckInForm(VersionedForm):
    kind = forms.ChoiceField(choices=CheckInKind.choices, initial=CheckInKind.MONTHLY)
    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. November check-in, or SaaStr dinner"}),
    )
    held_on = forms.DateField(
        label="Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        initial=timezone.localdate,
        help_text="A date to come plans it; a past date records it as held.",
    )
    participants = forms.CharField(
        label="Who took part",
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Maria, Pat, their VP Sales"}),
    )
    notes = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )

    field_order = ["kind", "title", "held_on", "participants", "notes"]

    def __init__(
        self, *args: Any, partnership: Partnership, can_choose_visibility: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if can_choose_visibility:
            self.fields["visibility"] = visibility_field()

    @classmethod
    def for_request(cls, request: Any, partnership: Partnership, **kwargs: Any) -> Any:
        return cls(
            request.POST or None,
            partnership=partnership,
            can_choose_visibility=request.actor.is_member(partnership.workspace_id),
            **kwargs,
        )

    def values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k != "version"}
        data.setdefault("visibility", Visibility.SHARED)
        return data
