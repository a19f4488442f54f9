"""Widgets that render fast: Django's widget templates render every <option> through the
template engine (two includes per option), which a list of a thousand deals turns into most
of a page's time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString


class QuickSelect(forms.Select):
    """A <select> built in Python from the widget's own choices: the same HTML as Django's
    (groups, the selected option, the attributes), without a template per option."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        parts = []
        for group, options, _index in self.optgroups(name, self.format_value(value), final):
            rows = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (
                        "" if option["value"] is None else str(option["value"]),
                        " selected" if option["selected"] else "",
                        option["label"],
                    )
                    for option in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', group, rows) if group else rows
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            format_html_join("", "{}", ((part,) for part in parts)),
        )
