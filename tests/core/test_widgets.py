"""QuickSelect writes the same <select> as Django's template-rendered one."""

from __future__ import annotations

import re

from django import forms

from tandem.core.widgets import QuickSelect

CHOICES = [("", "None"), (1, "A & B"), ("Closed", [(2, "two"), (3, "<three>")])]


def _same(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


def test_options_groups_escaping_and_the_choice_match_djangos() -> None:
    for value in ("", "1", "3", None, "missing"):
        ours = QuickSelect(choices=CHOICES, attrs={"id": "x", "required": True}).render("f", value)
        django = forms.Select(choices=CHOICES, attrs={"id": "x", "required": True}).render(
            "f", value
        )
        assert _same(ours) == _same(django)
    assert "&lt;three&gt;" in QuickSelect(choices=CHOICES).render("f", "")


def test_a_bound_field_keeps_its_aria_attributes() -> None:
    class Form(forms.Form):
        f = forms.ChoiceField(choices=CHOICES[1:2], widget=QuickSelect)

    html = str(Form({"f": "9"})["f"])
    assert 'aria-invalid="true"' in html and 'id="id_f"' in html and "<option" in html
