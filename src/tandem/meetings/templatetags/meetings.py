"""Small helpers for meeting pages."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def clock(seconds: int | None) -> str:
    """Seconds as m:ss (or h:mm:ss): 65 → "1:05"."""
    seconds = max(int(seconds or 0), 0)
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


@register.simple_tag
def trend_line(rates: list[int], target: int = 90) -> SafeString:
    """A small server-drawn line of to-do completion rates (oldest first), with the target."""
    if not rates:
        return mark_safe("")  # noqa: S308 - empty
    width, height, pad = 800, 120, 10
    step = (width - 2 * pad) / max(len(rates) - 1, 1)

    def y(rate: int) -> float:
        return round(height - pad - (height - 2 * pad) * min(max(rate, 0), 100) / 100, 1)

    points = [(round(pad + index * step, 1), y(rate)) for index, rate in enumerate(rates)]
    line = " ".join(f"{x},{y_}" for x, y_ in points)
    dots = "".join(
        format_html(
            '<circle class="dot" cx="{}" cy="{}" r="4"><title>{}%</title></circle>', x, y_, r
        )
        for (x, y_), r in zip(points, rates, strict=True)
    )
    return format_html(
        '<svg viewBox="0 0 {w} {h}" role="img" aria-label="{label}">'
        '<line class="axis" x1="0" x2="{w}" y1="{bottom}" y2="{bottom}"></line>'
        '<line class="target" x1="0" x2="{w}" y1="{t}" y2="{t}"></line>'
        '<text class="target-label" x="{w}" y="{label_y}" text-anchor="end">90% target</text>'
        '<polyline class="line" points="{line}"></polyline>{dots}</svg>',
        w=width,
        h=height,
        t=y(target),
        bottom=y(0),
        label_y=y(target) - 4,
        line=line,
        dots=mark_safe(dots),  # noqa: S308 - built with format_html above
        label=f"To-do completion over the last {len(rates)} meetings: "
        + ", ".join(f"{rate}%" for rate in rates),
    )


@register.filter
def person(user: object, empty: str = "") -> str:
    """A person's name (or e-mail), or ``empty`` when there is nobody."""
    if user is None:
        return empty
    return str(user.get_full_name() or user.email)  # type: ignore[attr-defined]
