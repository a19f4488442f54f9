from __future__ import annotations

from django import forms

from tandem.core.access import Visibility
from tandem.core.forms import VersionedForm, form_field
from tandem.relationship.way.models import Process, Step

VISIBILITY_CHOICES = [
    (Visibility.SHARED, "Shared — both sides follow it together"),
    (Visibility.INTERNAL, "Internal — ours alone, never shown to partners"),
]


class ProcessForm(VersionedForm):
    name = form_field(Process._meta.get_field("name"), placeholder="e.g. Joint lead hand-off")
    purpose = form_field(
        Process._meta.get_field("purpose"),
        placeholder="Why it exists, when it starts",
        help_text="",
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    visibility = forms.ChoiceField(
        choices=VISIBILITY_CHOICES, initial=Visibility.SHARED, widget=forms.RadioSelect
    )


class StepForm(VersionedForm):
    title = form_field(
        Step._meta.get_field("title"),
        label="Step",
        placeholder="e.g. Register the lead in the pipeline",
    )
    guidance = form_field(
        Step._meta.get_field("guidance"),
        placeholder="What good looks like",
        help_text="",
        widget=forms.Textarea(attrs={"rows": 2}),
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
