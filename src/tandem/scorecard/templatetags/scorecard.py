"""The cells of a scorecard row, built in Python: a page holds up to 25 × 13 of them, and the
template engine spends far longer on that many small nodes than this loop does."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

if TYPE_CHECKING:
    from tandem.core.scope import Scope
    from tandem.scorecard.selectors import Row

register = template.Library()

STATUS_WORDS = {"on": ", on track", "off": ", off track"}


@register.simple_tag
def scorecard_cells(row: Row, partnership: Scope, editable: bool) -> SafeString:
    measurable = row.measurable
    pk = measurable.pk
    title = escape(measurable.title)
    # One reverse() per row; each cell's address is this plus its period.
    base = escape(reverse("scorecard_cell", args=[partnership.pk, pk, "0"])[:-2])
    entry = editable and not measurable.takes_no_values
    parts = []
    for cell in row.cells:
        key = cell.key
        classes = f"sc-cell sc-{cell.status}"
        if cell.current:
            classes += " sc-now"
        hint = f"Goal {cell.goal_shown}" if cell.goal_shown else "No goal"
        flag = ""
        if cell.temporary:
            classes += " sc-temp"
            hint += f" (this period only: {cell.goal_note})"
            flag = (
                '<span class="sc-flag" aria-label="Goal for this period only:'
                f' {escape(cell.goal_shown)}, {escape(cell.goal_note)}">◆</span>'
            )
        shown = escape(cell.shown)
        if cell.note:  # a computed figure that cannot be given: say what is missing
            classes += " sc-needs"
            hint = cell.note
            shown = f'needs rate<span class="visually-hidden">: {escape(cell.note)}</span>'
        if entry:
            said = "missing" if cell.value is None else shown
            label = f"{cell.period_start.day} {cell.period_start:%b %Y}: {said}"
            label += STATUS_WORDS.get(cell.status, "")
            value = (
                f'<a class="sc-value" href="{base}{key}/" aria-label="{title}, {label}. Edit">'
                f"{shown}</a>"
            )
        else:
            value = f'<span class="sc-value">{shown}</span>'
        parts.append(
            f'<td id="c-{pk}-{key}" class="{classes}" title="{escape(hint)}">{value}{flag}</td>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
