"""A partnership's meeting schedule over HTTP: the same service and arithmetic as the page.

Only real partnerships have a schedule: the program level holds no meetings.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Router, Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.items import operation
from tandem.core.api.schemas import WallTime
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.meetings.models import Schedule
from tandem.meetings.schedule import services
from tandem.meetings.schedule.dates import schedule_of, upcoming
from tandem.meetings.schedule.selectors import as_read, describe
from tandem.partners.models import Partnership
from tandem.partners.schemas import CadenceValue

router = Router(tags=["Meetings"])
SCHEDULE = "/partnerships/{partnership_id}/meetings/schedule"

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


def _out(partnership: Partnership, schedule: Schedule) -> dict[str, Any]:
    return {
        "partnership_id": partnership.pk,
        "saved": schedule.pk is not None,
        "summary": describe(partnership, schedule),
        **as_read(partnership, schedule),
        "next_meetings": [
            {"start": o.start, "end": o.end, "kind": str(o.kind)}
            for o in upcoming(partnership, schedule, timezone.now(), 5)
        ],
    }


@operation(router, "get", SCHEDULE, level="partnership", response=ScheduleOut)
def get_schedule(request: TandemRequest, partnership: Partnership) -> Any:
    """Read a partnership's meeting schedule and its next five meetings"""
    return _out(partnership, schedule_of(partnership))


@operation(router, "put", SCHEDULE, level="partnership_manage", response=ScheduleOut)
def put_schedule(request: TandemRequest, partnership: Partnership, payload: ScheduleIn) -> Any:
    """Change the meeting schedule (fields you leave out keep their values)"""
    values = payload.dict(exclude_none=True)  # the versions among them
    schedule = services.schedule_save(actor=request.actor, partnership=partnership, **values)
    return _out(partnership, schedule)
