from __future__ import annotations

from datetime import datetime, timedelta

from django import template
from django.forms import BoundField
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timesince import timesince

from tandem.core.numbers import percent

register = template.Library()


@register.filter
def sanitised(html: str) -> SafeString:
    """HTML that ``tandem.core.markdown.render`` made (and nh3 cleaned) when the text was
    saved: shown as it is."""
    return mark_safe(html)  # noqa: S308 - only ever holds nh3's output


@register.filter
def ago(moment: datetime | None) -> str:
    """ "just now", "5 minutes ago", "3 days ago"."""
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment).split(',')[0]} ago"


@register.filter
def percent_of(part: int | None, whole: int | None) -> int | None:
    """``{{ done|percent_of:total }}``: the one rounding of ``tandem.core.numbers``."""
    return percent(part, whole)


@register.simple_tag
def querystring_page(query: str, page: int) -> str:
    return f"?{query}&page={page}" if query else f"?page={page}"


@register.simple_tag
def select(field: BoundField, **attrs: str) -> SafeString:
    """A <select> for a choice field, built in Python: Django's widget templates render
    every <option> through the template engine, which costs a list page more than its rows."""
    current = field.value()
    current = "" if current is None else str(current)
    options = format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if str(value) == current else "", label)
            for value, label in field.field.choices  # type: ignore[attr-defined]
        ),
    )
    extra = format_html_join("", ' {}="{}"', attrs.items())
    return format_html(
        '<select name="{}" id="{}"{}>{}</select>',
        field.html_name,
        field.id_for_label,
        extra,
        options,
    )
