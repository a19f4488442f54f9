"""Filters that write things the way a business reader says them, loaded in every template
(settings TEMPLATES builtins): ``{{ todo.due_on|day }}``, ``{{ schedule.timezone|zone }}``,
``sentence_case`` for allauth's Title Case headings and buttons, and ``{% url %}`` written
quickly (``tandem.core.reversing``)."""

from __future__ import annotations

import re

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from tandem.core import dates
from tandem.core.reversing import quick_reverse

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


class _QuickURLNode(URLNode):
    """``{% url %}`` with positional arguments through ``tandem.core.reversing``; everything
    else (``as``, keyword arguments, routes it leaves to Django) as Django's tag does it."""

    def render(self, context: template.Context) -> str:
        if self.asvar is None and not self.kwargs:
            path = quick_reverse(
                self.view_name.resolve(context), [arg.resolve(context) for arg in self.args]
            )
            if path is not None:
                return conditional_escape(path) if context.autoescape else path
        return super().render(context)


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> URLNode:
    node = django_url(parser, token)
    return _QuickURLNode(node.view_name, node.args, node.kwargs, node.asvar)
