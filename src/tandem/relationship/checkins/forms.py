from __future__ import annotations

from django import forms
from django.utils import timezone

from tandem.core.forms import DayField, ScopedItemForm
from tandem.relationship.checkins.models import CheckInKind


class CheckInForm(ScopedItemForm):
    kind = forms.ChoiceField(choices=CheckInKind.choices, initial=CheckInKind.MONTHLY)
    title = forms.CharField(
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. November check-in, or SaaStr dinner"}),
    )
    held_on = DayField(
        label="Date",
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
