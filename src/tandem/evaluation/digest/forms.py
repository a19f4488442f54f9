"""The digest choices: on or off, the day and the hour, in the person's time zone."""

from __future__ import annotations

from django import forms

from tandem.meetings.models import Weekday
from tandem.meetings.schedule.forms import ZoneSelect

HOURS = [(hour, f"{hour:02d}:00") for hour in range(24)]


class DigestPreferenceForm(forms.Form):
    enabled = forms.BooleanField(label="Send me the weekly digest", required=False)
    weekday = forms.TypedChoiceField(label="Day", choices=Weekday.choices, coerce=int)
    hour = forms.TypedChoiceField(label="Hour", choices=HOURS, coerce=int)
    timezone = forms.CharField(
        label="Your time zone",
        max_length=64,
        widget=ZoneSelect,
        help_text="The day and hour are read on this clock.",
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Your answer", max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
