"""Reading meeting schedules: the upcoming meetings across a person's partnerships, and how a
meeting's time reads in its own time zone and in the viewer's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tandem.core.access import Actor
from tandem.core.dates import zone_label
from tandem.meetings.models import Schedule, validate_timezone
from tandem.meetings.schedule.dates import (
    NOT_MEETING,
    Occurrence,
    default_schedule,
    meeting_label,
    occurrences,
    schedule_of,
    upcoming,
)
from tandem.meetings.schedule.soonest import soonest
from tandem.partners.models import Partnership, PartnershipQuerySet

# The browser's time zone, set by app.js (Intl.DateTimeFormat), so times can be shown in
# the viewer's zone too. Only ever a name we know; anything else is ignored.
VIEWER_TZ_COOKIE = "tz"


def meetings_url(partnership_id: int) -> str:
    """The partnership's meetings page (its overview until the meetings pages exist)."""
    try:
        return reverse("meeting_list", args=[partnership_id])
    except NoReverseMatch:
        return reverse("partnership_detail", args=[partnership_id])


def viewer_zone(request: Any) -> ZoneInfo | None:
    name = request.COOKIES.get(VIEWER_TZ_COOKIE, "")[:64]
    if not name:
        return None
    try:
        validate_timezone(name)
        return ZoneInfo(name)
    except (ValidationError, ValueError, ZoneInfoNotFoundError):
        return None


def when(moment: datetime, zone: ZoneInfo | None = None, *, year: bool = False) -> str:
    """ "Tue 14 Apr, 10:00 EDT" — the day, the wall time and the zone's abbreviation."""
    local = moment.astimezone(zone) if zone is not None else moment
    day = f"{local:%a} {local.day} {local:%b}" + (f" {local.year}" if year else "")
    return f"{day}, {local:%H:%M} {local.tzname() or ''}".strip()


def same_wall_clock(moment: datetime, zone: ZoneInfo | None) -> bool:
    if zone is None:
        return True
    return moment.utcoffset() == moment.astimezone(zone).utcoffset()


@dataclass(frozen=True)
class Upcoming:
    """A meeting to show: where, what, and when for the partnership and for the viewer."""

    partnership: Partnership
    occurrence: Occurrence
    viewer: ZoneInfo | None = None

    @property
    def kind_label(self) -> str:
        return meeting_label(self.occurrence.kind, self.partnership.cadence)

    @property
    def is_quarterly(self) -> bool:
        return self.occurrence.kind == "quarterly"

    @property
    def when(self) -> str:
        return when(self.occurrence.start)

    @property
    def when_with_year(self) -> str:
        return when(self.occurrence.start, year=True)

    @property
    def ends(self) -> str:
        return f"{self.occurrence.end:%H:%M}"

    @property
    def viewer_when(self) -> str:
        """The same moment in the viewer's zone, or "" when it reads the same there."""
        if same_wall_clock(self.occurrence.start, self.viewer):
            return ""
        return when(self.occurrence.start, self.viewer)

    @property
    def iso(self) -> str:
        return self.occurrence.start.isoformat()

    @property
    def url(self) -> str:
        return meetings_url(self.partnership.pk)


def next_meetings(
    partnership: Partnership,
    schedule: Schedule,
    *,
    count: int = 5,
    viewer: ZoneInfo | None = None,
    now: datetime | None = None,
) -> list[Upcoming]:
    found = upcoming(partnership, schedule, now or timezone.now(), count)
    return [Upcoming(partnership, occurrence, viewer) for occurrence in found]


def next_meeting(
    partnership: Partnership, *, viewer: ZoneInfo | None = None, now: datetime | None = None
) -> Upcoming | None:
    """The partnership's next meeting (its schedule read in one query, or none when the
    partnership was loaded with it)."""
    if Partnership.schedule.is_cached(partnership):
        schedule = getattr(partnership, "schedule", None)
    else:
        schedule = Schedule.objects.filter(partnership=partnership).first()
    if schedule is None:
        schedule = default_schedule(partnership)
    found = next_meetings(partnership, schedule, count=1, viewer=viewer, now=now)
    return found[0] if found else None


def meeting_partnerships(actor: Actor, *, workspace_id: int | None) -> PartnershipQuerySet:
    """The partnerships whose meetings a person's home shows, schedules loaded alongside:
    a member's current workspace's partnerships, or a partner-side person's own."""
    partnerships = Partnership.objects.visible_to(actor).current().exclude(stage__in=NOT_MEETING)
    if workspace_id is not None:
        partnerships = partnerships.filter(workspace_id=workspace_id)
    else:
        partnerships = partnerships.filter(pk__in=sorted(actor.partner_partnerships))
    return partnerships.select_related("schedule")


def upcoming_meetings(
    actor: Actor,
    *,
    workspace_id: int | None = None,
    days: int = 14,
    limit: int = 10,
    viewer: ZoneInfo | None = None,
    now: datetime | None = None,
) -> list[Upcoming]:
    """The next meetings (``days`` ahead, at most ``limit``) across the partnerships the
    person's home shows, soonest first: those of the ``limit`` partnerships that meet soonest
    (``soonest``: two queries when nothing is stale, whatever the number of partnerships)."""
    start = now or timezone.now()
    end = start + timedelta(days=days)
    partnerships = meeting_partnerships(actor, workspace_id=workspace_id)
    found = [
        Upcoming(partnership, occurrence, viewer)
        for partnership in soonest(partnerships, start, limit)
        for occurrence in occurrences(partnership, schedule_of(partnership), start, end)
    ]
    found.sort(key=lambda item: (item.occurrence.start, item.partnership.pk))
    return found[:limit]


ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "last"}


def describe(partnership: Partnership, schedule: Schedule) -> str:
    """The schedule in a sentence: "Every Tuesday at 10:00, New York (EST)"."""
    from tandem.meetings.schedule.dates import first_day
    from tandem.partners.models import Cadence

    weekday = schedule.get_weekday_display()
    at = f"at {schedule.time:%H:%M}, {zone_label(schedule.timezone)}"
    cadence = partnership.cadence
    if cadence == Cadence.QUARTERLY:
        return f"A quarterly meeting on the last {weekday} of each quarter, {at}"
    if cadence == Cadence.MONTHLY:
        nth = (first_day(schedule).day - 1) // 7 + 1
        rhythm = f"The {ORDINALS[nth]} {weekday} of each month"
    elif cadence == Cadence.BIWEEKLY:
        rhythm = f"Every other {weekday}"
    else:
        rhythm = f"Every {weekday}"
    quarterly = "; the quarter's last one is the quarterly meeting" if schedule.quarterly else ""
    return f"{rhythm} {at}{quarterly}"


def as_read(partnership: Partnership, schedule: Schedule) -> dict[str, Any]:
    """What a change of the schedule starts from: its fields, its version (0 until saved),
    and the partnership's version and cadence (the cadence lives on the partnership)."""
    return {
        **{name: getattr(schedule, name) for name in Schedule.concurrency_fields},
        "version": schedule.version if schedule.pk else 0,
        "partnership_version": partnership.version,
        "cadence": partnership.cadence,
    }
