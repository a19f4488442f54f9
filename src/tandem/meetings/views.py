"""Meeting pages: the partnership's meetings (start one, join the running one, the
history), the live meeting every attendee shares, and the recap of an ended one.

Every action in a live meeting answers htmx with the meeting's live region, rendered for the
person who acted; the others' pages hear the partnership's new data version on their stream
(``meeting_stream``) and fetch theirs (``meeting_live``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import wraps
from typing import Any, TypeVar

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model, QuerySet
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.models import User
from tandem.core import exports, live
from tandem.core.access import Actor, Visibility
from tandem.core.decorators import access
from tandem.core.errors import DomainError, InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.numbers import percent
from tandem.core.params import query_text
from tandem.core.policy import people_of
from tandem.core.scope import item_for, partnership_for
from tandem.core.views import refusal
from tandem.issues import services as issue_services
from tandem.issues.models import Issue, Term
from tandem.issues.services import NewTodo
from tandem.meetings import recap, selectors, services
from tandem.meetings.models import SECTIONS, Headline, Kind, Meeting
from tandem.meetings.schedule.dates import schedule_of, zone_of
from tandem.meetings.schedule.selectors import next_meeting, viewer_zone
from tandem.meetings.sections import CONTEXT as SECTION_CONTEXT
from tandem.partners.models import Partnership
from tandem.scorecard.models import Measurable
from tandem.traction import rocks as rock_services
from tandem.traction import services as todo_services
from tandem.traction.models import Rock, RockStatus, Todo

PER_PAGE = 25
STALE_AFTER = timedelta(hours=12)  # a meeting still running after this was left open
T = TypeVar("T", bound=Model)


def _meeting(request: TandemRequest, partnership: Any, meeting_id: str) -> Meeting:
    meetings = Meeting.objects.select_related("facilitator")
    return item_for(meetings, request.actor, partnership, meeting_id)


def _current_version(partnership: Any) -> int:
    """The partnership's data version as committed now (this request may have moved it)."""
    return (
        Partnership.objects.filter(pk=partnership.pk).values_list("data_version", flat=True).first()
        or 0
    )


def _fresh(request: TandemRequest, partnership: Any, meeting_id: str) -> tuple[int, Meeting]:
    """The data version, then the meeting as it is now: read in that order, what a page
    shows is never older than the version it is stamped with. (Stamped the other way round,
    a change committed between the two reads would be missing from the page while its poll
    said "nothing new" for ever.)"""
    version = _current_version(partnership)
    return version, _meeting(request, partnership, meeting_id)


# --- The partnership's meetings ----------------------------------------------------------------


# Every meeting the reader may see, the running one too.
MEETING_COLUMNS = exports.item_columns(
    Meeting,
    ("kind", "scheduled_for", "started_at", "ended_at", "facilitator", "rating_average"),
    extra=[
        exports.field_column(Meeting, "recap_sent_at"),
        exports.field_column(Meeting, "visibility"),
    ],
)


@access("partnership")
@require_GET
def meeting_export(request: TandemRequest, partnership: Partnership) -> Any:
    meetings = Meeting.objects.visible_to(request.actor).in_scope(partnership)
    meetings = meetings.order_by("-started_at", "-id")
    return exports.download(request, partnership, "meetings", MEETING_COLUMNS, meetings)


@access("partnership")
def meeting_list(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    actor = request.actor
    seen = recap.seen_by(actor, partnership)
    query = query_text(request)
    ended = selectors.ended_meetings(actor, partnership).order_by("-started_at", "-id").only(
        "kind", "started_at", "ended_at", "rating_average",
        "recap", "partnership_id", "workspace_id", "visibility",
    )  # fmt: skip
    found = recap.search(ended, query, seen)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    live = selectors.live_meeting(actor, partnership)
    zone = zone_of(schedule_of(partnership))
    rows = [_history_row(meeting, seen, zone) for meeting in page.object_list]
    return render(
        request,
        "meetings/meeting_list.html",
        {
            "partnership": partnership,
            "tab": "meetings",
            "live": live,
            "stale": live is not None and timezone.now() - live.started_at > STALE_AFTER,
            "page": page,
            "rows": rows,
            "trend": [row["rate"] for row in reversed(rows) if row["rate"] is not None],
            "schedule_url": reverse("meeting_schedule", args=[partnership.pk]),
            "upcoming": next_meeting(partnership, viewer=viewer_zone(request)),
            "query": f"q={query}" if query else "",
            "q": query,
            "kinds": Kind.choices,
        },
    )


def _history_row(meeting: Meeting, seen: recap.Seen | None, zone: Any) -> dict[str, Any]:
    rate = recap.completion_for(meeting.recap, seen)
    done, total = (rate.done, rate.due) if rate else (0, 0)
    return {
        "meeting": meeting,
        "day": meeting.started_at.astimezone(zone).date(),  # on the partnership's clock
        "minutes": round(meeting.duration.total_seconds() / 60) if meeting.duration else 0,
        "rate": percent(done, total),
        "done": done,
        "total": total,
    }


@access("partnership")
@require_POST
def meeting_start(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    actor = request.actor
    try:
        meeting = services.meeting_start(
            actor=actor, partnership=partnership, kind=request.POST.get("kind", Kind.PULSE)
        )
    except InvalidInput as error:
        messages.error(request, error.detail)
        live = selectors.live_meeting(actor, partnership)
        if live is not None:
            return redirect("meeting_detail", partnership.pk, live.pk)
        return redirect("meeting_list", partnership.pk)
    return redirect("meeting_detail", partnership.pk, meeting.pk)


# --- The live meeting -----------------------------------------------------------------------------


@access("partnership")
def meeting_detail(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    """A running meeting (opening it makes you an attendee), or an ended one's recap."""
    actor = request.actor
    meeting = _meeting(request, partnership, meeting_id)
    if not meeting.is_live:
        shown = recap.for_reader(meeting.recap, recap.seen_by(actor, partnership))
        zone = meeting.recap.get("next_meeting_zone") or schedule_of(partnership).timezone
        return render(
            request,
            "meetings/meeting_recap.html",
            {
                "partnership": partnership,
                "tab": "meetings",
                "meeting": meeting,
                "recap": shown,
                "held": recap.when(meeting.started_at, zone),
                "next_meeting": recap.when(shown.get("next_meeting_at"), zone),
                "attendees": selectors.attendees(meeting),
            },
        )
    services.meeting_join(meeting, actor=actor)
    version, meeting = _fresh(request, partnership, meeting_id)
    return render(
        request,
        "meetings/meeting_live.html",
        _region_context(request, partnership, meeting, version=version),
    )


@access("partnership", lean=True)
@require_GET  # a poll: it changes nothing, so it answers nothing else
def meeting_live(request: TandemRequest, partnership: Partnership, meeting_id: str) -> HttpResponse:
    """What an attendee's page asks when its stream (``meeting_stream``) tells of a newer
    version, now and then in case a notice was lost, and every second where streams are
    unavailable: nothing (204) while the partnership's data version is the one they have,
    else their live region as it is now."""
    try:
        seen = int(request.GET.get("v", ""))
    except ValueError:
        seen = -1
    if seen == partnership.data_version:
        return HttpResponse(status=204)
    partnership = partnership_for(request.actor, partnership.pk)
    return _region(request, partnership, meeting_id)


# access() types its views as answering HttpResponse; a stream is an HttpResponseBase.
@access("partnership", lean=True)  # type: ignore[arg-type]
@require_GET
def meeting_stream(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse | StreamingHttpResponse:
    """Server-Sent Events for an attendee's page: the partnership's data version now and
    whenever it moves (tandem.core.live), so the page asks ``meeting_live`` for its region
    only when there is something new. Who may open it is checked here, once: a stream ends
    after a minute and the browser opens the next one, checked again."""
    item_for(Meeting.objects.all(), request.actor, partnership, meeting_id)
    if not request.META.get("wsgi.multithread"):
        # A server that gives each process one request at a time (gunicorn's sync workers)
        # would spend a whole process on each open page: 204 tells the browser not to
        # reconnect, and meeting.js polls once a second instead.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(
        live.event_stream(partnership.pk), content_type="text/event-stream"
    )
    response["Cache-Control"] = "no-store"
    response["X-Accel-Buffering"] = "no"  # a proxy passes each event on as it comes
    return response


def _region(request: TandemRequest, partnership: Any, meeting_id: str) -> HttpResponse:
    version, meeting = _fresh(request, partnership, meeting_id)
    context = _region_context(request, partnership, meeting, version=version)
    response = render(request, "meetings/meeting_live.html#region", context)
    response["Cache-Control"] = "no-store"
    return response


def _after(
    request: TandemRequest, partnership: Any, meeting: Meeting, error: str = ""
) -> HttpResponse:
    """htmx gets the live region (with the refusal, if any); a plain form post goes back to
    the meeting, with the refusal as a message."""
    if request.htmx and error:
        # Only the refusal is shown: the form keeps what the person typed.
        response = render(request, "meetings/meeting_error.html", {"error": error})
        response["HX-Retarget"] = "#meeting-error"
        response["HX-Reswap"] = "innerHTML"
        return response
    if request.htmx:
        return _region(request, partnership, str(meeting.pk))
    if error:
        messages.error(request, error)
    return redirect("meeting_detail", partnership.pk, meeting.pk)


def _sections(meeting: Meeting, at: Any) -> list[dict[str, Any]]:
    described = {key: (label, words) for key, label, _, words in SECTIONS[meeting.kind]}
    rows = []
    for key, minutes in meeting.timeboxes:
        spent = meeting.section_seconds(key, at)
        label, words = described.get(key, (key, ""))
        rows.append(
            {
                "key": key,
                "label": label,
                "words": words,
                "minutes": minutes,
                "spent": spent,
                "over": spent > minutes * 60,
                "current": key == meeting.section,
            }
        )
    return rows


def _region_context(
    request: TandemRequest, partnership: Any, meeting: Meeting, *, version: int
) -> dict[str, Any]:
    actor = request.actor
    sections = _sections(meeting, timezone.now())
    index = next((i for i, row in enumerate(sections) if row["current"]), 0)
    people = selectors.attendees(meeting)
    assert actor.user is not None  # the access decorator lets only signed-in people in
    context: dict[str, Any] = {
        "partnership": partnership,
        "tab": "meetings",
        "meeting": meeting,
        "version": version,
        "sections": sections,
        "current": sections[index],
        "step": index + 1,
        "started": recap.when(meeting.started_at, schedule_of(partnership).timezone),
        "previous": sections[index - 1] if index > 0 else None,
        "next": sections[index + 1] if index + 1 < len(sections) else None,
        "is_facilitator": meeting.facilitator_id == actor.user.pk,
        "is_member": actor.is_member(partnership.workspace_id),
        "attendees": people,
        "present": [person for person in people if not person.absent],
        "total_seconds": sum(row["spent"] for row in sections),
        "planned_minutes": sum(row["minutes"] for row in sections),
    }
    context.update(SECTION_CONTEXT[meeting.section](actor, partnership, meeting))
    return context


@dataclass(frozen=True)
class Act:
    """One attendee's action on a live meeting: who acts, where, and what the form sent."""

    request: TandemRequest
    partnership: Partnership
    meeting: Meeting

    @property
    def actor(self) -> Actor:
        return self.request.actor

    @property
    def version(self) -> int | None:
        """The version of the meeting (or item) the page showed."""
        try:
            return int(self.text("version"))
        except ValueError:
            return None

    def text(self, name: str, default: str = "") -> str:
        return self.request.POST.get(name, default)

    def flag(self, name: str) -> bool:
        return self.request.POST.get(name) == "1"

    def item(self, queryset: QuerySet[T], pk: str) -> T:
        return item_for(queryset, self.actor, self.partnership, pk)

    def person(self, value: str) -> User:
        try:
            pk = parse_id(value)
        except Exception:  # noqa: BLE001 - any malformed id is the same refusal
            pk = None
        person = people_of(self.partnership).filter(pk=pk).first() if pk else None
        if person is None:
            raise InvalidInput("Choose someone from this partnership.")
        return person

    def owner(self, name: str = "owner") -> User | None:
        """The person the form's ``name`` field names, or nobody when it is empty."""
        value = self.text(name)
        return self.person(value) if value else None

    def day(self, name: str, field: str) -> date | None:
        value = self.text(name)
        if not value:
            return None
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise InvalidInput(f"{field}: use a date like 2026-12-01.") from None


def action(do: Callable[..., HttpResponse | None]) -> Callable[..., HttpResponse]:
    """One attendee's action on a live meeting, ``do(act, **ids)``: a POST, answered as
    ``_after`` does unless ``do`` answers; a refusal is told, never a crash."""

    @access("partnership")
    @require_POST
    @wraps(do)
    def view(
        request: TandemRequest, partnership: Partnership, meeting_id: str, **ids: str
    ) -> HttpResponse:
        meeting = _meeting(request, partnership, meeting_id)
        try:
            if not meeting.is_live:
                raise InvalidInput("This meeting has ended.")
            answer = do(Act(request, partnership, meeting), **ids)
        except DomainError as error:
            return _after(request, partnership, meeting, refusal(error))
        return answer or _after(request, partnership, meeting)

    return view


# --- The facilitator ----------------------------------------------------------------------------


@action
def meeting_timer(act: Act) -> None:
    running = act.flag("running")
    services.timer_set(act.meeting, actor=act.actor, version=act.version, running=running)


@action
def meeting_section(act: Act) -> None:
    section = act.text("section")
    services.section_go(act.meeting, actor=act.actor, version=act.version, section=section)


@action
def meeting_facilitator(act: Act) -> None:
    person = act.person(act.text("user"))
    services.hand_over(act.meeting, actor=act.actor, version=act.version, to=person)


# --- Segue --------------------------------------------------------------------------------------


@action
def headline_add(act: Act) -> None:
    services.headline_add(
        act.meeting,
        actor=act.actor,
        kind=act.text("kind"),
        text=act.text("text"),
        visibility=act.text("visibility", Visibility.SHARED),
    )


@action
def headline_delete(act: Act, headline_id: str) -> None:
    headline = act.item(Headline.objects.filter(meeting=act.meeting), headline_id)
    headline.meeting = act.meeting
    services.headline_delete(headline, actor=act.actor)


# --- Scorecard and rocks ------------------------------------------------------------------------


@action
def drop_to_issues(act: Act) -> None:
    """An off-track measurable or rock goes onto the issues list in one action."""
    item: Rock | Measurable
    if act.text("what") == "rock":
        item = act.item(Rock.objects.select_related("owner"), act.text("id"))
        title = f"Rock off track: {item.title}"
        details = f"{item.title} ({item.quarter_label}) was marked off track in the meeting."
    elif act.text("what") == "measurable":
        item = act.item(Measurable.objects.select_related("owner"), act.text("id"))
        value, goal = act.text("value")[:40] or "—", act.text("goal")[:40] or "—"
        title = f"Scorecard miss: {item.title}"
        details = f"{item.title} came in at {value} against a goal of {goal}."
    else:
        raise InvalidInput("Choose a rock or a measurable to drop to the issues list.")
    services.drop_to_issues(
        actor=act.actor,
        partnership=act.partnership,
        title=title,
        details=details,
        owner=item.owner,
        visibility=item.visibility,
    )


@action
def rock_status(act: Act, rock_id: str) -> None:
    rock, status = act.item(Rock.objects.all(), rock_id), act.text("status")
    if status not in RockStatus.values:
        raise InvalidInput("Choose on track, off track, done or dropped.")
    rock_services.rock_update(rock, actor=act.actor, version=act.version, status=status)


@action
def next_rock_add(act: Act) -> None:
    """The quarterly meeting sets next quarter's rocks, one line each."""
    if act.meeting.kind != Kind.QUARTERLY:
        raise InvalidInput("Next quarter's rocks are set in the quarterly meeting.")
    title = act.text("title").strip()
    if not title:
        raise InvalidInput("Name the rock.")
    owner = act.owner()
    shift = selectors.review_shift(act.meeting) + 1
    year, quarter = selectors.quarter_of_shift(act.meeting, shift)
    rock_services.rock_create(
        actor=act.actor,
        partnership=act.partnership,
        title=title,
        owner=owner,
        year=year,
        quarter=quarter,
        visibility=act.text("visibility", Visibility.SHARED),
    )


# --- To-dos and issues --------------------------------------------------------------------------


@action
def todo_done(act: Act, todo_id: str) -> None:
    todo, done = act.item(Todo.objects.all(), todo_id), act.flag("done")
    todo_services.todo_set_done(todo, actor=act.actor, version=act.version, done=done)


@action
def issue_vote(act: Act, issue_id: str) -> None:
    issue = act.item(Issue.objects.all(), issue_id)
    issue_services.issue_vote(issue, actor=act.actor, vote=act.flag("vote"))


@action
def issue_rank_votes(act: Act) -> None:
    term = Term.LONG if act.meeting.kind == Kind.QUARTERLY else Term.SHORT
    issue_services.apply_votes(actor=act.actor, partnership=act.partnership, term=term)


@action
def issue_solve(act: Act, issue_id: str) -> None:
    """Identify, discuss, solve: the decision, and the to-dos with owners and dates."""
    issue = act.item(Issue.objects.all(), issue_id)
    new_todos = []
    for index in range(3):
        title = act.text(f"todo_{index}_title").strip()
        if not title:
            continue
        owner = act.owner(f"todo_{index}_owner")
        if owner is None:
            raise InvalidInput(f"Give the to-do “{title}” an owner.")
        due = act.day(f"todo_{index}_due", "Due date")
        new_todos.append(NewTodo(title=title[:200], owner=owner, due_on=due))
    issue_services.issue_solve(
        issue,
        actor=act.actor,
        version=act.version,
        decision=act.text("decision"),
        new_todos=new_todos,
    )


# --- Conclusion ---------------------------------------------------------------------------------


@action
def loose_end(act: Act) -> None:
    services.loose_end(
        act.meeting,
        actor=act.actor,
        text=act.text("text"),
        owner=act.owner(),
        due_on=act.day("due_on", "Date"),
        visibility=act.text("visibility", Visibility.SHARED),
    )


@action
def meeting_rate(act: Act) -> None:
    try:
        rating = int(act.text("rating"))
    except ValueError:
        rating = 0
    services.rate(act.meeting, actor=act.actor, rating=rating)


@action
def attendee_absent(act: Act, user_id: str) -> None:
    user, absent = act.person(user_id), act.flag("absent")
    services.mark_absent(act.meeting, actor=act.actor, user=user, absent=absent)


@action
def meeting_end(act: Act) -> HttpResponse:
    partnership, meeting = act.partnership, act.meeting
    services.meeting_end(meeting, actor=act.actor, version=act.version)
    messages.success(act.request, "Meeting ended. The recap is on its way to every attendee.")
    if act.request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("meeting_detail", args=[partnership.pk, meeting.pk])
        return response
    return redirect("meeting_detail", partnership.pk, meeting.pk)
