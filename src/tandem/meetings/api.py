"""Meetings over HTTP: the history, one meeting with its recap (cut down to what the caller
may see), and starting one. The live meeting itself is run from its page."""

import datetime as dt
from typing import Any, Literal

from ninja import Router, Schema, Status
from pydantic import Field

from tandem.core.api.items import operation
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.params import SearchText
from tandem.core.scope import item_for
from tandem.meetings import recap, selectors, services
from tandem.meetings.models import Attendee, Meeting
from tandem.partners.models import Partnership
from tandem.traction.selectors import Rate

router = Router(tags=["Meetings"])
MEETINGS = "/partnerships/{partnership_id}/meetings"


def _rate(meeting: Meeting, context: dict[str, Any]) -> Rate | None:
    # What the caller sees of the partnership's recaps: read once, by the operation.
    return recap.completion_for(meeting.recap, context["request"].tandem_recap_seen)


class MeetingOut(Schema):
    id: int
    kind: Literal["pulse", "quarterly"]
    started_at: dt.datetime
    ended_at: dt.datetime | None = Field(description="Null while the meeting is running.")
    live: bool = Field(alias="is_live")
    version: int = Field(
        description="Moves on with every change of the running meeting; the facilitator's"
        " controls take it back."
    )
    section: str = Field(description="The section the meeting is in (or ended in).")
    minutes: int | None = Field(description="How long it ran, once ended.")
    rating_average: float | None
    todos_done: int | None = Field(description="Of the week's to-dos the caller may see.")
    todos_due: int | None

    @staticmethod
    def resolve_minutes(meeting: Meeting) -> int | None:
        return round(meeting.duration.total_seconds() / 60) if meeting.duration else None

    @staticmethod
    def resolve_todos_done(meeting: Meeting, context: dict[str, Any]) -> int | None:
        rate = _rate(meeting, context)
        return rate.done if rate else None

    @staticmethod
    def resolve_todos_due(meeting: Meeting, context: dict[str, Any]) -> int | None:
        rate = _rate(meeting, context)
        return rate.due if rate else None


class AttendeeOut(Schema):
    name: str = Field(alias="user.get_full_name")
    side: Literal["member", "partner"]
    rating: int | None
    absent: bool


class MeetingDetailOut(MeetingOut):
    attendees: list[AttendeeOut]
    recap: dict[str, Any] = Field(
        description="What the meeting produced (empty while it runs): to-dos, solved and "
        "carried issues, rocks, scorecard misses, headlines, ratings, completion and the next "
        "meeting. A partner-side caller's copy holds shared items only."
    )

    @staticmethod
    def resolve_attendees(meeting: Meeting) -> list[Attendee]:
        return selectors.attendees(meeting)

    @staticmethod
    def resolve_recap(meeting: Meeting, context: dict[str, Any]) -> dict[str, Any]:
        return _clean(recap.for_reader(meeting.recap, context["request"].tandem_recap_seen))


class MeetingIn(Schema):
    kind: Literal["pulse", "quarterly"] = "pulse"


def _clean(shown: dict[str, Any]) -> dict[str, Any]:
    """The recap as stored, without the per-item visibility flags and page helpers."""
    helpers = {"rate", "rated", "next_meeting_at", "started", "completion"}
    result = {key: value for key, value in shown.items() if key not in helpers}
    for key, value in result.items():
        if isinstance(value, list):
            result[key] = [
                {k: v for k, v in item.items() if k not in {"shared", "ref"}}
                if isinstance(item, dict)
                else item
                for item in value
            ]
    if "rate" in shown:
        result["todos"] = result.get("todos", [])
        result["completion"] = {"done": shown["rate"]["done"], "due": shown["rate"]["total"]}
    return result


def recap_reader(request: TandemRequest, partnership: Partnership) -> recap.Seen | None:
    request.tandem_recap_seen = recap.seen_by(request.actor, partnership)  # type: ignore[attr-defined]
    return request.tandem_recap_seen  # type: ignore[attr-defined]


@operation(router, "get", MEETINGS, level="partnership", paginated=True, response=list[MeetingOut])
def list_meetings(request: TandemRequest, partnership: Partnership, q: SearchText = "") -> Any:
    """List a partnership's meetings, newest first (`q` searches the recaps)"""
    meetings = Meeting.objects.visible_to(request.actor).in_scope(partnership)
    seen = recap_reader(request, partnership)
    return recap.search(meetings.order_by("-started_at", "-id"), q, seen)


@operation(
    router, "get", MEETINGS + "/{meeting_id}", level="partnership", response=MeetingDetailOut,
    summary="One meeting: who attended, their ratings, and its recap",
)  # fmt: skip
def get_meeting(request: TandemRequest, partnership: Partnership, meeting_id: Id) -> Any:
    recap_reader(request, partnership)
    return item_for(Meeting.objects.all(), request.actor, partnership, meeting_id)


@operation(router, "post", MEETINGS, level="partnership", response={201: MeetingOut})
def start_meeting(request: TandemRequest, partnership: Partnership, payload: MeetingIn) -> Any:
    """Start a meeting (you facilitate it); refused while one is running"""
    recap_reader(request, partnership)
    meeting = services.meeting_start(
        actor=request.actor, partnership=partnership, kind=payload.kind
    )
    return Status(201, meeting)
