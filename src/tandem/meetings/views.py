"""Meeting pages: the partnership's meetings (start one, join the running one, the
history), the live meeting every attendee shares, and the recap of an ended one.

Every action in a live meeting answers htmx with the meeting's live region, rendered for the
person who acted; the others' pages fetch theirs when the partnership's data version moves
(``meeting_live``).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.models import User
from tandem.core.access import Visibility
from tandem.core.decorators import access
from tandem.core.errors import Conflict, DomainError, InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.numbers import percent
from tandem.core.params import query_text
from tandem.core.policy import people_of
from tandem.core.scope import item_for, partnership_for
from tandem.issues import services as issue_services
from tandem.issues.models import Issue, Term
from tandem.issues.services import NewTodo
from tandem.meetings import recap, selectors, services
from tandem.meetings.models import (
    SECTIONS,
    Headline,
    Kind,
    Meeting,
)
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


def _meeting(request: TandemRequest, partnership: Any, meeting_id: str) -> Meeting:
    return item_for(
        Meeting.objects.select_related("facilitator"),
        request.actor,
        partnership,
        meeting_id,
    )


def _version(request: TandemRequest) -> int | None:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


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


@access("partnership")
def meeting_list(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    actor = request.actor
    seen = recap.seen_by(actor, partnership)
    query = query_text(request)
    ended = selectors.ended_meetings(actor, partnership).order_by("-started_at", "-id")
    found: QuerySet[Meeting] | list[Meeting] = selectors.search_recaps(ended, query, seen).only(
        "kind", "started_at", "ended_at", "rating_average",
        "recap", "partnership_id", "workspace_id", "visibility",
    )  # fmt: skip
    if query and seen is not None:
        found = [meeting for meeting in found if recap.matches(meeting.recap, query, seen)]
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
            "schedule_url": _schedule_url(partnership),
            "upcoming": next_meeting(partnership, viewer=viewer_zone(request)),
            "query": f"q={query}" if query else "",
            "q": query,
            "kinds": Kind.choices,
        },
    )


def _schedule_url(partnership: Partnership) -> str:
    try:
        return reverse("meeting_schedule", args=[partnership.pk])
    except NoReverseMatch:
        return ""


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
    """What the attendees' pages poll, every second: nothing (204) while the partnership's
    data version is the one they have, else their live region as it is now."""
    try:
        seen = int(request.GET.get("v", ""))
    except ValueError:
        seen = -1
    if seen == partnership.data_version:
        return HttpResponse(status=204)
    partnership = partnership_for(request.actor, partnership.pk)
    return _region(request, partnership, meeting_id)


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


def _act(request: TandemRequest, partnership: Any, meeting_id: str, action: Any) -> HttpResponse:
    """Run one attendee's action on a meeting; a refusal is told, never a crash."""
    meeting = _meeting(request, partnership, meeting_id)
    try:
        if not meeting.is_live:
            raise InvalidInput("This meeting has ended.")
        action(meeting)
    except Conflict as error:
        return _after(request, partnership, meeting, error.detail)
    except DomainError as error:
        detail = error.detail
        if error.errors:
            detail = " ".join(message for messages in error.errors.values() for message in messages)
        return _after(request, partnership, meeting, detail)
    return _after(request, partnership, meeting)


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
    now = timezone.now()
    sections = _sections(meeting, now)
    index = (
        meeting.section_keys.index(meeting.section)
        if meeting.section in meeting.section_keys
        else 0
    )
    current = sections[index]
    people = selectors.attendees(meeting)
    assert actor.user is not None  # the access decorator lets only signed-in people in
    context: dict[str, Any] = {
        "partnership": partnership,
        "tab": "meetings",
        "meeting": meeting,
        "version": version,
        "sections": sections,
        "current": current,
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


# --- The facilitator ----------------------------------------------------------------------------


@access("partnership")
@require_POST
def meeting_timer(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    running = request.POST.get("running") == "1"
    return _act(
        request,
        partnership,
        meeting_id,
        lambda meeting: services.timer_set(
            meeting, actor=request.actor, version=_version(request), running=running
        ),
    )


@access("partnership")
@require_POST
def meeting_section(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    section = request.POST.get("section", "")
    return _act(
        request,
        partnership,
        meeting_id,
        lambda meeting: services.section_go(
            meeting, actor=request.actor, version=_version(request), section=section
        ),
    )


def _person(partnership: Any, value: str) -> User:
    try:
        pk = parse_id(value)
    except Exception:  # noqa: BLE001 - any malformed id is the same refusal
        pk = None
    person = people_of(partnership).filter(pk=pk).first() if pk else None
    if person is None:
        raise InvalidInput("Choose someone from this partnership.")
    return person


@access("partnership")
@require_POST
def meeting_facilitator(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    def hand(meeting: Meeting) -> None:
        person = _person(partnership, request.POST.get("user", ""))
        services.hand_over(meeting, actor=request.actor, version=_version(request), to=person)

    return _act(request, partnership, meeting_id, hand)


# --- Segue --------------------------------------------------------------------------------------


@access("partnership")
@require_POST
def headline_add(request: TandemRequest, partnership: Partnership, meeting_id: str) -> HttpResponse:
    return _act(
        request,
        partnership,
        meeting_id,
        lambda meeting: services.headline_add(
            meeting,
            actor=request.actor,
            kind=request.POST.get("kind", ""),
            text=request.POST.get("text", ""),
            visibility=request.POST.get("visibility", Visibility.SHARED),
        ),
    )


@access("partnership")
@require_POST
def headline_delete(
    request: TandemRequest, partnership: Partnership, meeting_id: str, headline_id: str
) -> HttpResponse:
    def remove(meeting: Meeting) -> None:
        headline = item_for(
            Headline.objects.filter(meeting=meeting), request.actor, partnership, headline_id
        )
        headline.meeting = meeting
        services.headline_delete(headline, actor=request.actor)

    return _act(request, partnership, meeting_id, remove)


# --- Scorecard and rocks ------------------------------------------------------------------------


@access("partnership")
@require_POST
def drop_to_issues(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    """An off-track measurable or rock goes onto the issues list in one action."""
    actor = request.actor

    def drop(meeting: Meeting) -> None:
        what = request.POST.get("what", "")
        if what == "rock":
            rock = item_for(
                Rock.objects.select_related("owner"), actor, partnership, request.POST.get("id", "")
            )
            title = f"Rock off track: {rock.title}"
            details = f"{rock.title} ({rock.quarter_label}) was marked off track in the meeting."
            owner, visibility = rock.owner, rock.visibility
        elif what == "measurable":
            measurable = item_for(
                Measurable.objects.select_related("owner"),
                actor,
                partnership,
                request.POST.get("id", ""),
            )
            value = request.POST.get("value", "")[:40]
            goal = request.POST.get("goal", "")[:40]
            title = f"Scorecard miss: {measurable.title}"
            details = (
                f"{measurable.title} came in at {value or '—'} against a goal of {goal or '—'}."
            )
            owner, visibility = measurable.owner, measurable.visibility
        else:
            raise InvalidInput("Choose a rock or a measurable to drop to the issues list.")
        services.drop_to_issues(
            actor=actor,
            partnership=partnership,
            title=title,
            details=details,
            owner=owner,
            visibility=visibility,
        )

    return _act(request, partnership, meeting_id, drop)


@access("partnership")
@require_POST
def rock_status(
    request: TandemRequest, partnership: Partnership, meeting_id: str, rock_id: str
) -> HttpResponse:
    actor = request.actor

    def mark(meeting: Meeting) -> None:
        rock = item_for(Rock.objects.all(), actor, partnership, rock_id)
        status = request.POST.get("status", "")
        if status not in RockStatus.values:
            raise InvalidInput("Choose on track, off track, done or dropped.")
        rock_services.rock_update(rock, actor=actor, version=_version(request), status=status)

    return _act(request, partnership, meeting_id, mark)


@access("partnership")
@require_POST
def next_rock_add(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    """The quarterly meeting sets next quarter's rocks, one line each."""
    actor = request.actor

    def add(meeting: Meeting) -> None:
        if meeting.kind != Kind.QUARTERLY:
            raise InvalidInput("Next quarter's rocks are set in the quarterly meeting.")
        title = request.POST.get("title", "").strip()
        if not title:
            raise InvalidInput("Name the rock.")
        owner = (
            _person(partnership, request.POST.get("owner", ""))
            if request.POST.get("owner")
            else None
        )
        year, quarter = selectors.quarter_of_shift(meeting, selectors.review_shift(meeting) + 1)
        rock_services.rock_create(
            actor=actor,
            partnership=partnership,
            title=title,
            owner=owner,
            year=year,
            quarter=quarter,
            visibility=request.POST.get("visibility", Visibility.SHARED),
        )

    return _act(request, partnership, meeting_id, add)


# --- To-dos and issues --------------------------------------------------------------------------


@access("partnership")
@require_POST
def todo_done(
    request: TandemRequest, partnership: Partnership, meeting_id: str, todo_id: str
) -> HttpResponse:
    actor = request.actor

    def tick(meeting: Meeting) -> None:
        todo = item_for(Todo.objects.all(), actor, partnership, todo_id)
        todo_services.todo_set_done(
            todo, actor=actor, version=_version(request), done=request.POST.get("done") == "1"
        )

    return _act(request, partnership, meeting_id, tick)


@access("partnership")
@require_POST
def issue_vote(
    request: TandemRequest, partnership: Partnership, meeting_id: str, issue_id: str
) -> HttpResponse:
    actor = request.actor

    def vote(meeting: Meeting) -> None:
        issue = item_for(Issue.objects.all(), actor, partnership, issue_id)
        issue_services.issue_vote(issue, actor=actor, vote=request.POST.get("vote") == "1")

    return _act(request, partnership, meeting_id, vote)


@access("partnership")
@require_POST
def issue_rank_votes(
    request: TandemRequest, partnership: Partnership, meeting_id: str
) -> HttpResponse:
    actor = request.actor

    def rank(meeting: Meeting) -> None:
        term = Term.LONG if meeting.kind == Kind.QUARTERLY else Term.SHORT
        issue_services.apply_votes(actor=actor, partnership=partnership, term=term)

    return _act(request, partnership, meeting_id, rank)


def _date(value: str, field: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{field}: use a date like 2026-12-01.") from None


@access("partnership")
@require_POST
def issue_solve(
    request: TandemRequest, partnership: Partnership, meeting_id: str, issue_id: str
) -> HttpResponse:
    """Identify, discuss, solve: the decision, and the to-dos with owners and dates."""
    actor = request.actor

    def solve(meeting: Meeting) -> None:
        issue = item_for(Issue.objects.all(), actor, partnership, issue_id)
        new_todos = []
        for index in range(3):
            title = request.POST.get(f"todo_{index}_title", "").strip()
            if not title:
                continue
            owner_id = request.POST.get(f"todo_{index}_owner", "")
            owner = _person(partnership, owner_id) if owner_id else None
            if owner is None:
                raise InvalidInput(f"Give the to-do “{title}” an owner.")
            due = _date(request.POST.get(f"todo_{index}_due", ""), "Due date")
            new_todos.append(NewTodo(title=title[:200], owner=owner, due_on=due))
        issue_services.issue_solve(
            issue,
            actor=actor,
            version=_version(request),
            decision=request.POST.get("decision", ""),
            new_todos=new_todos,
        )

    return _act(request, partnership, meeting_id, solve)


# --- Conclusion ---------------------------------------------------------------------------------


@access("partnership")
@require_POST
def loose_end(request: TandemRequest, partnership: Partnership, meeting_id: str) -> HttpResponse:
    actor = request.actor

    def tie(meeting: Meeting) -> None:
        owner_id = request.POST.get("owner", "")
        services.loose_end(
            meeting,
            actor=actor,
            text=request.POST.get("text", ""),
            owner=_person(partnership, owner_id) if owner_id else None,
            due_on=_date(request.POST.get("due_on", ""), "Date"),
            visibility=request.POST.get("visibility", Visibility.SHARED),
        )

    return _act(request, partnership, meeting_id, tie)


@access("partnership")
@require_POST
def meeting_rate(request: TandemRequest, partnership: Partnership, meeting_id: str) -> HttpResponse:
    try:
        rating = int(request.POST.get("rating", ""))
    except ValueError:
        rating = 0
    return _act(
        request,
        partnership,
        meeting_id,
        lambda meeting: services.rate(meeting, actor=request.actor, rating=rating),
    )


@access("partnership")
@require_POST
def attendee_absent(
    request: TandemRequest, partnership: Partnership, meeting_id: str, user_id: str
) -> HttpResponse:
    def mark(meeting: Meeting) -> None:
        services.mark_absent(
            meeting,
            actor=request.actor,
            user=_person(partnership, user_id),
            absent=request.POST.get("absent") == "1",
        )

    return _act(request, partnership, meeting_id, mark)


@access("partnership")
@require_POST
def meeting_end(request: TandemRequest, partnership: Partnership, meeting_id: str) -> HttpResponse:
    meeting = _meeting(request, partnership, meeting_id)
    try:
        services.meeting_end(meeting, actor=request.actor, version=_version(request))
    except DomainError as error:
        return _after(request, partnership, meeting, error.detail)
    messages.success(request, "Meeting ended. The recap is on its way to every attendee.")
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = reverse("meeting_detail", args=[partnership.pk, meeting.pk])
        return response
    return redirect("meeting_detail", partnership.pk, meeting.pk)
