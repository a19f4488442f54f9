"""``reverse`` for the links a page writes by the dozen (a list of 25 to-dos writes 75):
Django's tries each way a name could be written and checks the result against the route's
regular expression, about 30 µs a link. Most of our routes hold only ``<str:…>`` and
``<int:…>`` parts, for which the check is simple: this writes those directly, the same
characters Django writes (tests/core/test_reversing.py compares both for every route), and
leaves every other case (namespaces, keyword arguments, other converters, a value that does
not fit) to Django."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.urls import get_resolver, get_script_prefix, get_urlconf
from django.urls.converters import IntConverter, StringConverter
from django.utils.http import RFC3986_SUBDELIMS, escape_leading_slashes

_SAFE = RFC3986_SUBDELIMS + "/~:@"

# A route's plan: its pattern with %(name)s holes, and for each argument in order its name
# and whether it must be digits.
Plan = tuple[str, tuple[tuple[str, bool], ...]]


@cache
def _plan(urlconf: str, name: str) -> Plan | None:
    """How ``name`` is written, when one pattern alone can write it and every part of it is a
    plain string or an integer; None otherwise. The URL configuration does not change while
    the process runs, so this is worked out once per name."""
    found = get_resolver(urlconf).reverse_dict.getlist(name)
    if len(found) != 1:
        return None
    possibility, _pattern, defaults, converters = found[0]
    if len(possibility) != 1 or defaults:
        return None
    result, params = possibility[0]
    parts = []
    for param in params:
        converter = converters.get(param)
        if type(converter) is IntConverter:
            parts.append((param, True))
        elif type(converter) is StringConverter:
            parts.append((param, False))
        else:
            return None
    return result, tuple(parts)


def quick_reverse(name: str, args: Sequence[Any]) -> str | None:
    """The path of route ``name`` with positional ``args``, or None when Django must say
    (it then writes the path or raises NoReverseMatch)."""
    if ":" in name:
        return None
    plan = _plan(get_urlconf() or settings.ROOT_URLCONF, name)
    if plan is None:
        return None
    result, parts = plan
    if len(parts) != len(args):
        return None
    subs = {}
    for (param, digits), value in zip(parts, args, strict=True):
        text = str(value)
        if digits:
            if not (text.isascii() and text.isdigit()):
                return None
        elif not text or "/" in text:
            return None
        subs[param] = text
    prefix = get_script_prefix()
    path = (prefix.replace("%", "%%") + result) % subs
    return escape_leading_slashes(quote(path, safe=_SAFE))
