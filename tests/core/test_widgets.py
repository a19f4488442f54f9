"""The form renderer writes the common widgets in Python: what it writes must be what Django's
own widget templates write, for every kind of input, value and attribute a form of ours uses."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils import translation
from django.utils.translation import gettext_lazy

from tandem.core.widgets import FastRenderer


class Everything(forms.Form):
    title = forms.CharField(max_length=200, help_text="Short & sweet")
    email = forms.EmailField(required=False)
    site = forms.URLField(required=False, assume_scheme="https")
    amount = forms.DecimalField(required=False, max_digits=12, decimal_places=2)
    count = forms.IntegerField(min_value=0)
    secret = forms.CharField(widget=forms.PasswordInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    due_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    at = forms.TimeField(required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    done = forms.BooleanField(required=False)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False)
    stage = forms.ChoiceField(choices=[("", "—"), ("lead", "Lead <new>"), ("won", "Won")])
    grouped = forms.ChoiceField(
        choices=[("Ours", [("a", "A & co")]), ("Theirs", [("b", "B")]), ("c", "C")]
    )
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")], required=False)
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    side = forms.ChoiceField(
        choices=[("Ours", [("us", "Us & co")]), ("them", "Them <b>")],
        widget=forms.RadioSelect(attrs={"class": "radio-list"}),
        required=False,
    )
    tags = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y"), ("z", 'Z "quoted"')],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


FILLED = {
    "title": 'He said "hi" <b>',
    "email": "a@b.example",
    "site": "https://x.example/?a=1&b=2",
    "amount": "1234.50",
    "count": "-3",
    "secret": "s3cret",
    "version": "7",
    "due_on": datetime.date(2026, 12, 6),
    "at": "09:30",
    "done": "on",
    "body": "line one\n<script>alert(1)</script>",
    "stage": "lead",
    "grouped": "b",
    "many": ["x", "y"],
    "kind": "b",
    "side": "us",
    "tags": ["x", "z"],
}


@pytest.mark.parametrize("data", [None, FILLED, {"title": ""}], ids=["unbound", "filled", "errors"])
def test_every_field_renders_as_django_templates_render_it(data):
    form = Everything(data) if data is not None else Everything(initial={"count": 3})
    if data is not None:
        form.is_valid()
    for name in form.fields:
        fast = form[name].as_widget()
        form.renderer = DjangoTemplates()
        slow = form[name].as_widget()
        form.renderer = FastRenderer()
        assert fast == slow, name


class Unwrapped(forms.RadioSelect):
    """A radio list whose inputs stand beside their labels, not inside them."""

    def create_option(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(*args, **kwargs)
        option["wrap_label"] = False
        return option


class Labels(forms.Form):
    """Labels that a template writes in the reader's format: a day, a number, a lazy text."""

    day = forms.ChoiceField(
        choices=[("a", datetime.date(2026, 12, 6)), ("b", gettext_lazy("Later <soon>"))],
        widget=forms.RadioSelect,
    )
    amount = forms.ChoiceField(choices=[("1", Decimal("1.5")), ("2", Decimal("1234.25"))])
    plain = forms.ChoiceField(choices=[("x", "X"), ("y", "Y")], widget=Unwrapped)


def _renders(form: forms.Form, name: str) -> list[tuple[str, str, str]]:
    return [(radio.tag(), radio.tag(wrap_label=True), str(radio)) for radio in form[name]]


@pytest.mark.parametrize("data", [None, FILLED], ids=["unbound", "filled"])
@pytest.mark.parametrize("name", ["kind", "side", "tags"])
def test_each_radio_and_check_box_renders_as_django_templates_render_it(data, name):
    """A page writes a choice list one radio at a time (``{{ radio.tag }}``, with its label or
    without): each one the same as Django's templates write it. (A form keeps its fields'
    widgets, and each widget the renderer it was made with: two forms, one per renderer.)"""
    fast, slow = Everything(data), Everything(data, renderer=DjangoTemplates())
    assert isinstance(fast.renderer, FastRenderer)
    assert _renders(fast, name) == _renders(slow, name)
    assert any(" checked" in tag for tag, _label, _whole in _renders(fast, name)) == bool(data)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("auto_id", ["id_%s", False], ids=["ids", "no-ids"])
def test_labels_are_written_as_a_template_writes_them(language, auto_id):
    """Days and numbers in the active language's format, lazy and marked-up labels escaped,
    the same with ids or without, and a list whose inputs stand outside their labels."""
    with translation.override(language):
        fast = Labels({"day": "a", "plain": "y"}, auto_id=auto_id)
        slow = Labels({"day": "a", "plain": "y"}, auto_id=auto_id, renderer=DjangoTemplates())
        for name in fast.fields:
            assert fast[name].as_widget() == slow[name].as_widget(), name
            if name != "amount":
                assert _renders(fast, name) == _renders(slow, name), name
        shown = fast["day"].as_widget() + fast["amount"].as_widget()
    assert "Later &lt;soon&gt;" in shown
    assert ("1,5" if language == "de" else "1.5") in shown
