"""The form of a workspace's health weights."""

from __future__ import annotations

from typing import Any

from django import forms

from tandem.evaluation.health.models import DEFAULT_WEIGHTS, MAX_WEIGHT
from tandem.evaluation.health.services import LABELS


class WeightsForm(forms.Form):
    """One whole number 0–10 per part, and the version the page was read at."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key in DEFAULT_WEIGHTS:
            self.fields[key] = forms.IntegerField(
                label=LABELS[key],
                min_value=0,
                max_value=MAX_WEIGHT,
                help_text=f"Default {DEFAULT_WEIGHTS[key]}. 0 leaves it out of the total.",
                error_messages={
                    "required": f"{LABELS[key]}: give a weight from 0 to {MAX_WEIGHT}.",
                    "invalid": f"{LABELS[key]}: a whole number from 0 to {MAX_WEIGHT}.",
                    "min_value": f"{LABELS[key]}: a whole number from 0 to {MAX_WEIGHT}.",
                    "max_value": f"{LABELS[key]}: a whole number from 0 to {MAX_WEIGHT}.",
                },
            )

    @property
    def weight_fields(self) -> list[forms.BoundField]:
        return [self[key] for key in DEFAULT_WEIGHTS]

    def weights(self) -> dict[str, int]:
        return {key: self.cleaned_data[key] for key in DEFAULT_WEIGHTS}
