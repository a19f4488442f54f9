"""What one person's weekly digest holds, read through their own actor: a partner-side
person sees only their partnership's shared items, as on every page.

- their open to-dos due by the same day next week (overdue ones first),
- their rocks of the quarter with their status,
- the asks waiting for their answer,
- the next meeting of each partnership they take part in, in their time zone,
- the quarterly plans they were asked to sign and have not (``plans``),
- for workspace members, the partnerships that stalled (``alerts``): all of a workspace's
  for its owners and admins, those they own or sponsor for the others.

A fixed number of queries whatever the number of partnerships or the length of history
(plus a few per plan waiting for a signature, at most ``PLANS``, and a count for each
section that holds more than ``LIMIT`` lines). A digest with nothing in
any section is not sent (``tasks``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Count, Max, Q, QuerySet, Window
from django.db.models.functions import Lower
from django.urls import reverse

from tandem.accounts.models import User
from tandem.core import dates
from tandem.core.access import Actor
from tandem.core.dates import quarter_of
from tandem.core.scope import PROGRAM
from tandem.evaluation.alerts.models import Standing
from tandem.evaluation.alerts.standing import bring_up_to_date, stored_alerts
from tandem.meetings.calendar.feed import feed_partnerships
from tandem.meetings.schedule.dates import meeting_label, next_occurrence, schedule_of
from tandem.meetings.schedule.selectors import meetings_url, when
from tandem.meetings.schedule.soonest import soonest
from tandem.partners.models import Partnership
from tandem.personal.selectors import OPEN_SCOPE, open_todos_of, rocks_of
from tandem.plans.models import PlanReminder
from tandem.plans.notify import people_to_sign, plan_url
from tandem.relationship.asks.models import Ask, AskStatus
from tandem.traction.models import RockStatus

LIMIT = 20  # lines per section; the rest is counted and linked
PLANS = 5  # plans read for one digest: each costs a few queries
# To-dos due up to the same day next week: what a weekly digest must not leave for the next.
WEEK = dt.timedelta(days=7)


@dataclass
class Line:
    """One line of a section: what, where, a detail (due, status, when), its page (a path),
    and the one-click action when the digest offers one (a full URL, set when sent)."""

    title: str
    where: str
    detail: str
    url: str
    item: Any = None
    late: bool = False
    action: str = ""
    action_url: str = ""
    action_label: str = ""


@dataclass
class Section:
    key: str
    heading: str
    lines: list[Line] = field(default_factory=list)
    more: int = 0
    more_url: str = ""

    @property
    def count(self) -> int:
        return len(self.lines) + self.more


@dataclass
class Digest:
    person: User
    zone: ZoneInfo
    today: dt.date
    week_end: dt.date
    sections: list[Section]

    @property
    def is_empty(self) -> bool:
        return not any(section.lines for section in self.sections)

    @property
    def items(self) -> int:
        return sum(section.count for section in self.sections)

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


def _where(item: Any) -> str:
    return item.partnership.name if item.partnership_id else "Program"


def _cut(key: str, heading: str, lines: list[Line], more_url: str = "") -> Section:
    return Section(key, heading, lines[:LIMIT], max(0, len(lines) - LIMIT), more_url)


def _first(items: QuerySet[Any]) -> tuple[list[Any], int]:
    """The first ``LIMIT`` of ``items`` and how many more there are: one query, however
    many there are (each row carries the count of them all, a window over the whole list
    before it is cut)."""
    found = list(items.annotate(_all=Window(Count("pk")))[:LIMIT])
    return found, (found[0]._all - len(found)) if found else 0


def todos(actor: Actor, user: User, today: dt.date, week_end: dt.date) -> Section:
    found, more = _first(open_todos_of(actor, user).filter(due_on__lte=week_end))
    lines = [
        Line(
            title=todo.title,
            where=_where(todo),
            detail=("overdue since " if todo.due_on < today else "due ") + _day(todo.due_on),
            url=reverse("todo_list", args=[todo.partnership_id or PROGRAM]),
            item=todo,
            late=todo.due_on < today,
            action="todo_done",
            action_label="Mark done",
        )
        for todo in found
    ]
    return Section("todos", "Your to-dos due in the coming week", lines, more, reverse("my_week"))


def rocks(actor: Actor, user: User, today: dt.date) -> Section:
    year, quarter = quarter_of(today)
    found, more = _first(rocks_of(actor, user, year, quarter).exclude(status=RockStatus.DROPPED))
    lines = [
        Line(
            title=rock.title,
            where=_where(rock),
            detail=f"{rock.get_status_display()} · due {_day(rock.due_on)}",
            url=reverse("rock_list", args=[rock.partnership_id or PROGRAM]),
            item=rock,
            late=rock.status == RockStatus.OFF_TRACK,
        )
        for rock in found
    ]
    return Section("rocks", f"Your rocks for Q{quarter} {year}", lines, more, reverse("my_week"))


def asks(actor: Actor, user: User, today: dt.date) -> Section:
    found, more = _first(
        Ask.objects.visible_to(actor)
        .filter(OPEN_SCOPE, owner=user, status=AskStatus.OPEN, partnership__isnull=False)
        .select_related("partnership")
        .order_by("needed_by", "asked_at", "id")
    )
    lines = []
    for ask in found:
        detail = f"asked {_day(ask.asked_at.date())}"
        if ask.needed_by:
            detail += f" · needed by {_day(ask.needed_by)}"
        lines.append(
            Line(
                title=ask.title,
                where=_where(ask),
                detail=detail,
                url=reverse("ask_detail", args=[ask.partnership_id, ask.pk]),
                item=ask,
                late=bool(ask.needed_by and ask.needed_by < today),
                action="ask_answer",
                action_label="Answer",
            )
        )
    return Section("asks", "Asks waiting for your answer", lines, more, reverse("my_week"))


def meetings(actor: Actor, zone: ZoneInfo, at: dt.datetime) -> Section:
    lines = []
    theirs = feed_partnerships(actor)
    for partnership in soonest(theirs, at, LIMIT + 1):
        occurrence = next_occurrence(partnership, schedule_of(partnership), at)
        if occurrence is None:
            continue
        lines.append(
            Line(
                title=meeting_label(occurrence.kind, partnership.cadence),
                where=partnership.name,
                detail=when(occurrence.start, zone),
                url=meetings_url(partnership.pk),
                item=occurrence,
            )
        )
    lines.sort(key=lambda line: line.item.start)
    more = 0
    if len(lines) > LIMIT:  # the soonest twenty, and how many more partnerships meet
        more = theirs.filter(next_meeting__start__isnull=False).count() - LIMIT
    return Section("meetings", "Your next meetings", lines[:LIMIT], more, reverse("my_week"))


def plans(actor: Actor, user: User, today: dt.date) -> Section:
    """The quarterly plans (this quarter's or later) the person was asked to sign and has
    still to: a plan's people were asked with a ``PlanReminder``, so only partnerships with
    one are read (two queries, then a few per plan waiting, at most ``PLANS`` of them)."""
    year, quarter = quarter_of(today)
    latest = (
        PlanReminder.objects.visible_to(actor)
        .filter(partnership__archived_at__isnull=True)
        .filter(Q(year__gt=year) | Q(year=year, quarter__gte=quarter))
        .values("partnership_id", "year", "quarter")
        .annotate(last=Max("id"))
        .order_by("year", "quarter", "partnership_id")
        .values_list("last", flat=True)[:PLANS]
    )
    reminders = PlanReminder.objects.filter(pk__in=list(latest)).select_related("partnership")
    lines = []
    for reminder in sorted(reminders, key=lambda r: (r.year, r.quarter, r.partnership.name)):
        partnership = reminder.partnership
        signers = people_to_sign(partnership, reminder.year, reminder.quarter)
        if user.pk not in {person.pk for person in signers}:
            continue
        lines.append(
            Line(
                title=f"The Q{reminder.quarter} {reminder.year} plan",
                where=partnership.name,
                detail="waiting for your side's signature",
                url=plan_url(partnership, reminder.year, reminder.quarter),
                item=reminder,
                action="plan_sign",
                action_label="Review and sign",
            )
        )
    return _cut("plans", "Plans to sign", lines, reverse("my_week"))


def stalled(actor: Actor, user: User, today: dt.date) -> Section:
    """For members: the partnerships that stalled, each with its first alert and what to do
    next. A workspace's owners and admins hear of all its partnerships, other members of
    those they own or sponsor. Read from the partnerships' standings (brought up to date
    first): a few queries per workspace, whatever the number of partnerships."""
    admin = [pk for pk in actor.workspace_ids if actor.is_admin(pk)]
    theirs = Partnership.objects.filter(
        workspace_id__in=actor.workspace_ids, archived_at__isnull=True
    ).filter(Q(workspace_id__in=admin) | Q(owner=user) | Q(sponsor=user))
    for workspace_id in actor.workspace_ids:
        bring_up_to_date(workspace_id, theirs.filter(workspace_id=workspace_id), today)
    lines = []
    standings = Standing.objects.filter(partnership__in=theirs, alert_count__gt=0).order_by(
        Lower("partnership__name"), "partnership_id"
    )
    shown, more = _first(standings)
    for standing in shown:
        first = stored_alerts(standing)[0]
        lines.append(
            Line(
                title=first.partnership_name,
                where=first.title,
                detail=f"{first.text} Next: {first.next_step}",
                url=first.url,
            )
        )
    return Section("stalled", "Partnerships that stalled", lines, more, reverse("portfolio"))


def build(actor: Actor, user: User, zone: ZoneInfo, at: dt.datetime) -> Digest:
    """``user``'s digest at the moment ``at``, read as ``actor`` (their own)."""
    today = at.astimezone(zone).date()
    week_end = today + WEEK
    sections = [
        todos(actor, user, today, week_end),
        asks(actor, user, today),
        plans(actor, user, today),
        rocks(actor, user, today),
        meetings(actor, zone, at),
    ]
    if actor.workspace_ids:
        sections.append(stalled(actor, user, today))
    return Digest(user, zone, today, week_end, sections)


def _day(day: dt.date) -> str:
    return dates.day(day)
