"""When a partnership meets: the dates its schedule produces, as aware datetimes.

Pure arithmetic on a ``Schedule`` and its partnership's cadence (no queries), so pages, the
API, the calendar feed and the home page all compute the same meetings. A meeting keeps its
local wall time in the schedule's time zone across daylight-saving changes (09:00 in New
York is 14:00 UTC in winter and 13:00 UTC in summer). A local time that does not exist on a
spring-forward day is moved on by the gap (02:30 → 03:30), and one that happens twice on a
fall-back day is the first of the two, as RFC 5545 reads them.

The rhythm comes from seed 000: a weekly pulse and, every 90 days, a quarterly meeting that
takes the place of the quarter's last pulse.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tandem.meetings.models import Kind, Schedule
from tandem.partners.models import Cadence, Partnership, Stage

# Partnerships in these stages do not meet (nor do archived ones).
NOT_MEETING = (Stage.PAUSED, Stage.ENDED)
# How far next_occurrence looks ahead of its start: more than a quarter, for any cadence.
HORIZON = timedelta(days=400)


@dataclass(frozen=True)
class Occurrence:
    """One meeting the schedule holds: start and end in the schedule's time zone."""

    start: datetime
    end: datetime
    kind: str

    @property
    def local_date(self) -> date:
        return self.start.date()

    @property
    def kind_label(self) -> str:
        return Kind(self.kind).label

    @property
    def minutes(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)

    def uid(self, partnership_id: int) -> str:
        """Stable across feeds and edits of the time: the partnership, the day, the kind."""
        return f"meeting-{partnership_id}-{self.local_date:%Y%m%d}-{self.kind}@tandem"


def meeting_label(kind: str, cadence: str) -> str:
    """The label of a meeting: "Weekly pulse", or for partnerships that meet less often
    "Pulse meeting"; and "Quarterly meeting"."""
    if kind == Kind.PULSE and cadence != Cadence.WEEKLY:
        return "Pulse meeting"
    return Kind(kind).label


def schedule_of(partnership: Partnership) -> Schedule:
    """The partnership's schedule, or the defaults (unsaved) when it has none yet. Loads
    nothing when the caller used ``select_related("schedule")``."""
    try:
        return partnership.schedule
    except Schedule.DoesNotExist:
        return default_schedule(partnership)


def default_schedule(partnership: Partnership) -> Schedule:
    """The schedule of a partnership that has not saved one: the model's defaults, counted
    from the day the partnership was created, so an every-two-weeks or monthly series stays
    on the same days from one day to the next."""
    schedule = Schedule(partnership=partnership)
    if partnership.created_at is not None:
        schedule.starts_on = partnership.created_at.date()
    return schedule


def zone_of(schedule: Schedule) -> ZoneInfo:
    try:
        return ZoneInfo(schedule.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def meets(partnership: Partnership) -> bool:
    return not partnership.is_archived and partnership.stage not in NOT_MEETING


def occurrences(
    partnership: Partnership, schedule: Schedule, start: datetime, end: datetime
) -> list[Occurrence]:
    """The meetings that start in [start, end) (aware datetimes), soonest first."""
    if not meets(partnership) or end <= start:
        return []
    zone = zone_of(schedule)
    from_day = start.astimezone(zone).date() - timedelta(days=1)
    last_day = end.astimezone(zone).date() + timedelta(days=1)
    found = []
    for day, kind in _meeting_days(partnership.cadence, schedule, since=from_day):
        if day > last_day:
            break
        occurrence = _occurrence(schedule, zone, day, kind)
        if start <= occurrence.start < end:
            found.append(occurrence)
    return found


def next_occurrence(
    partnership: Partnership, schedule: Schedule, after: datetime
) -> Occurrence | None:
    """The first meeting that starts at or after ``after``, or None if it does not meet."""
    if not meets(partnership):
        return None
    zone = zone_of(schedule)
    since = max(after.astimezone(zone).date(), schedule.starts_on) - timedelta(days=1)
    for day, kind in _meeting_days(partnership.cadence, schedule, since=since):
        if day > since + HORIZON:
            return None
        occurrence = _occurrence(schedule, zone, day, kind)
        if occurrence.start >= after:
            return occurrence
    return None  # pragma: no cover - the series is endless


def upcoming(
    partnership: Partnership, schedule: Schedule, after: datetime, count: int
) -> list[Occurrence]:
    """The next ``count`` meetings at or after ``after``."""
    found: list[Occurrence] = []
    while len(found) < count:
        occurrence = next_occurrence(partnership, schedule, after)
        if occurrence is None:
            break
        found.append(occurrence)
        after = occurrence.start + timedelta(seconds=1)
    return found


def duration(schedule: Schedule, kind: str) -> timedelta:
    return timedelta(minutes=sum(minutes for _, minutes in schedule.timeboxes(kind)))


def _occurrence(schedule: Schedule, zone: ZoneInfo, day: date, kind: str) -> Occurrence:
    # fold=0: an ambiguous time is its first instance; a missing one reads with the offset
    # before the gap. The round trip through UTC then gives the wall time that exists.
    naive = datetime.combine(day, schedule.time)
    start = naive.replace(tzinfo=zone).astimezone(UTC)
    end = start + duration(schedule, kind)
    return Occurrence(start=start.astimezone(zone), end=end.astimezone(zone), kind=kind)


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3


def _meeting_days(cadence: str, schedule: Schedule, *, since: date) -> Iterator[tuple[date, str]]:
    """(day, kind) of every meeting on or after ``since``. With the quarterly meeting on,
    the last meeting day of each quarter holds it instead of the pulse."""
    if cadence == Cadence.QUARTERLY:
        for day in _quarter_ends(schedule, since):
            yield day, Kind.QUARTERLY
        return
    days = _cadence_days(cadence, schedule, since)
    day = next(days)
    for following in days:
        last_of_quarter = _quarter(following) != _quarter(day)
        yield day, Kind.QUARTERLY if schedule.quarterly and last_of_quarter else Kind.PULSE
        day = following


def first_day(schedule: Schedule) -> date:
    """The first meeting: the schedule's weekday on or after its start date."""
    start = schedule.starts_on
    return start + timedelta(days=(schedule.weekday - start.weekday()) % 7)


def _cadence_days(cadence: str, schedule: Schedule, since: date) -> Iterator[date]:
    first = first_day(schedule)
    if cadence == Cadence.MONTHLY:
        yield from _monthly_days(schedule, first, since)
        return
    step = 14 if cadence == Cadence.BIWEEKLY else 7
    index = max(0, (since - first).days // step)
    while True:
        yield first + timedelta(days=step * index)
        index += 1


def _monthly_days(schedule: Schedule, first: date, since: date) -> Iterator[date]:
    """The same n-th weekday of every month as the first meeting (a fifth one: the last)."""
    nth = (first.day - 1) // 7 + 1
    year, month = (first.year, first.month) if since <= first else (since.year, since.month)
    while True:
        day = _nth_weekday(year, month, schedule.weekday, nth)
        if day >= first:
            yield day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> date:
    offset = (weekday - date(year, month, 1).weekday()) % 7
    day = 1 + offset + 7 * (nth - 1)
    if nth >= 5 or day > calendar.monthrange(year, month)[1]:
        return _last_weekday(year, month, weekday)
    return date(year, month, day)


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _quarter_ends(schedule: Schedule, since: date) -> Iterator[date]:
    """Cadence "quarterly": only the quarterly meeting, on the quarter's last weekday."""
    start = max(since, schedule.starts_on)
    year, quarter = _quarter(start)
    while True:
        day = _last_weekday(year, quarter * 3 + 3, schedule.weekday)
        if day >= schedule.starts_on:
            yield day
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)
