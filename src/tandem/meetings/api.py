"""Meetings over HTTP: the history, one meeting with its recap (cut down to what the caller
may see), and starting one. The live meeting itself is run from its page."""

import datetime as dt
from typing import Any, Literal

from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from tandem.accounts.actors import actor_for
from tandem.core.api.pagination import Pages
from tandem.core.api.schemas import Id
from tandem.core.api.scope import partnership_from
from tandem.core.http import TandemRequest
from tandem.core.params import SearchText
from tandem.core.scope import item_for
from tandem.meetings import recap, selectors, services
from tandem.meetings.models import Meeting

router = Router(tags=["Meetings"])
ACCESS = {"x-access": "partnership"}


class MeetingOut(Schema):
    id: int
    kind: Literal["pulse", "quarterly"]
    started_at: dt.datetime
    ended_at: dt.datetime | None = Field(description="Null while the meeting is running.")
    live: bool
    section: str = Field(description="The section the meeting is in (or ended in).")
    minutes: int | None = Field(description="How long it ran, once ended.")
    rating_average: float | None
    todos_done: int | None = Field(description="Of the week's to-dos the caller may see.")
    todos_due: int | None

    @staticmethod
    def resolve_live(obj: Any) -> bool:
        return _field(obj, "live")

    @staticmethod
    def resolve_minutes(obj: Any) -> int | None:
        return _field(obj, "minutes")

    @staticmethod
    def resolve_rating_average(obj: Any) -> float | None:
        return _field(obj, "rating_average")

    @staticmethod
    def resolve_todos_done(obj: Any, context: dict[str, Any]) -> int | None:
        return _completion(obj, context, 0)

    @staticmethod
    def resolve_todos_due(obj: Any, context: dict[str, Any]) -> int | None:
        return _completion(obj, context, 1)


def _field(obj: Any, name: str) -> Any:
    if isinstance(obj, dict):
        return obj[name]
    return _out(obj, None)[name]


def _completion(obj: Any, context: dict[str, Any], index: int) -> int | None:
    if isinstance(obj, dict):
        return obj["todos_done" if index == 0 else "todos_due"]
    if not obj.recap:
        return None
    request = context["request"]
    if not hasattr(request, "tandem_recap_seen"):
        # What this caller sees of the partnership's recaps, asked once per request.
        actor = actor_for(request.auth)
        request.tandem_recap_seen = recap.seen_by(actor, obj.partnership)
    rate = recap.completion_for(obj.recap, request.tandem_recap_seen)
    if rate is None:
        return None
    return rate.done if index == 0 else rate.due


class AttendeeOut(Schema):
    name: str
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


class MeetingIn(Schema):
    kind: Literal["pulse", "quarterly"] = "pulse"


def _out(meeting: Meeting, seen: recap.Seen | None) -> dict[str, Any]:
    rate = recap.completion_for(meeting.recap, seen)
    return {
        "id": meeting.pk,
        "kind": meeting.kind,
        "started_at": meeting.started_at,
        "ended_at": meeting.ended_at,
        "live": meeting.is_live,
        "section": meeting.section,
        "minutes": round(meeting.duration.total_seconds() / 60) if meeting.duration else None,
        "rating_average": float(meeting.rating_average) if meeting.rating_average else None,
        "todos_done": rate.done if rate else None,
        "todos_due": rate.due if rate else None,
    }


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


@router.get(
    "/partnerships/{partnership_id}/meetings",
    response=list[MeetingOut],
    openapi_extra=ACCESS,
    summary="List a partnership's meetings, newest first (`q` searches the recaps)",
)
@paginate(Pages)
def list_meetings(request: TandemRequest, partnership_id: Id, q: SearchText = "") -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    seen = recap.seen_by(actor, partnership)
    request.tandem_recap_seen = seen  # type: ignore[attr-defined]
    meetings = selectors.search_recaps(
        Meeting.objects.visible_to(actor).in_scope(partnership).order_by("-started_at", "-id"),
        q,
        seen,
    )
    if q and seen is not None:
        return [meeting for meeting in meetings if recap.matches(meeting.recap, q, seen)]
    return meetings


@router.get(
    "/partnerships/{partnership_id}/meetings/{meeting_id}",
    response=MeetingDetailOut,
    openapi_extra=ACCESS,
    summary="One meeting: who attended, their ratings, and its recap",
)
def get_meeting(request: TandemRequest, partnership_id: Id, meeting_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    meeting = item_for(Meeting.objects.all(), actor, partnership, meeting_id)
    seen = recap.seen_by(actor, partnership)
    shown = recap.for_reader(meeting.recap, seen)
    return {
        **_out(meeting, seen),
        "attendees": [
            {
                "name": attendee.user.get_full_name(),
                "side": attendee.side,
                "rating": attendee.rating,
                "absent": attendee.absent,
            }
            for attendee in selectors.attendees(meeting)
        ],
        "recap": _clean(shown),
    }


@router.post(
    "/partnerships/{partnership_id}/meetings",
    response={201: MeetingOut},
    openapi_extra=ACCESS,
    summary="Start a meeting (you facilitate it); refused while one is running",
)
def start_meeting(request: TandemRequest, partnership_id: Id, payload: MeetingIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    meeting = services.meeting_start(actor=actor, partnership=partnership, kind=payload.kind)
    return Status(201, _out(meeting, recap.seen_by(actor, partnership)))
