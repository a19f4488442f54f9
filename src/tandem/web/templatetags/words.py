"""Filters that write things the way a business reader says them, loaded in every template
(settings TEMPLATES builtins): ``{{ todo.due_on|day }}``, ``{{ schedule.timezone|zone }}``,
and ``sentence_case`` for allauth's Title Case headings and buttons."""

from __future__ import annotations

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

from tandem.core import dates

register = template.Library()


@register.filter
def day(value: object) -> str:
    return dates.day(value)  # type: ignore[arg-type]


@register.filter
def zone(value: str | None) -> str:
    return dates.zone_label(value)


# A capitalised word after another word ("Sign In", "Remember Me", "Two-Factor"); not an
# acronym (TOTP), not inside a tag.
_TITLE_WORD = re.compile(r"(?<=[A-Za-z][\s-])[A-Z](?=[a-z]+\b)")
_TAG = re.compile(r"(<[^>]*>)")


def _lower(match: re.Match[str]) -> str:
    return match.group(0).lower()


@register.filter(is_safe=True)
def sentence_case(text: str) -> SafeString | str:
    """ "Two-Factor Authentication" as "Two-factor authentication": our pages write
    headings, labels and buttons in sentence case, allauth's templates in Title Case."""
    parts = _TAG.split(str(text))
    for i in range(0, len(parts), 2):  # the text between tags
        parts[i] = _TITLE_WORD.sub(_lower, parts[i])
    out = "".join(parts)
    # Only letters' case changed, so what was safe HTML still is.
    return mark_safe(out) if hasattr(text, "__html__") else out  # noqa: S308


@register.filter
def sentence_case_placeholder(field: object) -> object:
    """The bound field, its placeholder ("New Password (again)") in sentence case. Each form
    instance has its own copy of its widgets, so this changes this one form only."""
    attrs = getattr(getattr(getattr(field, "field", None), "widget", None), "attrs", None)
    if attrs and attrs.get("placeholder"):
        attrs["placeholder"] = sentence_case(attrs["placeholder"])
    return field
