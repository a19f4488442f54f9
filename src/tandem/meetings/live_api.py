"""The running meeting over HTTP: what its page does, for a tool or a script beside it. Each
operation is the page's action through the same service: the facilitator's controls (timer,
section, hand over, mark someone absent, end), and everyone's (headlines, a loose end, their
rating). A facilitator's control takes the meeting's ``version`` (from GET …/meetings/{id}):
a meeting that moved on meanwhile answers 409."""

from typing import Any, Literal

from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.accounts.models import User
from tandem.core.api.items import operation
from tandem.core.api.schemas import Id
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.core.scope import item_for
from tandem.meetings import services
from tandem.meetings.api import MEETINGS, MeetingOut, recap_reader
from tandem.meetings.models import Headline, Meeting
from tandem.partners.models import Partnership

router = Router(tags=["Meetings"])
ONE = MEETINGS + "/{meeting_id}"
VERSION = Field(
    description="The meeting's `version` as you last read it: a meeting that moved on since"
    " answers 409 (read it again)."
)
Visibility = Literal["shared", "internal"]


class MeetingTimerIn(Schema):
    running: bool = Field(description="True starts the section's clock, false pauses it.")
    version: int = VERSION


class MeetingSectionIn(Schema):
    section: str = Field(description="A section key of the meeting's agenda, e.g. `scorecard`.")
    version: int = VERSION


class MeetingPersonIn(Schema):
    user_id: Id = Field(description="The person's user id (from the meeting's attendees).")
    version: int = VERSION


class MeetingAbsentIn(Schema):
    user_id: Id
    absent: bool = Field(default=True, description="False marks them present again.")


class MeetingEndIn(Schema):
    version: int = VERSION


class MeetingHeadlineIn(Schema):
    kind: Literal["good_news", "partner", "customer"]
    text: str = Field(max_length=300)
    visibility: Visibility = "shared"


class MeetingHeadlineOut(Schema):
    id: int
    kind: str
    text: str
    visibility: str


class LooseEndIn(Schema):
    text: str = Field(max_length=200)
    owner_id: Id | None = Field(
        default=None, description="With an owner and a date it is a to-do; without, an issue."
    )
    due_on: Day | None = None
    visibility: Visibility = "shared"


class LooseEndOut(Schema):
    kind: Literal["todo", "issue"]
    id: int
    title: str


class MeetingRatingIn(Schema):
    rating: int = Field(description="1 to 10.")


class MeetingRatingOut(Schema):
    rating: int | None
    absent: bool


def _meeting(request: TandemRequest, partnership: Partnership, meeting_id: int) -> Meeting:
    recap_reader(request, partnership)  # MeetingOut's figures read what the caller sees
    meeting: Meeting = item_for(Meeting.objects.all(), request.actor, partnership, meeting_id)
    return meeting


def _person(user_id: int, field: str = "user_id") -> User:
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if person is None:
        raise InvalidInput(
            "Please correct the highlighted fields.", errors={field: ["No such person."]}
        )
    return person


def _updated(meeting: Meeting) -> Meeting:
    meeting.refresh_from_db()
    return meeting


@operation(
    router,
    "post",
    ONE + "/timer",
    level="partnership",
    response=MeetingOut,
    summary="Start or pause the section timer (the facilitator)",
)
def meeting_timer(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingTimerIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    services.timer_set(
        meeting, actor=request.actor, version=payload.version, running=payload.running
    )
    return _updated(meeting)


@operation(
    router,
    "post",
    ONE + "/section",
    level="partnership",
    response=MeetingOut,
    summary="Move everyone to a section of the agenda (the facilitator)",
)
def meeting_section(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingSectionIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    services.section_go(
        meeting, actor=request.actor, version=payload.version, section=payload.section
    )
    return _updated(meeting)


@operation(
    router,
    "post",
    ONE + "/facilitator",
    level="partnership",
    response=MeetingOut,
    summary="Hand the facilitator's role to an attendee (or take it, as a member)",
)
def meeting_facilitator(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingPersonIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    services.hand_over(
        meeting, actor=request.actor, version=payload.version, to=_person(payload.user_id)
    )
    return _updated(meeting)


@operation(
    router,
    "post",
    ONE + "/absences",
    level="partnership",
    response=MeetingRatingOut,
    summary="Mark someone expected as absent, or present again (the facilitator)",
)
def meeting_absent(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingAbsentIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    return services.mark_absent(
        meeting, actor=request.actor, user=_person(payload.user_id), absent=payload.absent
    )


@operation(
    router,
    "post",
    ONE + "/headlines",
    level="partnership",
    response={201: MeetingHeadlineOut},
    summary="Add a headline: good news, partner news or customer news",
)
def meeting_headline_add(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingHeadlineIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    headline = services.headline_add(
        meeting,
        actor=request.actor,
        kind=payload.kind,
        text=payload.text,
        visibility=payload.visibility,
    )
    return Status(201, headline)


@operation(
    router,
    "delete",
    ONE + "/headlines/{headline_id}",
    level="partnership",
    response={204: None},
    summary="Delete a headline while the meeting runs",
)
def meeting_headline_delete(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, headline_id: Id
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    headline = (
        Headline.objects.visible_to(request.actor)
        .filter(meeting=meeting, pk=headline_id)
        .select_related("meeting")
        .first()
    )
    if headline is None:
        raise Http404("No such headline in this meeting.")
    services.headline_delete(headline, actor=request.actor)
    return Status(204, None)


@operation(
    router,
    "post",
    ONE + "/loose-ends",
    level="partnership",
    response={201: LooseEndOut},
    summary="Tie a loose end: a to-do with an owner and a date, else an issue",
)
def meeting_loose_end(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: LooseEndIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    owner = None if payload.owner_id is None else _person(payload.owner_id, "owner_id")
    tied = services.loose_end(
        meeting,
        actor=request.actor,
        text=payload.text,
        owner=owner,
        due_on=payload.due_on,
        visibility=payload.visibility,
    )
    kind = "todo" if tied._meta.model_name == "todo" else "issue"
    return Status(201, {"kind": kind, "id": tied.pk, "title": tied.title})


@operation(
    router,
    "put",
    ONE + "/rating",
    level="partnership",
    response=MeetingRatingOut,
    summary="Your rating of the meeting, 1 to 10 (until it ends)",
)
def meeting_rate(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingRatingIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    return services.rate(meeting, actor=request.actor, rating=payload.rating)


@operation(
    router,
    "post",
    ONE + "/end",
    level="partnership",
    response=MeetingOut,
    summary="End the meeting: the recap is stored and mailed (the facilitator)",
)
def meeting_end(
    request: TandemRequest, partnership: Partnership, meeting_id: Id, payload: MeetingEndIn
) -> Any:
    meeting = _meeting(request, partnership, meeting_id)
    services.meeting_end(meeting, actor=request.actor, version=payload.version)
    return _updated(meeting)
