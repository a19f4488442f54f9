"""Reading asks, always through the requesting actor: the lists, and the figures a
partnership's health panel shows (open asks per side with the oldest, the median time to
respond per side over the last 90 days) in two queries for any number of partnerships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.access import Actor
from tandem.core.scope import Program, Scope
from tandem.partners.services import members_of, partner_people_of
from tandem.relationship.asks.models import RESPONDED, Ask, AskStatus, Side

RESPONSE_WINDOW = timedelta(days=90)
OPEN_SHOWN = 100  # open asks listed per page; more than this is a conversation to have


def side_of(actor: Actor, partnership: Scope) -> str:
    """A workspace member asks for our side; a partner-side person for the partner."""
    return Side.OURS if actor.is_member(partnership.workspace_id) else Side.PARTNER


def answerers(partnership: Scope, side: str) -> QuerySet[User]:
    """Who can be asked: the people on the other side of ``side``."""
    if side == Side.PARTNER:
        return members_of(partnership.workspace_id)
    if isinstance(partnership, Program):  # the program level has no partner's side
        return User.objects.none()
    return partner_people_of(partnership)


def asks_for(actor: Actor, partnership: Scope) -> QuerySet[Ask]:
    return (
        Ask.objects.visible_to(actor)
        .in_scope(partnership)
        .select_related("owner", "created_by", "answered_by")
    )


def open_asks(actor: Actor, partnership: Scope) -> QuerySet[Ask]:
    """Oldest first: the one waiting longest leads."""
    return asks_for(actor, partnership).filter(status=AskStatus.OPEN).order_by("asked_at", "id")


def closed_asks(actor: Actor, partnership: Scope) -> QuerySet[Ask]:
    """Answered, declined and withdrawn asks, the latest answer first."""
    return (
        asks_for(actor, partnership)
        .exclude(status=AskStatus.OPEN)
        .order_by(F("answered_at").desc(nulls_last=True), "-updated_at", "-id")
    )


@dataclass(frozen=True)
class SideFigures:
    """The asks one side made: how many wait, since when, and how fast the other side
    responded (answered or declined) to those responded to in the last 90 days."""

    side: str
    open: int = 0
    overdue: int = 0
    oldest_asked_at: datetime | None = None
    oldest_age: timedelta | None = None
    responded: int = 0
    median_response: timedelta | None = None

    @property
    def label(self) -> str:
        return Side(self.side).label


@dataclass(frozen=True)
class AskHealth:
    ours: SideFigures
    partner: SideFigures

    @property
    def open(self) -> int:
        return self.ours.open + self.partner.open

    @property
    def overdue(self) -> int:
        return self.ours.overdue + self.partner.overdue

    def for_side(self, side: str) -> SideFigures:
        return self.ours if side == Side.OURS else self.partner


def ask_health_for(
    actor: Actor,
    partnership_ids: Iterable[int],
    *,
    now: datetime | None = None,
    today: date | None = None,
) -> dict[int, AskHealth]:
    """For each partnership: the open asks per side (count, overdue, the oldest and its
    age) and the median time to respond per side over the last 90 days. Two queries,
    whatever the number of partnerships; only what the actor may see counts."""
    ids = sorted(set(partnership_ids))
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    visible = Ask.objects.visible_to(actor).filter(partnership_id__in=ids).order_by()
    figures: dict[tuple[int, str], dict[str, Any]] = defaultdict(dict)
    for row in (
        visible.filter(status=AskStatus.OPEN)
        .values("partnership_id", "side")
        .annotate(
            open=Count("id"),
            overdue=Count("id", filter=Q(needed_by__lt=today)),
            oldest_asked_at=Min("asked_at"),
        )
    ):
        figures[row["partnership_id"], row["side"]].update(
            open=row["open"],
            overdue=row["overdue"],
            oldest_asked_at=row["oldest_asked_at"],
            oldest_age=now - row["oldest_asked_at"] if row["oldest_asked_at"] else None,
        )
    spans: dict[tuple[int, str], list[timedelta]] = defaultdict(list)
    for partnership_id, side, asked_at, answered_at in visible.filter(
        status__in=RESPONDED, answered_at__gte=now - RESPONSE_WINDOW
    ).values_list("partnership_id", "side", "asked_at", "answered_at"):
        assert answered_at is not None  # answered_at__gte above
        spans[partnership_id, side].append(max(answered_at - asked_at, timedelta(0)))
    for key, values in spans.items():
        figures[key].update(responded=len(values), median_response=_median(values))
    return {
        pk: AskHealth(
            ours=SideFigures(Side.OURS, **figures.get((pk, Side.OURS), {})),
            partner=SideFigures(Side.PARTNER, **figures.get((pk, Side.PARTNER), {})),
        )
        for pk in ids
    }


def ask_health(actor: Actor, partnership: Any, **kwargs: Any) -> AskHealth:
    return ask_health_for(actor, [partnership.pk], **kwargs)[partnership.pk]


def _median(values: list[timedelta]) -> timedelta:
    return timedelta(seconds=median(value.total_seconds() for value in values))
