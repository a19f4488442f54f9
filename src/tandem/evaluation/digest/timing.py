"""When a person's digest is due, in their own time zone.

The scheduler runs the digest task at the top of every hour (UTC). A person's digest is due
at their day and hour on their wall clock; it goes at the first hourly run at or after that
moment. So a zone half an hour off UTC (Asia/Kolkata, 08:00 = 02:30 UTC) gets it at 03:00
UTC, and a wall hour that a daylight-saving change skips (02:00 on the spring-forward night)
at the first run after the skip. A run up to ``LATE`` after the moment still sends it (the
worker was down at the hour); later, that week's digest is dropped rather than mailed days
late. The week is the ISO week (from Monday) of the person's wall clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LATE = dt.timedelta(days=1)


def zone_of(name: str | None) -> ZoneInfo:
    """The person's zone, UTC when it is not one we know."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def due_at(zone: ZoneInfo, week: dt.date, weekday: int, hour: int) -> dt.datetime:
    """The moment (UTC) of the digest of ``week`` (its Monday) at ``weekday`` and ``hour``
    on the wall clock of ``zone``. A skipped wall hour reads with the offset before the
    change, which lands just after it."""
    wall = dt.datetime.combine(week + dt.timedelta(days=weekday), dt.time(hour), tzinfo=zone)
    return wall.astimezone(dt.UTC)


def due_week(zone: ZoneInfo, weekday: int, hour: int, at: dt.datetime) -> dt.date | None:
    """The week (its Monday, on the person's clock) whose digest is due at the run ``at``,
    or None: due when its moment is at or before ``at`` and less than ``LATE`` before."""
    monday = monday_of(at.astimezone(zone).date())
    for week in (monday, monday - dt.timedelta(days=7)):
        moment = due_at(zone, week, weekday, hour)
        if moment <= at < moment + LATE:
            return week
    return None


def next_due(zone: ZoneInfo, weekday: int, hour: int, now: dt.datetime) -> dt.datetime:
    """The next moment (UTC) a digest is due after ``now``, for the settings page."""
    monday = monday_of(now.astimezone(zone).date())
    for week in (monday, monday + dt.timedelta(days=7)):
        moment = due_at(zone, week, weekday, hour)
        if moment > now:
            return moment
    return due_at(zone, monday + dt.timedelta(days=14), weekday, hour)
