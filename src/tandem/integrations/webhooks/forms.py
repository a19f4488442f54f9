from __future__ import annotations

from django import forms

from tandem.integrations.events import EVENT_TYPES


class EndpointForm(forms.Form):
    url = forms.CharField(
        label="Address",
        max_length=500,
        help_text="Where Tandem POSTs each event: an https:// address.",
        widget=forms.URLInput(attrs={"autocomplete": "url", "placeholder": "https://"}),
    )
    description = forms.CharField(
        label="Description", max_length=200, required=False, help_text="What it feeds, for you."
    )
    events = forms.MultipleChoiceField(
        label="Events",
        choices=list(EVENT_TYPES.items()),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one event."},
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if not self.is_bound and "events" not in self.initial:
            self.initial["events"] = list(EVENT_TYPES)
