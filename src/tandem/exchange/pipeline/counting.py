"""Counting deals for the funnel and the forecast, grouped in SQL: the same queries count
one partnership's deals, the program's, or a chunk of partnerships' each (``by``
``partnership_id``), which the program's tallies store (``tallies``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, ExtractQuarter, ExtractYear

from tandem.exchange.pipeline.models import Opportunity, Outcome, StageChange


def furthest_stage() -> Subquery:
    """Per opportunity: the furthest stage (in pipeline order) it ever entered, lost aside."""
    return Subquery(
        StageChange.objects.filter(opportunity=OuterRef("pk"))
        .exclude(to_stage__outcome=Outcome.LOST)
        .order_by("-to_stage__position", "-to_stage_id")
        .values("to_stage_id")[:1],
        output_field=IntegerField(),
    )


def reached_rows(deals: QuerySet[Opportunity], *by: str) -> QuerySet[Opportunity, dict[str, Any]]:
    """How far each deal got (its ``furthest`` stage: the last stage before lost for a lost
    deal), counted per stage and by outcome now; grouped by ``by`` as well."""
    furthest = Coalesce(
        furthest_stage(),
        Case(
            When(~Q(stage__outcome=Outcome.LOST), then=F("stage_id")),
            default=Value(None),
            output_field=IntegerField(),
        ),
        output_field=IntegerField(),
    )
    return (
        deals.order_by()
        .annotate(furthest=furthest)
        .values(*by, "furthest")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=Q(stage__outcome=Outcome.OPEN)),
            won=Count("id", filter=Q(stage__outcome=Outcome.WON)),
            lost=Count("id", filter=Q(stage__outcome=Outcome.LOST)),
        )
    )


def open_rows(deals: QuerySet[Opportunity], *by: str) -> QuerySet[Opportunity, dict[str, Any]]:
    """Open deals in each stage now (``n``), grouped by ``by`` as well."""
    return (
        deals.filter(stage__outcome=Outcome.OPEN)
        .order_by()
        .values(*by, "stage_id")
        .annotate(n=Count("id"))
    )


def died_rows(
    deals: QuerySet[Opportunity], lost_ids: Iterable[int], *by: str
) -> QuerySet[StageChange, dict[str, Any]]:
    """Where lost deals died: lost deals (``n``) by the stage they left for lost (None: none
    before lost); ``by`` names fields of the deal (``partnership_id``)."""
    return (
        StageChange.objects.filter(
            opportunity__in=deals.filter(stage__outcome=Outcome.LOST).values("pk"),
            to_stage_id__in=sorted(lost_ids),
        )
        .order_by()
        .values(*(f"opportunity__{name}" for name in by), "from_stage_id")
        .annotate(n=Count("opportunity_id", distinct=True))
    )


def share(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class PartnershipFunnel:
    partnership_id: int
    name: str
    deals: int
    open: int
    won: int
    lost: int
    stalled: int

    @property
    def win_rate(self) -> Decimal | None:
        closed = self.won + self.lost
        return share(self.won, closed) if closed else None


@dataclass
class Counts:
    """A funnel's counts before they become figures: deals by the furthest stage reached,
    open deals by stage, lost deals by the stage they died in, and the totals."""

    got_to: dict[int | None, int] = field(default_factory=lambda: defaultdict(int))
    open_now: dict[int, int] = field(default_factory=dict)
    died_in: dict[int | None, int] = field(default_factory=dict)
    totals: dict[str, int] = field(
        default_factory=lambda: {"deals": 0, "open": 0, "won": 0, "lost": 0}
    )

    def add_reached(self, furthest: int | None, n: int, open: int, won: int, lost: int) -> None:
        self.got_to[furthest] += n
        for key, value in (("deals", n), ("open", open), ("won", won), ("lost", lost)):
            self.totals[key] += value


def counts_of(deals: QuerySet[Opportunity], lost_ids: Iterable[int]) -> Counts:
    """The counts of ``deals``, read from the deals themselves: three queries."""
    counts = Counts()
    for row in reached_rows(deals):
        counts.add_reached(row["furthest"], row["n"], row["open"], row["won"], row["lost"])
    counts.open_now = {row["stage_id"]: row["n"] for row in open_rows(deals)}
    counts.died_in = {row["from_stage_id"]: row["n"] for row in died_rows(deals, lost_ids)}
    return counts


def expected_rows(
    deals: QuerySet[Opportunity], first: date, last: date, *by: str
) -> QuerySet[Opportunity, dict[str, Any]]:
    """Open deals expected to close from ``first`` to ``last``: how many (``n``) and their
    amount (``total``, None when none has one) by quarter, currency and stage."""
    return (
        deals.filter(
            stage__outcome=Outcome.OPEN, expected_close__gte=first, expected_close__lte=last
        )
        .order_by()
        .annotate(year=ExtractYear("expected_close"), quarter=ExtractQuarter("expected_close"))
        .values(*by, "year", "quarter", "currency", "stage_id")
        .annotate(total=Sum("amount"), n=Count("id"))
    )


def won_rows(
    deals: QuerySet[Opportunity], first: date, last: date, *by: str
) -> QuerySet[Opportunity, dict[str, Any]]:
    """Deals won with a close date from ``first`` to ``last``: how many and their amount, by
    quarter and currency."""
    return (
        deals.filter(stage__outcome=Outcome.WON, closed_on__gte=first, closed_on__lte=last)
        .order_by()
        .annotate(year=ExtractYear("closed_on"), quarter=ExtractQuarter("closed_on"))
        .values(*by, "year", "quarter", "currency")
        .annotate(total=Sum("amount"), n=Count("id"))
    )
