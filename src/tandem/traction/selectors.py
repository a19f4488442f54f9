"""Reading to-dos, and how reliably each side does what it said (seed 000: 90% a week)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.core.access import Actor
from tandem.core.numbers import percent
from tandem.core.scope import Scope
from tandem.traction.models import COMPLETION_TARGET, Todo

WINDOWS = (4, 13)


def todos_for(actor: Actor, partnership: Scope) -> QuerySet[Todo]:
    return (
        Todo.objects.visible_to(actor)
        .in_scope(partnership)
        .select_related("owner")
        .only(
            "title", "details", "due_on", "done_at", "repeat", "visibility", "version", "owner_id",
            "workspace_id", "partnership_id", "owner__name", "owner__email",
        )
    )  # fmt: skip


def open_todos(actor: Actor, partnership: Scope) -> QuerySet[Todo]:
    return todos_for(actor, partnership).filter(done_at__isnull=True).order_by("due_on", "id")


def recently_done(actor: Actor, partnership: Scope, *, days: int = 14) -> QuerySet[Todo]:
    since = timezone.now() - timedelta(days=days)
    return todos_for(actor, partnership).filter(done_at__gte=since).order_by("-done_at", "-id")


@dataclass(frozen=True)
class Rate:
    done: int
    due: int

    @property
    def percent(self) -> int | None:
        return percent(self.done, self.due)

    @property
    def on_target(self) -> bool:
        # Judged on the figure shown, so a rate that reads 90% is never coloured as a miss.
        shown = self.percent
        return shown is not None and shown >= round(COMPLETION_TARGET * 100)


@dataclass(frozen=True)
class OwnerRate:
    name: str
    ours: bool
    rates: dict[int, Rate]


@dataclass(frozen=True)
class Completion:
    """Of the to-dos that fell due in the last 4 and 13 weeks, how many were done by their
    due date: overall, per side and per owner."""

    overall: dict[int, Rate]
    ours: dict[int, Rate]
    theirs: dict[int, Rate]
    owners: list[OwnerRate]
    target: int = round(COMPLETION_TARGET * 100)


def completion(actor: Actor, partnership: Scope) -> Completion:
    """One grouped query, whatever the history: counts per owner for both windows."""
    today = timezone.localdate()
    counts = {}
    for weeks in WINDOWS:
        window = Q(due_on__gte=today - timedelta(weeks=weeks), due_on__lt=today)
        counts[f"due_{weeks}"] = Count("pk", filter=window)
        counts[f"done_{weeks}"] = Count(
            "pk", filter=window & Q(done_at__isnull=False, done_at__date__lte=F("due_on"))
        )
    # Rows by name: the counts' names are made here, so they are not in the row's type.
    rows: QuerySet[Todo, Mapping[str, Any]] = (
        Todo.objects.visible_to(actor)
        .in_scope(partnership)
        .filter(due_on__gte=today - timedelta(weeks=max(WINDOWS)))
        .annotate(
            ours=Exists(
                Membership.objects.filter(
                    user_id=OuterRef("owner_id"), workspace_id=partnership.workspace_id
                )
            )
        )
        .values("owner_id", "owner__name", "owner__email", "ours")
        .annotate(**counts)
        .order_by("owner__name", "owner__email")
    )
    owners = []
    totals: dict[str, dict[int, list[int]]] = {
        side: {weeks: [0, 0] for weeks in WINDOWS} for side in ("all", "ours", "theirs")
    }
    for row in rows:
        rates = {weeks: Rate(row[f"done_{weeks}"], row[f"due_{weeks}"]) for weeks in WINDOWS}
        if row["owner_id"] is not None:
            owners.append(OwnerRate(row["owner__name"] or row["owner__email"], row["ours"], rates))
        for weeks, rate in rates.items():
            sides = ["all"]
            if row["owner_id"] is not None:  # a to-do nobody owns belongs to neither side
                sides.append("ours" if row["ours"] else "theirs")
            for side in sides:
                totals[side][weeks][0] += rate.done
                totals[side][weeks][1] += rate.due
    as_rates = {
        side: {weeks: Rate(*pair) for weeks, pair in by_week.items()}
        for side, by_week in totals.items()
    }
    return Completion(
        overall=as_rates["all"],
        ours=as_rates["ours"],
        theirs=as_rates["theirs"],
        owners=[owner for owner in owners if any(r.due for r in owner.rates.values())],
    )
