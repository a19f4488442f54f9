"""Running a meeting: start, join, the facilitator's timer and sections, hand-over, the
segue's headlines, dropping a miss onto the issues list, loose ends, ratings, and the end
that stores the recap and sends it.

Everything one attendee changes moves the partnership's data version on (through
``tandem.core.services``), which is what every other attendee's page polls for: a change is
seen by the others once its transaction has committed, whichever process served it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Avg
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import check_owner, item_values, require_open
from tandem.core.scope import scope_of
from tandem.issues import services as issues
from tandem.issues.models import Issue, Term
from tandem.meetings.models import (
    Attendee,
    Headline,
    HeadlineKind,
    Kind,
    Meeting,
    Side,
)
from tandem.meetings.schedule.dates import next_occurrence, schedule_of
from tandem.meetings.selectors import expected_people, meeting_day
from tandem.notifications.services import notify
from tandem.partners.models import Partnership
from tandem.partners.services import partner_people_of
from tandem.traction import services as todos
from tandem.traction.models import Todo

RATING_RANGE = range(1, 11)
# A meeting started within this long of a scheduled one is that occurrence.
SCHEDULED_SLACK = timedelta(hours=12)


def side_of(actor: Actor, partnership: Any) -> str:
    return Side.MEMBER if actor.is_member(partnership.workspace_id) else Side.PARTNER


# --- Starting and joining ---------------------------------------------------------------------


def meeting_start(*, actor: Actor, partnership: Partnership, kind: str = Kind.PULSE) -> Meeting:
    """Open a meeting with the starter as facilitator and the timer running. A partnership
    holds one meeting at a time: starting a second is refused (join the running one)."""
    if partnership.is_program:
        raise InvalidInput("Meetings are held per partnership.")
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    if kind not in Kind.values:
        raise InvalidInput("Choose a weekly pulse or a quarterly meeting.")
    timeboxes = schedule_of(partnership).timeboxes(kind)
    meeting = Meeting(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.pk,
        kind=kind,
        facilitator=actor.user,
        timeboxes=[[key, minutes] for key, minutes in timeboxes],
        section=timeboxes[0][0],
        running_since=timezone.now(),
        visibility=Visibility.SHARED,
    )
    now = timezone.now()
    upcoming = next_occurrence(partnership, schedule_of(partnership), now - SCHEDULED_SLACK)
    if upcoming is not None and abs(upcoming.start - now) <= SCHEDULED_SLACK:
        meeting.scheduled_for = upcoming.start
    running = "A meeting of this partnership is already running: join it instead."
    if Meeting.objects.in_scope(partnership).live().exists():
        raise InvalidInput(running)
    try:
        with transaction.atomic():
            core.create(meeting, actor=actor, fields=("kind",))
            _attend(meeting, actor)
            _tell_started(meeting, partnership, actor)
    except IntegrityError:  # started by someone else at the same moment
        raise InvalidInput(running) from None
    return meeting


def _tell_started(meeting: Meeting, partnership: Partnership, actor: Actor) -> None:
    """Both sides' people (the owner, the sponsor, the partner's people) hear it started."""
    people = [partnership.owner, partnership.sponsor, *partner_people_of(partnership)]
    text = f"{meeting.get_kind_display()} with {partnership.name} started: join it"
    url = reverse("meeting_detail", args=[partnership.pk, meeting.pk])
    notify(recipients=people, kind="meeting_started", item=meeting, text=text, url=url, actor=actor)


def _attend(meeting: Meeting, actor: Actor) -> tuple[Attendee, bool]:
    attendee, created = Attendee.objects.get_or_create(
        meeting=meeting,
        user=actor.user,
        defaults={"side": side_of(actor, meeting), "joined_at": timezone.now()},
    )
    changed = created
    if not created and (attendee.joined_at is None or attendee.absent):
        attendee.joined_at = attendee.joined_at or timezone.now()
        attendee.absent = False
        attendee.save(update_fields=["joined_at", "absent"])
        changed = True
    return attendee, changed


def meeting_join(meeting: Meeting, *, actor: Actor) -> Attendee:
    """Opening a running meeting makes you an attendee (the others see you arrive)."""
    actor.require(actor.can_see(meeting))
    if not meeting.is_live:
        raise InvalidInput("This meeting has ended.")
    with transaction.atomic():
        attendee, changed = _attend(meeting, actor)
        if changed:
            core.touch(meeting.workspace_id, meeting.partnership_id)
    return attendee


# --- The facilitator's controls ----------------------------------------------------------------


def _require_running(meeting: Meeting) -> None:
    if not meeting.is_live:
        raise InvalidInput("This meeting has ended.")


def _lock_running(meeting: Meeting) -> None:
    """Inside a transaction: hold the meeting's row, and refuse if it has ended meanwhile
    (so nothing is added after the recap was written)."""
    still = Meeting.objects.select_for_update().filter(pk=meeting.pk, ended_at__isnull=True)
    if not still.exists():
        raise InvalidInput("This meeting has ended.")


def _require_facilitator(meeting: Meeting, actor: Actor) -> None:
    if meeting.facilitator_id != getattr(actor.user, "pk", None):
        raise InvalidInput(
            "Only the facilitator can do that. Ask them to hand you the role if you need it."
        )


MOVED_ON = "The meeting moved on while you were deciding: look again and retry."


def _save_state(meeting: Meeting, *, version: int | None, **changes: Any) -> Meeting:
    """Change the meeting's own state if nobody changed it since ``version``: the timer and
    the section are not news for the activity log, but every attendee's page must move."""
    with transaction.atomic():
        core.write(meeting, version=version, changes=changes, message=MOVED_ON)
        core.touch(meeting.workspace_id, meeting.partnership_id)
    return meeting


def _banked(meeting: Meeting, at: datetime) -> dict[str, int]:
    """Each section's seconds, with the current run added to the current section."""
    elapsed = {key: int(value) for key, value in meeting.elapsed.items()}
    elapsed[meeting.section] = meeting.section_seconds(meeting.section, at)
    return elapsed


def timer_set(meeting: Meeting, *, actor: Actor, version: int | None, running: bool) -> Meeting:
    """Pause or resume the section timer."""
    _require_running(meeting)
    _require_facilitator(meeting, actor)
    now = timezone.now()
    core.check_version(meeting, version, message=MOVED_ON)
    if running == (meeting.running_since is not None):
        return meeting
    if running:
        return _save_state(meeting, version=version, running_since=now)
    return _save_state(meeting, version=version, elapsed=_banked(meeting, now), running_since=None)


def section_go(meeting: Meeting, *, actor: Actor, version: int | None, section: str) -> Meeting:
    """Move everyone to ``section``; the time spent so far stays with the section left."""
    _require_running(meeting)
    _require_facilitator(meeting, actor)
    if section not in meeting.section_keys:
        raise InvalidInput("That section is not on this meeting's agenda.")
    core.check_version(meeting, version, message=MOVED_ON)
    if section == meeting.section:
        return meeting
    now = timezone.now()
    return _save_state(
        meeting,
        version=version,
        elapsed=_banked(meeting, now),
        section=section,
        running_since=now if meeting.running_since is not None else None,
    )


def hand_over(meeting: Meeting, *, actor: Actor, version: int | None, to: User) -> Meeting:
    """Give the facilitator's role to another attendee. A member of the workspace may also
    take it when the facilitator has dropped out."""
    _require_running(meeting)
    taking = to.pk == getattr(actor.user, "pk", None) and actor.is_member(meeting.workspace_id)
    if not taking:
        _require_facilitator(meeting, actor)
    attending = Attendee.objects.filter(meeting=meeting, user=to, absent=False).exists()
    if not attending:
        raise InvalidInput("Hand the role to someone who is in the meeting.")
    with transaction.atomic():
        _save_state(meeting, version=version, facilitator=to)
        core.record(
            actor=actor,
            verb="handed facilitation to",
            target=meeting,
            changes={"facilitator": ["", to.get_full_name() or to.email]},
        )
    return meeting


# --- Segue ------------------------------------------------------------------------------------


def headline_add(
    meeting: Meeting,
    *,
    actor: Actor,
    kind: str,
    text: str,
    visibility: str = Visibility.SHARED,
) -> Headline:
    _require_running(meeting)
    actor.require(actor.can_see(meeting))
    if kind not in HeadlineKind.values:
        raise InvalidInput(
            "Please correct the highlighted fields.", errors={"kind": ["Choose a kind."]}
        )
    values = item_values(actor, scope_of(meeting), {"visibility": visibility})
    headline = Headline(
        workspace_id=meeting.workspace_id,
        partnership_id=meeting.partnership_id,
        meeting=meeting,
        kind=kind,
        text=(text or "").strip(),
        visibility=values["visibility"],
    )
    with transaction.atomic():
        _lock_running(meeting)
        core.create(headline, actor=actor, fields=("kind", "text"))
    return headline


def headline_delete(headline: Headline, *, actor: Actor) -> None:
    actor.require(actor.can_change(headline))
    _require_running(headline.meeting)
    core.delete(headline, actor=actor, version=headline.version)


# --- Misses go to the issues list --------------------------------------------------------------


def drop_to_issues(
    *,
    actor: Actor,
    partnership: Partnership,
    title: str,
    details: str,
    owner: User | None,
    visibility: str,
) -> Issue:
    """Put an off-track rock or measurable on the short-term issues list, once."""
    title = title[:200]
    already = (
        Issue.objects.visible_to(actor)
        .in_scope(partnership)
        .filter(solved_at__isnull=True, title=title)
    )
    if already.exists():
        raise InvalidInput(f"“{title}” is already on the issues list.")
    try:
        check_owner(partnership, owner, visibility)
    except InvalidInput:
        owner = None
    return issues.issue_create(
        actor=actor,
        partnership=partnership,
        title=title,
        details=details,
        owner=owner,
        term=Term.SHORT,
        visibility=visibility,
    )


# --- Conclusion --------------------------------------------------------------------------------


def loose_end(
    meeting: Meeting,
    *,
    actor: Actor,
    text: str,
    owner: User | None,
    due_on: date | None,
    visibility: str = Visibility.SHARED,
) -> Todo | Issue:
    """A loose end goes to an owner with a date (a to-do) or, with no owner, onto the next
    meeting's agenda (the short-term issues list)."""
    _require_running(meeting)
    text = (text or "").strip()
    if not text:
        raise InvalidInput(
            "Please correct the highlighted fields.", errors={"text": ["Say what is left open."]}
        )
    if len(text) > LOOSE_END_LENGTH:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"text": [f"Keep it to {LOOSE_END_LENGTH} characters."]},
        )
    with transaction.atomic():
        _lock_running(meeting)
        return _tie(meeting, actor, text, owner, due_on, visibility)


LOOSE_END_LENGTH = 200


def _tie(
    meeting: Meeting,
    actor: Actor,
    text: str,
    owner: User | None,
    due_on: date | None,
    visibility: str,
) -> Todo | Issue:
    partnership = scope_of(meeting)
    if owner is not None:
        if due_on is None:
            raise InvalidInput(
                "Please correct the highlighted fields.",
                errors={"due_on": ["Give the owner a date."]},
            )
        return todos.todo_create(
            actor=actor,
            partnership=partnership,
            title=text,
            owner=owner,
            due_on=due_on,
            visibility=visibility,
        )
    return issues.issue_create(
        actor=actor,
        partnership=partnership,
        title=text,
        details=f"Carried over from the {meeting.get_kind_display().lower()} of "
        f"{meeting_day(meeting):%d %B %Y}.",
        term=Term.SHORT,
        visibility=visibility,
    )


def rate(meeting: Meeting, *, actor: Actor, rating: int) -> Attendee:
    """Your rating of the meeting, 1–10; you can change it until the meeting ends."""
    _require_running(meeting)
    if rating not in RATING_RANGE:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"rating": ["Rate the meeting from 1 to 10."]},
        )
    with transaction.atomic():
        _lock_running(meeting)
        attendee, _ = _attend(meeting, actor)
        attendee.rating = rating
        attendee.save(update_fields=["rating"])
        core.touch(meeting.workspace_id, meeting.partnership_id)
    return attendee


def mark_absent(meeting: Meeting, *, actor: Actor, user: User, absent: bool) -> Attendee:
    """The facilitator marks someone expected as absent (or back as present)."""
    _require_running(meeting)
    _require_facilitator(meeting, actor)
    expected = {person.pk: side for person, side in expected_people(meeting)}
    if user.pk not in expected:
        raise InvalidInput("That person is not part of this partnership.")
    with transaction.atomic():
        _lock_running(meeting)
        if not absent and not Attendee.objects.filter(meeting=meeting, user=user).exists():
            raise InvalidInput("Only someone marked absent can be marked present again.")
        attendee, _ = Attendee.objects.get_or_create(
            meeting=meeting, user=user, defaults={"side": expected[user.pk]}
        )
        attendee.absent = absent
        if absent:
            attendee.rating = None
        attendee.save(update_fields=["absent", "rating"])
        core.touch(meeting.workspace_id, meeting.partnership_id)
    return attendee


# What happens elsewhere when a meeting ends, inside its transaction, once the recap is stored
# (filled in other apps' ``ready()``: the webhooks tell of it, so meetings imports none of them).
ON_ENDED: list[Callable[[Meeting, Actor], object]] = []


def meeting_end(meeting: Meeting, *, actor: Actor, version: int | None) -> Meeting:
    """Stop the clock, store the recap on the meeting and send it to every attendee from
    the task worker once this transaction has committed."""
    from tandem.meetings import recap
    from tandem.meetings.tasks import send_recaps

    _require_running(meeting)
    _require_facilitator(meeting, actor)
    now = timezone.now()
    with transaction.atomic():
        _lock_running(meeting)
        ratings = Attendee.objects.filter(
            meeting=meeting, absent=False, rating__isnull=False
        ).aggregate(average=Avg("rating"))["average"]
        average = (
            Decimal(str(ratings)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if ratings is not None
            else None
        )
        _save_state(
            meeting,
            version=version,
            elapsed=_banked(meeting, now),
            running_since=None,
            ended_at=now,
            rating_average=average,
        )
        summary = recap.build(meeting)
        Meeting.objects.filter(pk=meeting.pk).update(
            recap=summary,
            recap_text=recap.search_text(summary),
            recap_text_shared=recap.search_text(summary, partner_side=True),
        )
        meeting.recap = summary
        core.record(actor=actor, verb="ended", target=meeting)
        for hook in ON_ENDED:
            hook(meeting, actor)
        transaction.on_commit(lambda: send_recaps.enqueue(meeting.pk))
    return meeting
