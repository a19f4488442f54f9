"""Widgets that render fast: Django's widget templates render every <option> through the
template engine (two includes per option), which a list of a thousand deals turns into most
of a page's time."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import DjangoTemplates
from django.forms.utils import flatatt
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

# Only read for its defaults (escaping on, the active language's formats, the time zone).
_TEMPLATE_DEFAULTS = Context()


def _shown(value: Any) -> str:
    """A value as ``{{ value }}`` writes it in a widget template: escaped, a date or number
    in the active language's format, a moment in the current time zone."""
    return render_value_in_context(value, _TEMPLATE_DEFAULTS)


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
                        _shown(option["label"]),
                    )
                    for option in options
                ),
            )
            parts.append(
                format_html('<optgroup label="{}">{}</optgroup>', _shown(group), rows)
                if group
                else rows
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            name,
            flatatt(final),
            format_html_join("", "{}", ((part,) for part in parts)),
        )


# --- The form renderer ----------------------------------------------------------------------
# Every field a page shows went through three templates (input, attrs, and the widget's own),
# about 0.4 ms each: a page with a quick-add form and an edit form paid 2 ms for its inputs.
# The common widgets are written here in Python, character for character what Django's
# templates write (tests/core/test_widgets.py renders both and compares); radio and check-box
# lists too (three templates per choice: a visibility choice cost a quick-add form ~0.5 ms);
# any other widget (file inputs, a custom widget's template) still goes through its template.
_WIDGETS = "django/forms/widgets/"
_INPUTS = frozenset(
    f"{_WIDGETS}{name}.html"
    for name in (
        "input",
        "text",
        "email",
        "url",
        "number",
        "password",
        "hidden",
        "date",
        "time",
        "datetime",
        "search",
        "tel",
        "color",
        "checkbox",
    )
)
_OPTION = f"{_WIDGETS}select_option.html"
_CHOICE_OPTIONS = frozenset({f"{_WIDGETS}radio_option.html", f"{_WIDGETS}checkbox_option.html"})
_CHOICE_LISTS = frozenset({f"{_WIDGETS}radio.html", f"{_WIDGETS}checkbox_select.html"})


def _attrs(attrs: dict[str, Any]) -> str:
    """Django's attrs.html: `` name="value"``, a bare name for True, nothing for False."""
    return "".join(
        format_html(" {}", name) if value is True else format_html(' {}="{}"', name, str(value))
        for name, value in attrs.items()
        if value is not False
    )


def _input(widget: dict[str, Any]) -> str:
    value = "" if widget["value"] is None else format_html(' value="{}"', str(widget["value"]))
    return format_html(
        '<input type="{}" name="{}"{}{}>',
        widget["type"],
        widget["name"],
        value,
        SafeString(_attrs(widget["attrs"])),
    )


def _textarea(widget: dict[str, Any]) -> str:
    return format_html(
        '<textarea name="{}"{}>\n{}</textarea>',
        widget["name"],
        SafeString(_attrs(widget["attrs"])),
        widget["value"] or "",
    )


def _select(widget: dict[str, Any]) -> str | None:
    parts: list[str] = [
        format_html('<select name="{}"{}>', widget["name"], SafeString(_attrs(widget["attrs"])))
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(format_html('\n  <optgroup label="{}">', _shown(group)))
        for option in options:
            if option["template_name"] != _OPTION:
                return None
            parts.append(
                format_html(
                    '\n  <option value="{}"{}>{}</option>\n',
                    str(option["value"]),
                    SafeString(_attrs(option["attrs"])),
                    _shown(option["label"]),
                )
            )
        if group:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # each option's template ends with a line break
    return "".join(parts)


def _choice(option: dict[str, Any], *, nested: bool = False) -> str:
    """Django's radio_option.html (input_option.html): one radio or check box, in its label
    when asked. ``nested``: as written inside the list, where the templates' own line breaks
    stay (a template rendered alone is stripped)."""
    tag = _input(option)
    html: str
    if option.get("wrap_label"):
        target = option["attrs"].get("id")
        html = format_html(
            "<label{}>{}\n {}</label>",
            format_html(' for="{}"', _shown(target)) if target else "",
            SafeString(tag),
            _shown(option["label"]),
        )
    else:
        html = f"{tag}\n" if nested else tag
    return f"{html}\n\n" if nested else html


def _choices(widget: dict[str, Any]) -> str | None:
    """Django's multiple_input.html: the list of radios or check boxes, groups included."""
    attrs = widget["attrs"]
    parts: list[str] = [
        format_html(
            "<div{}{}>",
            format_html(' id="{}"', _shown(attrs["id"])) if attrs.get("id") else "",
            format_html(' class="{}"', _shown(attrs["class"])) if attrs.get("class") else "",
        )
    ]
    for group, options, _index in widget["optgroups"]:
        if group:
            parts.append(format_html("\n  <div><label>{}</label>", _shown(group)))
        for option in options:
            if option["template_name"] not in _CHOICE_OPTIONS:
                return None
            parts.append(
                format_html("<div>\n    {}</div>", SafeString(_choice(option, nested=True)))
            )
        if group:
            parts.append("\n  </div>")
    parts.append("\n</div>")
    return "".join(parts)


class FastRenderer(DjangoTemplates):
    """``FORM_RENDERER``: inputs, text areas, plain selects and radio and check-box lists
    written in Python, the rest through Django's widget templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        widget = context.get("widget")
        html: str | None = None
        if widget is not None:
            if template_name in _INPUTS:
                html = _input(widget)
            elif template_name == f"{_WIDGETS}textarea.html":
                html = _textarea(widget)
            elif template_name == f"{_WIDGETS}select.html":
                html = _select(widget)
            elif template_name in _CHOICE_OPTIONS:
                html = _choice(widget)
            elif template_name in _CHOICE_LISTS:
                html = _choices(widget)
        if html is None:
            return super().render(template_name, context, request)
        return html
