"""Reading meetings: the running one, who is expected and who came, and what each section
shows. Every list goes through the viewer's scope, so a partner-side attendee's page (live
or not) never holds an internal item."""

from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from tandem.accounts.models import Membership, User
from tandem.core.access import Actor, Role
from tandem.core.scope import scope_of
from tandem.meetings.models import Attendee, Meeting, Side
from tandem.meetings.schedule.dates import schedule_of, zone_of
from tandem.partners.models import Partnership
from tandem.scorecard.selectors import Cell, Row, Section, grid, measurable_list
from tandem.traction.models import Rock, Todo, quarter_of
from tandem.traction.selectors import Rate


def live_meeting(actor: Actor, partnership: Any) -> Meeting | None:
    if partnership.is_program:
        return None
    return (
        Meeting.objects.visible_to(actor)
        .in_scope(partnership)
        .live()
        .select_related("facilitator")
        .first()
    )


def seeing_all(workspace_id: int) -> Actor:
    """Who the stored recap is written for: a member's view, every item with its
    visibility, so each reader's copy can be cut down to what they may see."""
    return Actor(user=User(pk=0), roles={workspace_id: Role.MEMBER})


def partnership_of(meeting: Meeting) -> Partnership:
    """The partnership holding the meeting: meetings are held per partnership, never at the
    program level (``services.meeting_start`` refuses it)."""
    partnership = meeting.partnership
    assert partnership is not None, "meetings live in partnerships, not the program"
    return partnership


def expected_people(meeting: Meeting) -> list[tuple[User, str]]:
    """Who the meeting expects: the partnership's day-to-day owner and executive sponsor,
    the partner's people, and anyone else who joined."""
    partnership = partnership_of(meeting)
    condition = Q(partner_accesses__partnership_id=partnership.pk) | Q(
        pk__in=Attendee.objects.filter(meeting=meeting).values("user_id")
    )
    ours = [pk for pk in (partnership.owner_id, partnership.sponsor_id) if pk]
    if ours:
        condition |= Q(pk__in=ours)
    members = set(
        Membership.objects.filter(workspace_id=meeting.workspace_id).values_list(
            "user_id", flat=True
        )
    )
    people = User.objects.filter(condition, is_active=True).distinct().order_by("name", "email")
    return [(person, Side.MEMBER if person.pk in members else Side.PARTNER) for person in people]


def attendees(meeting: Meeting) -> list[Attendee]:
    return list(
        Attendee.objects.filter(meeting=meeting)
        .select_related("user")
        .order_by("side", "user__name", "user__email")
    )


def meeting_day(meeting: Meeting, moment: datetime | None = None) -> date:
    """The date on the partnership's clock (its schedule's time zone) of a moment of the
    meeting, its start by default: a 17:00 Los Angeles meeting is held on that day, not on
    the next one as UTC has it."""
    zone = zone_of(schedule_of(partnership_of(meeting)))
    return (moment or meeting.started_at).astimezone(zone).date()


def week_start(meeting: Meeting) -> date:
    """The to-dos of "the week" are those due since the previous meeting (or 7 days)."""
    previous = (
        Meeting.objects.in_scope(scope_of(meeting))
        .ended()
        .filter(started_at__lt=meeting.started_at)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    day = meeting_day(meeting)
    if previous is None:
        return day - timedelta(days=7)
    return min(meeting_day(meeting, previous), day - timedelta(days=1))


def week_todos(actor: Actor, meeting: Meeting, since: date) -> QuerySet[Todo]:
    """The to-dos the to-do section reviews: still open, or done since the week began."""
    return (
        Todo.objects.visible_to(actor)
        .in_scope(scope_of(meeting))
        .filter(Q(done_at__isnull=True) | Q(done_at__date__gt=since))
        .select_related("owner")
        .order_by("done_at", "due_on", "id")
    )


def week_due(todos: Iterable[Todo], since: date, until: date) -> list[Todo]:
    """The to-dos a week's completion counts ("due this week"): those due since the last
    meeting up to this one's day, and those done ahead of a later date — one ticked off in
    the meeting counts as done. ``todos`` come from ``week_todos`` (open, or done since the
    week began), so a to-do done early is counted once, in the week it was done."""
    return [
        todo
        for todo in todos
        if since < todo.due_on and (todo.due_on <= until or todo.done_at is not None)
    ]


def week_rate(todos: Iterable[Todo], since: date, until: date) -> Rate:
    due = week_due(todos, since, until)
    return Rate(done=sum(1 for t in due if t.done_at is not None), due=len(due))


def review_shift(meeting: Meeting) -> int:
    """Which quarter a quarterly meeting reviews, relative to the one it is held in: held in
    a quarter's second half (the schedule puts it on the quarter's last meeting day), it
    reviews that quarter and sets the next; held early in a quarter, it reviews the one just
    ended and sets the current one."""
    day = meeting_day(meeting)
    year, quarter = quarter_of(day)
    started = date(year, quarter * 3 - 2, 1)
    return 0 if (day - started).days >= QUARTER_MIDPOINT_DAYS else -1


QUARTER_MIDPOINT_DAYS = 45


def quarter_of_shift(meeting: Meeting, shift: int) -> tuple[int, int]:
    year, quarter = quarter_of(meeting_day(meeting))
    index = year * 4 + quarter - 1 + shift
    return index // 4, index % 4 + 1


def quarter_rocks(actor: Actor, meeting: Meeting, *, shift: int = 0) -> QuerySet[Rock]:
    year, quarter = quarter_of_shift(meeting, shift)
    return (
        Rock.objects.visible_to(actor)
        .in_scope(scope_of(meeting))
        .filter(year=year, quarter=quarter)
        .select_related("owner")
        .with_visible(actor, "goal")
        .order_by("due_on", "id")
    )


@dataclass
class ReviewedRow(Row):
    """A scorecard row as the meeting reviews it: ``latest``, its most recent period that
    has a figure or should have one, and ``missed`` when that one is off track."""

    latest: Cell | None = None
    missed: bool = False


def _reviewed(row: Row) -> ReviewedRow:
    settled = [cell for cell in row.cells if cell.status not in {"open", "ahead"}]
    latest = settled[-1] if settled else None
    return ReviewedRow(
        **{field.name: getattr(row, field.name) for field in fields(row)},
        latest=latest,
        missed=latest is not None and latest.status == "off",
    )


def scorecard_review(actor: Actor, partnership: Any) -> tuple[list[Section], list[ReviewedRow]]:
    """The partnership's scorecard as on its page: a section per frequency, each with its own
    13 periods (weeks or months), its rows made ``ReviewedRow``s; and those rows, weekly ones
    first."""
    sections = grid(actor, partnership, measurable_list(actor, partnership)[:60])
    rows: list[ReviewedRow] = []
    for section in sections:
        reviewed = [_reviewed(row) for row in section.rows]
        section.rows = list(reviewed)
        rows.extend(reviewed)
    return sections, rows


def scorecard_rows(actor: Actor, partnership: Any) -> list[ReviewedRow]:
    """The rows of every section of ``scorecard_review``, weekly ones first."""
    return scorecard_review(actor, partnership)[1]


def ended_meetings(actor: Actor, partnership: Any) -> QuerySet[Meeting]:
    return Meeting.objects.visible_to(actor).in_scope(partnership).ended()


def search_recaps(
    meetings: QuerySet[Meeting], query: str, seen: Container[str] | None
) -> QuerySet[Meeting]:
    """Ended meetings whose recap holds ``query``: in every item's words for a member, in
    the shared items' words for a partner-side reader (``seen`` not None) — a superset of
    what they may see now, which the caller narrows with ``recap.matches``."""
    if not query:
        return meetings
    field = "recap_text" if seen is None else "recap_text_shared"
    return meetings.filter(**{f"{field}__icontains": query})
