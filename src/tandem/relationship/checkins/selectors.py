"""Reading check-ins and events through the requesting actor, and the cultivation figures a
health panel shows: the time since the last held one of each kind, the next planned, and a
warning when the monthly or quarterly rhythm has lapsed (one query for any number of
partnerships)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db.models import Max, Min, Q, QuerySet
from django.utils import timezone

from tandem.core.access import Actor
from tandem.relationship.checkins.models import CheckIn, CheckInKind

if TYPE_CHECKING:
    from tandem.core.scope import Scope

# Seed 002: monthly and quarterly check-ins. A little slack over a month and a quarter.
LAPSE_DAYS: dict[str, int] = {CheckInKind.MONTHLY: 35, CheckInKind.QUARTERLY: 100}


def checkins_for(actor: Actor, partnership: Scope) -> QuerySet[CheckIn]:
    return CheckIn.objects.visible_to(actor).in_scope(partnership).select_related("created_by")


def upcoming(actor: Actor, partnership: Scope, today: date) -> QuerySet[CheckIn]:
    return checkins_for(actor, partnership).filter(held_on__gt=today).order_by("held_on", "id")


def held(actor: Actor, partnership: Scope, today: date) -> QuerySet[CheckIn]:
    return checkins_for(actor, partnership).filter(held_on__lte=today).order_by("-held_on", "-id")


@dataclass(frozen=True)
class KindFigures:
    kind: str
    last_held: date | None = None
    next_planned: date | None = None
    days_since: int | None = None
    limit: int | None = None  # days before the rhythm counts as lapsed (none for events)

    @property
    def label(self) -> str:
        return CheckInKind(self.kind).label

    @property
    def lapsed(self) -> bool:
        if self.limit is None:
            return False
        return self.days_since is None or self.days_since > self.limit

    @property
    def warning(self) -> str:
        if not self.lapsed:
            return ""
        name = self.label.lower()
        if self.days_since is None:
            return f"No {name} held yet."
        return f"The last {name} was {self.days_since} days ago."


@dataclass(frozen=True)
class CheckInHealth:
    kinds: dict[str, KindFigures] = field(default_factory=dict)

    @property
    def monthly(self) -> KindFigures:
        return self.kinds[CheckInKind.MONTHLY]

    @property
    def quarterly(self) -> KindFigures:
        return self.kinds[CheckInKind.QUARTERLY]

    @property
    def event(self) -> KindFigures:
        return self.kinds[CheckInKind.EVENT]

    @property
    def warnings(self) -> list[str]:
        return [figures.warning for figures in self.kinds.values() if figures.lapsed]

    @property
    def warning(self) -> bool:
        return bool(self.warnings)

    @property
    def days_since_last(self) -> int | None:
        """Since the last check-in or event of any kind."""
        spans = [f.days_since for f in self.kinds.values() if f.days_since is not None]
        return min(spans) if spans else None


def checkin_health_for(
    actor: Actor, partnership_ids: Iterable[int], *, today: date | None = None
) -> dict[int, CheckInHealth]:
    """Per partnership and kind: the last held, the next planned and the days since. One
    query; only what the actor may see counts."""
    ids = sorted(set(partnership_ids))
    today = today or timezone.localdate()
    rows = (
        CheckIn.objects.visible_to(actor)
        .filter(partnership_id__in=ids)
        .order_by()
        .values("partnership_id", "kind")
        .annotate(
            last_held=Max("held_on", filter=Q(held_on__lte=today)),
            next_planned=Min("held_on", filter=Q(held_on__gt=today)),
        )
    )
    found: dict[int, dict[str, dict[str, Any]]] = defaultdict(dict)
    for row in rows:
        found[row["partnership_id"]][row["kind"]] = {
            "last_held": row["last_held"],
            "next_planned": row["next_planned"],
            "days_since": (today - row["last_held"]).days if row["last_held"] else None,
        }
    return {
        pk: CheckInHealth(
            {
                kind: KindFigures(kind, limit=LAPSE_DAYS.get(kind), **found[pk].get(kind, {}))
                for kind in CheckInKind.values
            }
        )
        for pk in ids
    }


def checkin_health(actor: Actor, partnership: Scope, **kwargs: Any) -> CheckInHealth:
    assert partnership.id is not None, "check-ins live in partnerships, not the program"
    return checkin_health_for(actor, [partnership.id], **kwargs)[partnership.id]
