"""The 13-week sparkline of a partnership's health, drawn on the server as SVG: no script,
no external asset; a text alternative (``role="img"`` and ``aria-label``) says every week's
score, and the page lists the same figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

LINE = "#2f6fb0"  # the pages' link blue
GRID = "#d9dde3"
WIDTH, HEIGHT, PAD = 260, 56, 4


def _day(week: date) -> str:
    return f"{week.day} {week:%b}"


def sparkline(points: Sequence[tuple[date, int | None]], *, title: str) -> SafeString:
    """``points``: (week, score or None) oldest first. A week without a score breaks the
    line; a lone score is a dot. Nothing when no week has a score."""
    scored = [(index, score) for index, (_, score) in enumerate(points) if score is not None]
    if not scored:
        return mark_safe("")
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)

    def xy(index: int, score: int) -> str:
        x = PAD + step * index
        y = PAD + (HEIGHT - 2 * PAD) * (100 - score) / 100
        return f"{x:.1f},{y:.1f}"

    runs: list[list[str]] = [[]]
    for index, (_, score) in enumerate(points):
        if score is None:
            runs.append([])
        else:
            runs[-1].append(xy(index, score))
    shapes = [
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{HEIGHT / 2:.1f}" y2="{HEIGHT / 2:.1f}"'
        f' stroke="{GRID}" stroke-dasharray="3 3"/>'
    ]
    for run in runs:
        if len(run) > 1:
            shapes.append(
                f'<polyline points="{" ".join(run)}" fill="none" stroke="{LINE}"'
                ' stroke-width="2" stroke-linejoin="round"/>'
            )
        elif run:
            x, y = run[0].split(",")
            shapes.append(f'<circle cx="{x}" cy="{y}" r="2.5" fill="{LINE}"/>')
    last_index, last_score = scored[-1]
    x, y = xy(last_index, last_score).split(",")
    shapes.append(f'<circle cx="{x}" cy="{y}" r="3.5" fill="{LINE}"/>')
    said = "; ".join(
        f"week of {_day(week)}: {'no score' if score is None else score}" for week, score in points
    )
    return format_html(
        '<svg class="sparkline" viewBox="0 0 {} {}" width="{}" height="{}" role="img"'
        ' aria-label="{}">{}</svg>',
        WIDTH,
        HEIGHT,
        WIDTH,
        HEIGHT,
        f"{title}: {said}.",
        mark_safe("".join(shapes)),  # noqa: S308 - built above from numbers only
    )
