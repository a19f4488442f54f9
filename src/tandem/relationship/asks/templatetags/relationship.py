"""Spans of time as people say them: "40 min", "5 h", "3 days", "7 weeks"."""

from __future__ import annotations

from datetime import datetime, timedelta

from django import template

register = template.Library()


@register.filter
def span(value: timedelta | None) -> str:
    if value is None:
        return "—"
    seconds = max(int(value.total_seconds()), 0)
    if seconds < 3600:
        return f"{max(seconds // 60, 1)} min"
    if seconds < 48 * 3600:
        return f"{seconds // 3600} h"
    days = seconds // 86400
    if days < 70:
        return f"{days} day{'s' if days != 1 else ''}"
    return f"{days // 7} weeks"


@register.filter
def since(moment: datetime | None, now: datetime) -> str:
    """The span from ``moment`` to ``now``."""
    if moment is None:
        return "—"
    return span(now - moment)
