"""A partnership's meeting schedule over HTTP: the same service and arithmetic as the page.

Only real partnerships have a schedule: the program level holds no meetings.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Router, Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.schemas import Id, WallTime
from tandem.core.api.scope import partnership_from
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.meetings.models import Schedule
from tandem.meetings.schedule import services
from tandem.meetings.schedule.dates import default_schedule, upcoming
from tandem.meetings.schedule.selectors import describe
from tandem.partners.models import Partnership
from tandem.partners.schemas import CadenceValue

router = Router(tags=["Meetings"])

Minutes = Annotated[int, Field(ge=1, le=240)]
ScheduleVersion = Annotated[
    int,
    Field(ge=0, le=2**31 - 1, description="The schedule's version you read (0: none saved yet)."),
]


class OccurrenceOut(Schema):
    start: dt.datetime = Field(
        description="ISO 8601, in the schedule's time zone, with its offset."
    )
    end: dt.datetime
    kind: Literal["pulse", "quarterly"]


class ScheduleOut(Schema):
    partnership_id: int
    saved: bool = Field(description="False while the partnership runs on the defaults.")
    version: int = Field(description="Send it back to change the schedule; 0 until saved.")
    partnership_version: int
    summary: str
    cadence: CadenceValue
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    time: WallTime = Field(description="Local wall time in `timezone`; kept across DST changes.")
    timezone: str = Field(description="IANA time zone name, e.g. America/New_York")
    starts_on: dt.date
    quarterly: bool
    segue_minutes: int
    scorecard_minutes: int
    rocks_minutes: int
    todos_minutes: int
    issues_minutes: int
    conclusion_minutes: int
    next_meetings: list[OccurrenceOut]


class ScheduleIn(Schema):
    version: ScheduleVersion
    partnership_version: int | None = Field(
        default=None,
        description="The partnership's version, when you change the cadence (else the current).",
    )
    cadence: CadenceValue | None = None
    weekday: Annotated[int, Field(ge=0, le=6)] | None = None
    time: WallTime | None = None
    timezone: Annotated[str, StringConstraints(strip_whitespace=True, max_length=64)] | None = None
    starts_on: Day | None = None
    quarterly: StrictBool | None = None
    segue_minutes: Minutes | None = None
    scorecard_minutes: Minutes | None = None
    rocks_minutes: Minutes | None = None
    todos_minutes: Minutes | None = None
    issues_minutes: Minutes | None = None
    conclusion_minutes: Minutes | None = None


def _schedule(partnership: Partnership) -> Schedule:
    schedule = Schedule.objects.filter(partnership=partnership).first()
    if schedule is None:
        return default_schedule(partnership)
    schedule.partnership = partnership
    return schedule


def _out(partnership: Partnership, schedule: Schedule) -> dict[str, Any]:
    from django.utils import timezone

    return {
        "partnership_id": partnership.pk,
        "saved": schedule.pk is not None,
        "version": schedule.version if schedule.pk else 0,
        "partnership_version": partnership.version,
        "summary": describe(partnership, schedule),
        "cadence": partnership.cadence,
        **{name: getattr(schedule, name) for name in services.SCHEDULE_FIELDS},
        "next_meetings": [
            {"start": o.start, "end": o.end, "kind": str(o.kind)}
            for o in upcoming(partnership, schedule, timezone.now(), 5)
        ],
    }


@router.get(
    "/partnerships/{partnership_id}/meetings/schedule",
    response=ScheduleOut,
    openapi_extra={"x-access": "partnership"},
    summary="Read a partnership's meeting schedule and its next five meetings",
)
def get_schedule(request: TandemRequest, partnership_id: Id) -> Any:
    _, partnership = partnership_from(request, partnership_id)
    return _out(partnership, _schedule(partnership))


@router.put(
    "/partnerships/{partnership_id}/meetings/schedule",
    response=ScheduleOut,
    openapi_extra={"x-access": "partnership_manage"},
    summary="Change the meeting schedule (fields you leave out keep their values)",
)
def put_schedule(request: TandemRequest, partnership_id: Id, payload: ScheduleIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id, level="manage")
    values = payload.dict(exclude={"version", "partnership_version"}, exclude_none=True)
    schedule = services.schedule_save(
        actor=actor,
        partnership=partnership,
        version=payload.version,
        partnership_version=payload.partnership_version,
        **values,
    )
    return _out(partnership, schedule)
