from __future__ import annotations

from typing import Any

from django import forms

from tandem.core.access import Visibility
from tandem.core.forms import VersionedForm

VISIBILITY_CHOICES = [
    (Visibility.SHARED, "Shared — both sides follow it together"),
    (Visibility.INTERNAL, "Internal — ours alone, never shown to partners"),
]


class _ScopedForm(VersionedForm):
    """The shape ``tandem.core.views.edit_item`` expects: built from a request, gives values."""

    @classmethod
    def for_request(cls, request: Any, partnership: Any, **kwargs: Any) -> Any:
        return cls(request.POST or None, **kwargs)

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class ProcessForm(_ScopedForm):
    name = forms.CharField(
        max_length=120,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Joint lead hand-off"}),
    )
    purpose = forms.CharField(
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Why it exists, when it starts"}),
    )
    visibility = forms.ChoiceField(
        choices=VISIBILITY_CHOICES, initial=Visibility.SHARED, widget=forms.RadioSelect
    )


class StepForm(_ScopedForm):
    title = forms.CharField(
        label="Step",
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Register the lead in the pipeline"}),
    )
    guidance = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "What good looks like"}),
    )


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "Up"), ("down", "Down")])


class CheckForm(VersionedForm):
    """A tick (followed = 1 or 0) and, when the note field is sent, the note."""

    followed = forms.TypedChoiceField(
        choices=[("1", "Followed"), ("0", "Not followed")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(required=False, max_length=300)

    def note_value(self) -> str | None:
        return self.cleaned_data.get("note") if "note" in self.data else None
