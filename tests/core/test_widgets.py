"""The form renderer writes the common widgets in Python: what it writes must be what Django's
own widget templates write, for every kind of input, value and attribute a form of ours uses."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

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


@pytest.mark.parametrize("data", [None, FILLED], ids=["unbound", "filled"])
@pytest.mark.parametrize("name", ["kind", "side", "tags"])
def test_each_radio_and_check_box_renders_as_django_templates_render_it(data, name):
    """A page writes a choice list one radio at a time (``{{ radio.tag }}``, with its label or
    without): each one the same as Django's templates write it."""
    form = Everything(data) if data is not None else Everything()
    if data is not None:
        form.is_valid()
    fast = [(radio.tag(), radio.tag(wrap_label=True), str(radio)) for radio in form[name]]
    form.renderer = DjangoTemplates()
    slow = [(radio.tag(), radio.tag(wrap_label=True), str(radio)) for radio in form[name]]
    assert fast == slow
    assert any(" checked" in tag for tag, _label, _whole in fast) == (data is not None)
