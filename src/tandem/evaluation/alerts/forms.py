"""The form of a workspace's alert rules."""

from __future__ import annotations

from django import forms

from tandem.evaluation.alerts.models import MAX_QUIET_DAYS, QUIET_DAYS

_SAID = f"A whole number of days from 1 to {MAX_QUIET_DAYS}."


class AlertSettingsForm(forms.Form):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    partner_quiet_days = forms.IntegerField(
        label="Days without an action by the partner side",
        min_value=1,
        max_value=MAX_QUIET_DAYS,
        help_text=f"Default {QUIET_DAYS}. A partnership is flagged when nobody from the partner"
        " has done anything in Tandem for this long.",
        error_messages={
            "required": _SAID,
            "invalid": _SAID,
            "min_value": _SAID,
            "max_value": _SAID,
        },
    )
