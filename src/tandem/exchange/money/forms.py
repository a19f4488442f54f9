from __future__ import annotations

from django import forms

from tandem.core.forms import VersionedForm


class BaseForm(VersionedForm):
    base = forms.CharField(
        label="Base currency",
        max_length=3,
        help_text="A three-letter ISO 4217 code, e.g. USD or EUR.",
    )


class RateForm(forms.Form):
    currency = forms.CharField(label="Currency", max_length=3, help_text="e.g. EUR")
    year = forms.IntegerField(label="Year", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quarter", coerce=int, choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)]
    )
    rate = forms.DecimalField(
        label="Rate",
        max_digits=18,
        decimal_places=8,
        help_text="What one unit of the currency is worth in the base currency.",
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)
