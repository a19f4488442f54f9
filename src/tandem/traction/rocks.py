"""Rocks, the 90-day priorities (seed 000), and their milestones: changes and reads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tandem.core import params, text
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.items import ItemType, text_fields
from tandem.core.numbers import percent
from tandem.core.policy import require_open
from tandem.core.scope import Scope, scope_of
from tandem.traction.forms import RockForm
from tandem.traction.models import (
    ROCKS_PER_PERSON,
    Milestone,
    Rock,
    RockStatus,
    quarter_end,
    quarter_of,
)
from tandem.traction.services import check_due
from tandem.vision.models import Goal, Horizon


def _rule(actor: Actor, scope: Scope, values: dict[str, Any], rock: Rock | None) -> None:
    """A new rock is for a quarter (this one unless named), due at its end unless a date is
    given, and owned by whoever adds it unless they name someone."""
    if rock is None:
        if values.get("owner") is None:
            values["owner"] = actor.user
        year, quarter = values.get("year"), values.get("quarter")
        if year is None or quarter is None:
            year, quarter = quarter_of(timezone.localdate())
        if not 1 <= quarter <= 4 or not params.EARLIEST.year <= year <= params.LATEST.year:
            raise InvalidInput.on("quarter", "Choose a quarter between 2000 and 2100.")
        values.update(year=year, quarter=quarter)
        values["due_on"] = values.get("due_on") or quarter_end(year, quarter)
    check_due(values.get("due_on"))
    if rock is None or "goal" in values or "visibility" in values:
        check_goal(
            scope,
            values.get("goal", rock.goal if rock else None),
            values.get("visibility", rock.visibility if rock else Visibility.SHARED),
        )


def check_goal(scope: Scope, goal: Goal | None, visibility: str) -> None:
    """A rock serves a 1-year goal of its own partnership (or of the program); a shared
    rock only a shared goal, so the partner never meets a goal they cannot see."""
    if goal is None:
        return
    fits = (
        goal.workspace_id == scope.workspace_id
        and goal.partnership_id == scope.id
        and goal.horizon == Horizon.ONE_YEAR
    )
    if not fits:
        message = "Choose a 1-year goal of this partnership."
    elif visibility == Visibility.SHARED and goal.visibility != Visibility.SHARED:
        message = "A shared rock links to a shared goal; this goal is internal."
    else:
        return
    raise InvalidInput("Please correct the highlighted fields.", errors={"goal": [message]})


ROCKS = ItemType(
    model=Rock,
    name="rock",
    label="rock",
    form=RockForm,
    program=True,
    delete="partnership",
    fixed=("year", "quarter"),
    defaults={"visibility": Visibility.SHARED, "details": ""},
    check=text_fields("title"),
    validate=_rule,
    logged=("title", "owner", "due_on", "goal", "visibility"),
)

rock_create = ROCKS.create
rock_update = ROCKS.update


def milestone_add(rock: Rock, *, actor: Actor, title: str, due_on: date) -> Milestone:
    actor.require(actor.can_change(rock))
    require_open(scope_of(rock))
    check_due(due_on)
    title = text.line("title", title)
    if not title or len(title) > 200:
        raise InvalidInput(
            "Name the milestone.", errors={"title": ["Between 1 and 200 characters."]}
        )
    with transaction.atomic():
        milestone = Milestone.objects.create(rock=rock, title=title, due_on=due_on)
        core.record(
            actor=actor,
            verb="added a milestone to",
            target=rock,
            changes={"milestone": ["", f"{title} ({due_on:%d %b})"]},
        )
    return milestone


def milestone_set_done(milestone: Milestone, *, actor: Actor, done: bool) -> Milestone:
    rock = milestone.rock
    actor.require(actor.can_change(rock))
    require_open(scope_of(rock))
    with transaction.atomic():
        changed = Milestone.objects.filter(pk=milestone.pk, done_at__isnull=done).update(
            done_at=timezone.now() if done else None
        )
        if changed:
            core.record(
                actor=actor,
                verb="completed a milestone of" if done else "reopened a milestone of",
                target=rock,
                changes={"milestone": ["", milestone.title]},
            )
    milestone.refresh_from_db()
    return milestone


def milestone_delete(milestone: Milestone, *, actor: Actor) -> None:
    rock = milestone.rock
    actor.require(actor.can_change(rock))
    require_open(scope_of(rock))
    with transaction.atomic():
        milestone.delete()
        core.record(
            actor=actor,
            verb="removed a milestone from",
            target=rock,
            changes={"milestone": [milestone.title, ""]},
        )


# --- Reading -------------------------------------------------------------------------------


def rocks_for(actor: Actor, partnership: Scope, year: int, quarter: int) -> QuerySet[Rock]:
    """A quarter's rocks, each with its goal only where the actor sees that goal."""
    return (
        Rock.objects.visible_to(actor)
        .in_scope(partnership)
        .filter(year=year, quarter=quarter)
        .select_related("owner")
        .with_visible(actor, "goal")
        .order_by("due_on", "id")
    )


@dataclass(frozen=True)
class QuarterSummary:
    total: int
    done: int
    on_track: int
    off_track: int
    dropped: int

    @property
    def counted(self) -> int:
        """Dropped rocks are not counted against the quarter."""
        return self.total - self.dropped

    @property
    def percent_done(self) -> int | None:
        return percent(self.done, self.counted)


def quarter_summary(rocks: QuerySet[Rock]) -> QuarterSummary:
    counts = rocks.aggregate(
        total=Count("pk"),
        **{status: Count("pk", filter=Q(status=status)) for status in RockStatus.values},
    )
    return QuarterSummary(
        total=counts["total"],
        done=counts["done"],
        on_track=counts["on_track"],
        off_track=counts["off_track"],
        dropped=counts["dropped"],
    )


def overloaded_owners(actor: Actor, year: int, quarter: int) -> list[tuple[str, int]]:
    """People with more than seven rocks this quarter, across the partnerships the actor
    sees: the method's guidance is three to seven per person."""
    rows = (
        Rock.objects.visible_to(actor)
        .filter(year=year, quarter=quarter, owner__isnull=False)
        .exclude(status=RockStatus.DROPPED)
        .values("owner__name", "owner__email")
        .annotate(count=Count("pk"))
        .filter(count__gt=ROCKS_PER_PERSON)
        .order_by("-count")
    )
    return [(row["owner__name"] or row["owner__email"], row["count"]) for row in rows]


MILESTONES_SHOWN = 10


def milestones_due_soon(actor: Actor, partnership: Scope) -> list[Milestone]:
    """Open milestones of this quarter's rocks due within 7 days (or overdue): they show on
    the to-do list beside the to-dos, at most MILESTONES_SHOWN, the earliest due first. A
    past quarter's rocks were closed at its quarterly meeting: their milestones no longer
    nag, so the list does not grow with the years."""
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    visible = (
        Rock.objects.visible_to(actor).in_scope(partnership).filter(year=year, quarter=quarter)
    )
    return list(
        Milestone.objects.filter(
            rock__in=visible, done_at__isnull=True, due_on__lte=today + timedelta(days=7)
        )
        .select_related("rock", "rock__owner")
        .order_by("due_on", "id")[:MILESTONES_SHOWN]
    )
