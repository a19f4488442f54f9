"""A form whose fields are read from the model is the form one would write by hand."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.utils import timezone

from tandem.core.forms import DayField, OwnedItemForm, ScopedItemForm, form_field
from tandem.relationship.checkins.forms import CheckInForm
from tandem.relationship.checkins.models import CheckIn, CheckInKind
from tandem.relationship.communication.models import PlanEntry


class HandWrittenCheckInForm(ScopedItemForm):
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


def test_a_derived_form_renders_as_the_hand_written_one(world: Any) -> None:
    for member in (True, False):
        made = [
            form_class(partnership=world.northwind, can_choose_visibility=member)
            for form_class in (HandWrittenCheckInForm, CheckInForm)
        ]
        assert list(made[1].fields) == list(made[0].fields)
        for name in made[0].fields:
            assert str(made[1][name]) == str(made[0][name]), name
            assert made[1][name].label == made[0][name].label, name
            assert made[1][name].help_text == made[0][name].help_text, name
        data = {
            "kind": "event",
            "title": " Dinner ",
            "held_on": "2026-11-02",
            "visibility": "shared",
        }
        bound = [type(form)(data, partnership=world.northwind, can_choose_visibility=member)
                 for form in made]  # fmt: skip
        assert bound[0].is_valid() and bound[1].is_valid()
        assert bound[1].values() == bound[0].values()


def test_the_model_says_what_the_field_is() -> None:
    title = form_field(CheckIn._meta.get_field("title"))
    assert (title.max_length, title.required, title.label) == (200, True, "Title")  # type: ignore[attr-defined]
    participants = form_field(CheckIn._meta.get_field("participants"))
    assert (participants.required, participants.label) == (False, "Who took part")
    assert isinstance(form_field(CheckIn._meta.get_field("held_on")), DayField)
    starts_on = form_field(PlanEntry._meta.get_field("starts_on"))
    assert starts_on.initial is None  # a default computed per row is not shown as the form's
    topic = form_field(PlanEntry._meta.get_field("topic"), help_text="")
    assert topic.help_text == ""


def test_a_declared_field_wins_and_the_owner_is_the_partnerships_people(world: Any) -> None:
    class EntryForm(OwnedItemForm):
        topic = forms.CharField(label="What about", max_length=10)

        class Meta:
            model = PlanEntry
            labels = {"audience": "Who hears it"}

    form = EntryForm(partnership=world.northwind, can_choose_visibility=True)
    assert list(form.fields)[:6] == [
        "topic",
        "channel",
        "cadence",
        "audience",
        "owner",
        "starts_on",
    ]
    assert form.fields["topic"].label == "What about"
    assert form.fields["audience"].label == "Who hears it"
    assert world.pat in form.fields["owner"].queryset  # type: ignore[attr-defined]


def test_a_field_the_model_cannot_say_is_refused() -> None:
    with pytest.raises(TypeError, match="Declare the form field"):
        form_field(CheckIn._meta.get_field("partnership"))
