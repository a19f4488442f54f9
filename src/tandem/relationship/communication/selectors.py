"""Reading the communication plan, always through the requesting actor, and judging its
rhythm: for each entry its latest planned touches, which happened, and the next one due."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Prefetch, QuerySet

from tandem.core.access import Actor
from tandem.core.clock import local_today
from tandem.core.numbers import percent
from tandem.relationship.communication.cadence import (
    WINDOW,
    last_planned,
    next_planned,
    planned_between,
)
from tandem.relationship.communication.models import PlanEntry, Touch

RECENT = 5  # planned touches shown per entry
# How far back the touches behind RECENT go: five quarterly touches and a margin.
LOOKBACK = timedelta(days=5 * 92 + 31)


@dataclass
class PlannedTouch:
    day: date
    touch: Touch | None

    @property
    def state(self) -> str:
        if self.touch is None:
            return "open"
        return "happened" if self.touch.happened else "missed"


@dataclass
class EntryRow:
    """One entry of the plan as the page shows it. Counts cover the last 90 days."""

    entry: PlanEntry
    recent: list[PlannedTouch] = field(default_factory=list)
    planned: int = 0
    happened: int = 0
    missed: int = 0
    overdue: int = 0
    next_due: date | None = None

    @property
    def percent(self) -> int | None:
        return percent(self.happened, self.planned)

    def __getattr__(self, name: str) -> Any:
        """Otherwise the row reads as its entry (the API sends both as one)."""
        if name == "entry":  # not set yet (a copy being made)
            raise AttributeError(name)
        return getattr(self.entry, name)


@dataclass(frozen=True)
class Health:
    """The plan's rhythm over the last 90 days, across the entries the actor sees."""

    planned: int
    happened: int
    missed: int
    overdue: int
    entries: int

    @property
    def percent(self) -> int | None:
        return percent(self.happened, self.planned)


def entries_for(actor: Actor, partnership: Any) -> QuerySet[PlanEntry]:
    return (
        PlanEntry.objects.visible_to(actor)
        .in_scope(partnership)
        .select_related("owner")
        .order_by("starts_on", "id")
    )


def entries_with_touches(actor: Actor, partnership: Any, today: date) -> QuerySet[PlanEntry]:
    """Entries with their recent touches (one more query in all) as ``recent_touches``."""
    return entries_for(actor, partnership).prefetch_related(
        Prefetch(
            "touches",
            queryset=Touch.objects.filter(planned_on__gte=today - LOOKBACK).select_related(
                "marked_by"
            ),
            to_attr="recent_touches",
        )
    )


def entry_rows(entries: Iterable[PlanEntry], today: date) -> list[EntryRow]:
    """Judge entries loaded by ``entries_with_touches``: arithmetic only, no queries."""
    window_start = today - WINDOW + timedelta(days=1)
    rows = []
    for entry in entries:
        marks = {touch.planned_on: touch for touch in entry.recent_touches}  # type: ignore[attr-defined]
        row = EntryRow(entry=entry, next_due=next_planned(entry.starts_on, entry.cadence, today))
        row.recent = [
            PlannedTouch(day, marks.get(day))
            for day in last_planned(entry.starts_on, entry.cadence, today, RECENT)
        ]
        for day in planned_between(entry.starts_on, entry.cadence, window_start, today):
            row.planned += 1
            touch = marks.get(day)
            if touch is None:
                row.overdue += 1
            elif touch.happened:
                row.happened += 1
            else:
                row.missed += 1
        rows.append(row)
    return rows


def plan_health(actor: Actor, partnership: Any, *, today: date | None = None) -> Health:
    """For an overview: of the touches planned in the last 90 days, how many happened, were
    missed, or are still to be marked (overdue). Three queries whatever the plan's size."""
    today = today or local_today(partnership)
    return health_of(entry_rows(entries_with_touches(actor, partnership, today), today))


def health_of(rows: list[EntryRow]) -> Health:
    """The plan's figures, added up over its entries' rows."""
    return Health(
        planned=sum(row.planned for row in rows),
        happened=sum(row.happened for row in rows),
        missed=sum(row.missed for row in rows),
        overdue=sum(row.overdue for row in rows),
        entries=len(rows),
    )


def touches_for(actor: Actor, entry: PlanEntry) -> QuerySet[Touch]:
    """An entry's marked touches, latest first (the entry was read through the actor)."""
    actor.require(actor.can_see(entry))
    return entry.touches.select_related("marked_by").order_by("-planned_on")
