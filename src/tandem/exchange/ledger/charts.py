"""Server-side SVG of the balance: paired bars (you gave / you received) per group (a
quarter or a kind). No script, no external asset; the page shows the same figures in a table
beside it, and the SVG carries a text alternative (``role="img"`` with an ``aria-label``)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

GAVE = "#2f6fb0"  # the existing pages' link blue
RECEIVED = "#2e8540"  # the existing pages' "good" green
WIDTH, HEIGHT = 480, 220
LEFT, BOTTOM, TOP = 56, 40, 28


def _number(value: Decimal) -> str:
    return f"{value:,.0f}"


def paired_bars(
    groups: Sequence[tuple[str, Decimal, Decimal]],
    *,
    unit: str,
    title: str,
    gave: str = "You gave",
    received: str = "You received",
) -> SafeString:
    """``groups``: (label, gave, received) in order. ``unit``: the currency (or "entries")."""
    if not groups:
        return mark_safe("")
    top = max(max(g, r) for _, g, r in groups) or Decimal(1)
    plot_w, plot_h = WIDTH - LEFT - 12, HEIGHT - BOTTOM - TOP
    slot = plot_w / len(groups)
    bar = max(2.0, min(28.0, slot * 0.36))
    parts: list[str] = []
    for i in range(5):  # gridlines with their values
        y = TOP + plot_h - plot_h * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - 12}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9dde3"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11"'
            f' fill="#4a5361">{escape(_number(top * i / 4))}</text>'
        )
    every = max(1, len(groups) // 12)  # at most a dozen labels under the axis
    for index, (label, given, got) in enumerate(groups):
        x = LEFT + slot * index + slot / 2
        for offset, value, colour, name in (
            (-bar, given, GAVE, gave),
            (0.0, got, RECEIVED, received),
        ):
            h = float(value / top) * plot_h if top else 0
            parts.append(
                f'<rect x="{x + offset:.1f}" y="{TOP + plot_h - h:.1f}" width="{bar:.1f}"'
                f' height="{h:.1f}" fill="{colour}"><title>{escape(label)}: {escape(name)}'
                f" {escape(_number(value))} {escape(unit)}</title></rect>"
            )
        if index % every == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle"'
                f' font-size="11" fill="#4a5361">{escape(label[:14])}</text>'
            )
    legend = (
        f'<rect x="{LEFT}" y="6" width="12" height="12" fill="{GAVE}"/>'
        f'<text x="{LEFT + 16}" y="16" font-size="12" fill="#1f2933">{escape(gave)}</text>'
        f'<rect x="{LEFT + 120}" y="6" width="12" height="12" fill="{RECEIVED}"/>'
        f'<text x="{LEFT + 136}" y="16" font-size="12" fill="#1f2933">{escape(received)}</text>'
        f'<text x="{WIDTH - 12}" y="16" font-size="12" text-anchor="end" fill="#4a5361">'
        f"{escape(unit)}</text>"
    )
    summary = "; ".join(
        f"{label}: {gave.lower()} {_number(g)}, {received.lower()} {_number(r)}"
        for label, g, r in groups
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="img" aria-label="{}"'
        ' preserveAspectRatio="xMidYMid meet">{}{}</svg>',
        WIDTH,
        HEIGHT,
        f"{title} ({unit}). {summary}",
        mark_safe(legend),  # noqa: S308 - built above from escaped values
        mark_safe("".join(parts)),  # noqa: S308 - built above from escaped values
    )
