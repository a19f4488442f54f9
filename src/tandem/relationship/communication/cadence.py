"""Planned touches: the dates a plan entry's cadence produces, on the partnership's clock.

Pure arithmetic on the entry's start date and cadence (no queries), so the page, the API and
the health panel count the same touches. A monthly touch keeps its day of the month (the
31st falls on the month's last day); a quarterly one comes every three months.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from datetime import date, timedelta

from tandem.partners.models import Cadence

# The stretch the page and the health panel judge a plan on: the last quarter's touches.
WINDOW = timedelta(days=90)
STEP_DAYS: dict[str, int] = {Cadence.WEEKLY: 7, Cadence.BIWEEKLY: 14}
STEP_MONTHS: dict[str, int] = {Cadence.MONTHLY: 1, Cadence.QUARTERLY: 3}


def _add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def _nth(starts_on: date, cadence: str, n: int) -> date:
    if cadence in STEP_DAYS:
        return starts_on + timedelta(days=STEP_DAYS[cadence] * n)
    return _add_months(starts_on, STEP_MONTHS.get(cadence, 1) * n)


def _index_on_or_before(starts_on: date, cadence: str, day: date) -> int:
    """The index of the last planned touch on or before ``day`` (-1 if none)."""
    if day < starts_on:
        return -1
    if cadence in STEP_DAYS:
        return (day - starts_on).days // STEP_DAYS[cadence]
    step = STEP_MONTHS.get(cadence, 1)
    months = (day.year - starts_on.year) * 12 + day.month - starts_on.month
    n = months // step
    while n > 0 and _nth(starts_on, cadence, n) > day:
        n -= 1
    return n if _nth(starts_on, cadence, n) <= day else -1


def planned_between(starts_on: date, cadence: str, first: date, last: date) -> list[date]:
    """Planned touches in [first, last], earliest first."""
    end = _index_on_or_before(starts_on, cadence, last)
    begin = max(0, _index_on_or_before(starts_on, cadence, first - timedelta(days=1)) + 1)
    return [_nth(starts_on, cadence, n) for n in range(begin, end + 1)]


def last_planned(starts_on: date, cadence: str, today: date, count: int) -> list[date]:
    """The last ``count`` planned touches due by ``today``, earliest first."""
    end = _index_on_or_before(starts_on, cadence, today)
    return [_nth(starts_on, cadence, n) for n in range(max(0, end - count + 1), end + 1)]


def next_planned(starts_on: date, cadence: str, today: date) -> date:
    """The first planned touch after ``today``."""
    return _nth(starts_on, cadence, _index_on_or_before(starts_on, cadence, today) + 1)


def is_planned(starts_on: date, cadence: str, day: date) -> bool:
    n = _index_on_or_before(starts_on, cadence, day)
    return n >= 0 and _nth(starts_on, cadence, n) == day


def iter_planned(starts_on: date, cadence: str, until: date) -> Iterator[date]:
    n = 0
    while (day := _nth(starts_on, cadence, n)) <= until:
        yield day
        n += 1
