"""A person's calendar feed (RFC 5545): the meetings of the partnerships they take part in and
the due dates of their open work, built for one person through their actor, so a
partner-side person's calendar holds only what they could open in Tandem.

Meetings carry the schedule's time zone (TZID, with its VTIMEZONE), so a calendar keeps the
wall time across daylight-saving changes exactly as Tandem does. Due dates are all-day
events that do not block time. Every event's UID is stable, so a calendar that fetches the
feed again updates its events instead of doubling them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from tandem.core.access import Actor
from tandem.core.scope import PROGRAM
from tandem.meetings.models import SECTIONS
from tandem.meetings.schedule.dates import NOT_MEETING, meeting_label, occurrences, schedule_of
from tandem.meetings.schedule.selectors import meetings_url
from tandem.partners.models import Partnership
from tandem.personal.selectors import OPEN_SCOPE
from tandem.traction.models import Milestone, Rock, RockStatus, Todo

PAST = timedelta(days=30)
AHEAD = timedelta(days=180)
OPEN_ROCK = (RockStatus.ON_TRACK, RockStatus.OFF_TRACK)


def feed_partnerships(actor: Actor) -> QuerySet[Partnership]:
    """The partnerships whose meetings a person attends: on the workspace's side the ones
    they run or sponsor, on the partner's side every one they were invited into."""
    user = actor.user
    if user is None:
        return Partnership.objects.none()
    condition = Q(workspace_id__in=actor.workspace_ids) & (Q(owner=user) | Q(sponsor=user))
    if actor.partner_partnerships:
        condition |= Q(pk__in=sorted(actor.partner_partnerships))
    return (
        Partnership.objects.visible_to(actor)
        .current()
        .exclude(stage__in=NOT_MEETING)
        .filter(condition)
        .select_related("schedule")
        .order_by("name", "id")
    )


def due_todos(actor: Actor, first: date, last: date) -> QuerySet[Todo]:
    return (
        Todo.objects.visible_to(actor)
        .filter(OPEN_SCOPE, owner=actor.user, done_at__isnull=True, due_on__range=(first, last))
        .select_related("partnership")
        .order_by("due_on", "id")
    )


def due_rocks(actor: Actor, first: date, last: date) -> QuerySet[Rock]:
    return (
        Rock.objects.visible_to(actor)
        .filter(OPEN_SCOPE, owner=actor.user, status__in=OPEN_ROCK, due_on__range=(first, last))
        .select_related("partnership")
        .order_by("due_on", "id")
    )


def due_milestones(actor: Actor, first: date, last: date) -> QuerySet[Milestone]:
    rocks = Rock.objects.visible_to(actor).filter(
        OPEN_SCOPE, owner=actor.user, status__in=OPEN_ROCK
    )
    return (
        Milestone.objects.filter(rock__in=rocks, done_at__isnull=True, due_on__range=(first, last))
        .select_related("rock", "rock__partnership")
        .order_by("due_on", "id")
    )


def _scope_name(item: Todo | Rock) -> str:
    # The partnership is loaded with the item (``select_related``).
    return item.partnership.name if item.partnership is not None else "Program"


def _agenda(schedule: Any, kind: str) -> str:
    labels = {key: label for key, label, _, _ in SECTIONS[kind]}
    return " · ".join(f"{labels[key]} {minutes} min" for key, minutes in schedule.timeboxes(kind))


def build(actor: Actor, *, absolute: Callable[[str], str], now: datetime | None = None) -> Calendar:
    """The feed of ``actor``'s person: meetings from 30 days ago to 180 days ahead, and their
    open to-dos, rocks and milestones due in that window. ``absolute`` turns a path into a
    full URL. A handful of queries, whatever the number of items."""
    now = now or timezone.now()
    start, end = now - PAST, now + AHEAD
    cal = Calendar()
    cal.add("prodid", "-//Tandem//Partnership meetings//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", "Tandem")
    cal.add("x-wr-caldesc", "Your partnership meetings and due dates, from Tandem.")
    cal.add("x-published-ttl", "PT1H")
    for partnership in feed_partnerships(actor):
        schedule = schedule_of(partnership)
        url = absolute(meetings_url(partnership.pk))
        for occurrence in occurrences(partnership, schedule, start, end):
            event = Event()
            event.add("uid", occurrence.uid(partnership.pk))
            event.add("dtstamp", now)
            event.add("dtstart", occurrence.start)
            event.add("dtend", occurrence.end)
            label = meeting_label(occurrence.kind, partnership.cadence)
            event.add("summary", f"{label} · {partnership.name}")
            event.add("description", f"{_agenda(schedule, occurrence.kind)}\n\n{url}")
            event.add("url", url)
            cal.add_component(event)
    first, last = start.date(), end.date()
    for todo in due_todos(actor, first, last):
        scope = _scope_name(todo)
        cal.add_component(
            _due(
                f"todo-{todo.pk}@tandem",
                f"To-do: {todo.title} · {scope}",
                todo.due_on,
                absolute(reverse("todo_list", args=[todo.partnership_id or PROGRAM])),
                now,
            )
        )
    for rock in due_rocks(actor, first, last):
        scope = _scope_name(rock)
        cal.add_component(
            _due(
                f"rock-{rock.pk}@tandem",
                f"Rock due: {rock.title} · {scope}",
                rock.due_on,
                absolute(reverse("rock_list", args=[rock.partnership_id or PROGRAM])),
                now,
            )
        )
    for milestone in due_milestones(actor, first, last):
        rock = milestone.rock
        scope = _scope_name(rock)
        cal.add_component(
            _due(
                f"milestone-{milestone.pk}@tandem",
                f"Milestone: {milestone.title} ({rock.title}) · {scope}",
                milestone.due_on,
                absolute(reverse("rock_list", args=[rock.partnership_id or PROGRAM])),
                now,
            )
        )
    cal.add_missing_timezones(
        first_date=first - timedelta(days=1), last_date=last + timedelta(days=2)
    )
    return cal


def _due(uid: str, summary: str, day: date, url: str, now: datetime) -> Event:
    """An all-day event on ``day`` that leaves the person's time free."""
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", day + timedelta(days=1))
    event.add("summary", summary)
    event.add("url", url)
    event.add("transp", "TRANSPARENT")
    return event
