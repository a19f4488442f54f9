"""Funnel evaluation: how deals move through the stages, where they leak, what the quarter is
expected to bring against what it brought, and which deals have stalled.

Every figure reads the opportunities through ``visible_to``: a partner-side reader counts
their partnership's shared deals only. A scope is one partnership, or the program stand-in for
the whole portfolio (every partnership of the workspace; only members reach it). Each selector
runs a fixed number of queries whatever the number of deals; counting and summing happen in
the database (the time spent in each stage: ``stays``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Q,
    QuerySet,
)
from django.utils import timezone

from tandem.core.access import Actor
from tandem.core.dates import quarter_bounds as quarter_bounds
from tandem.core.dates import quarter_of
from tandem.core.queries import first_of_parts
from tandem.exchange.pipeline import counting, tallies
from tandem.exchange.pipeline.counting import PartnershipFunnel, share
from tandem.exchange.pipeline.models import (
    STALL_DAYS,
    Opportunity,
    Outcome,
    PipelineSettings,
    Stage,
)
from tandem.exchange.pipeline.stages import stages_of
from tandem.exchange.pipeline.stages import stall_days_of as stall_days_of  # My week reads it
from tandem.exchange.pipeline.stays import program_stays, stays_of
from tandem.partners.models import Partnership

if TYPE_CHECKING:
    from tandem.core.scope import Scope

CENT = Decimal("0.01")
Quarter = tuple[int, int]  # (year, 1–4)


# --- What a reader may count ---------------------------------------------------------------


def deals_in(actor: Actor, scope: Scope) -> QuerySet[Opportunity]:
    """The opportunities of one partnership, or of every partnership of the workspace (the
    program stand-in), that ``actor`` may see."""
    deals = Opportunity.objects.visible_to(actor).filter(workspace_id=scope.workspace_id)
    if scope.is_program:
        return deals.filter(partnership__isnull=False)
    return deals.filter(partnership_id=scope.pk)


# --- The funnel ----------------------------------------------------------------------------


@dataclass(frozen=True)
class StageFigures:
    """One stage of the funnel. ``reached``: deals that got at least this far (a deal that
    skipped the stage on the way further counts too). ``converted``: the share of those that
    got further (to the next stage of the funnel), None for the last stage or when none
    reached it. ``lost_here``: closed-lost deals whose last stage before lost was this one.
    ``open_now``: open deals in the stage now. Days: the time completed stays in the stage
    lasted (``stays`` of them), median and mean; None without a completed stay."""

    stage_id: int
    name: str
    probability: int
    outcome: str
    reached: int = 0
    converted: Decimal | None = None
    lost_here: int = 0
    open_now: int = 0
    stays: int = 0
    median_days: Decimal | None = None
    mean_days: Decimal | None = None

    @property
    def leak(self) -> Decimal | None:
        """The share of the deals that reached the stage and were lost in it."""
        if not self.reached:
            return None
        return share(self.lost_here, self.reached)


@dataclass(frozen=True)
class Funnel:
    stages: list[StageFigures] = field(default_factory=list)  # open stages, then won
    deals: int = 0
    open: int = 0
    won: int = 0
    lost: int = 0
    lost_unstaged: int = 0  # lost deals with no stage before lost in their history
    # When the days in stage were counted, for the program's (``stays``: once a day); None
    # when counted now.
    stays_counted_at: datetime | None = None

    @property
    def is_empty(self) -> bool:
        return self.deals == 0

    @property
    def win_rate(self) -> Decimal | None:
        """Won among the closed deals."""
        closed = self.won + self.lost
        return share(self.won, closed) if closed else None

    @property
    def widest(self) -> int:
        return max((s.reached for s in self.stages), default=0)

    @property
    def worst_leak(self) -> StageFigures | None:
        """The stage most deals died in."""
        leaking = [s for s in self.stages if s.lost_here]
        return max(leaking, key=lambda s: (s.lost_here, -self.stages.index(s)), default=None)


def _tallied(actor: Actor, scope: Scope, tallied: bool) -> bool:
    """Whether to read the tallies (the program's, or the partnership's own): they count
    every deal, as a member sees them, so only a member of the workspace reads them; a
    partner-side reader's figures count the deals shared with them."""
    return tallied and actor.is_member(scope.workspace_id)


class Reading:
    """What the figures of one page share, each read once when first asked: the workspace's
    stages, its stall days and the scope's tallies (brought up to date once, not by each
    figure). A figure asked alone (the API) reads its own."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.workspace_id = scope.workspace_id

    @cached_property
    def stages(self) -> list[Stage]:
        return stages_of(self.workspace_id)

    @cached_property
    def open_stages(self) -> list[int]:
        return [stage.pk for stage in self.stages if stage.outcome == Outcome.OPEN]

    @cached_property
    def stall_days(self) -> int:
        return stall_days_of(self.workspace_id)

    @cached_property
    def counted(self) -> tallies.Tallies:
        return tallies.Tallies(self.workspace_id, self.scope.id)


def funnel(
    actor: Actor, scope: Scope, *, tallied: bool = True, reading: Reading | None = None
) -> Funnel:
    """Conversion from each stage to the next, where deals leak (the stage lost deals died in)
    and how long deals sit in each stage, for the deals ``actor`` sees in ``scope``. A fixed
    number of queries whatever the number of deals: a member's counts come from the tallies
    (the program's summed from each partnership's, a partnership's its own: ``tallies``;
    ``tallied=False`` reads every deal instead)."""
    reading = reading or Reading(scope)
    stages = reading.stages
    deals = deals_in(actor, scope)
    funnel_stages = [s for s in stages if s.outcome != Outcome.LOST]
    lost_ids = {s.pk for s in stages if s.outcome == Outcome.LOST}
    if _tallied(actor, scope, tallied):
        counts = reading.counted.counts()
    else:
        counts = counting.counts_of(deals, lost_ids)
    got_to, open_now, died_in, totals = (
        counts.got_to, counts.open_now, counts.died_in, counts.totals
    )  # fmt: skip

    # How long each completed stay lasted: from entering a stage to the next change.
    if scope.is_program and _tallied(actor, scope, tallied):
        stays, stays_counted_at = program_stays(scope.workspace_id)
    else:
        stays, stays_counted_at = stays_of(deals), None

    # Reached at least stage i = deals whose furthest stage is i or later.
    order = {s.pk: i for i, s in enumerate(funnel_stages)}
    reached = [0] * len(funnel_stages)
    for furthest_id, n in got_to.items():
        if furthest_id in order:
            for i in range(order[furthest_id] + 1):
                reached[i] += n
    figures = []
    for i, stage in enumerate(funnel_stages):
        onward = reached[i + 1] if i + 1 < len(funnel_stages) else None
        converted = share(onward, reached[i]) if onward is not None and reached[i] else None
        count, median, mean = stays.get(stage.pk, (0, None, None))
        figures.append(
            StageFigures(
                stage_id=stage.pk,
                name=stage.name,
                probability=stage.probability,
                outcome=stage.outcome,
                reached=reached[i],
                converted=converted,
                lost_here=died_in.get(stage.pk, 0),
                open_now=open_now.get(stage.pk, 0),
                stays=count,
                median_days=median,
                mean_days=mean,
            )
        )
    # Hide archived stages no deal ever reached.
    archived = {s.pk for s in stages if s.archived}
    figures = [f for f in figures if f.stage_id not in archived or f.reached or f.open_now]
    return Funnel(
        stages=figures,
        lost_unstaged=died_in.get(None, 0),
        stays_counted_at=stays_counted_at,
        **totals,
    )


# --- Forecast against actual ---------------------------------------------------------------


@dataclass(frozen=True)
class QuarterForecast:
    """One quarter, per currency. ``forecast``: open deals expected to close in the quarter,
    each amount × its stage's win probability. ``pipeline``: the same deals unweighted.
    ``actual``: deals won with a close date in the quarter. Deals without an amount count
    in ``deals_without_amount`` only."""

    year: int
    quarter: int
    forecast: dict[str, Decimal] = field(default_factory=dict)
    pipeline: dict[str, Decimal] = field(default_factory=dict)
    actual: dict[str, Decimal] = field(default_factory=dict)
    expected_deals: int = 0
    won_deals: int = 0

    @property
    def label(self) -> str:
        return f"Q{self.quarter} {self.year}"

    @property
    def currencies(self) -> list[str]:
        return sorted(set(self.forecast) | set(self.actual) | set(self.pipeline))

    @property
    def is_empty(self) -> bool:
        return not self.expected_deals and not self.won_deals

    def rows(self) -> list[tuple[str, Decimal, Decimal, Decimal]]:
        """(currency, forecast, actual, pipeline) per currency, zero where there is none."""
        zero = Decimal("0.00")
        return [
            (c, self.forecast.get(c, zero), self.actual.get(c, zero), self.pipeline.get(c, zero))
            for c in self.currencies
        ]


quarter_of_day = quarter_of


def quarters_around(today: date, *, back: int = 4, ahead: int = 1) -> list[Quarter]:
    """The ``back`` quarters before today's, today's, and ``ahead`` after, in order."""
    year, quarter = quarter_of_day(today)
    index = year * 4 + quarter - 1
    return [(i // 4, i % 4 + 1) for i in range(index - back, index + ahead + 1)]


def forecast(
    actor: Actor,
    scope: Scope,
    quarters: Iterable[Quarter],
    *,
    tallied: bool = True,
    reading: Reading | None = None,
) -> list[QuarterForecast]:
    """Forecast (weighted by stage probability) against actual (won), per quarter and
    currency, for the deals ``actor`` sees in ``scope``. Two queries for any number of
    quarters and deals (the program's: summed from its partnerships' tallies, unless
    ``tallied`` is False)."""
    wanted = sorted(set(quarters))
    if not wanted:
        return []
    first, _ = quarter_bounds(*wanted[0])
    _, last = quarter_bounds(*wanted[-1])
    reading = reading or Reading(scope)
    if _tallied(actor, scope, tallied):
        expected, won = reading.counted.forecast_rows(first, last)
    else:
        deals = deals_in(actor, scope)
        expected = list(counting.expected_rows(deals, first, last))
        won = list(counting.won_rows(deals, first, last))
    probability = {stage.pk: stage.probability for stage in reading.stages}
    found: dict[Quarter, dict[str, Any]] = {
        q: {"forecast": defaultdict(Decimal), "pipeline": defaultdict(Decimal), "actual":
            defaultdict(Decimal), "expected_deals": 0, "won_deals": 0}
        for q in wanted
    }  # fmt: skip
    for row in expected:
        into = found.get((row["year"], row["quarter"]))
        if into is None:
            continue
        into["expected_deals"] += row["n"]
        if row["total"] is not None:
            total = Decimal(row["total"])
            into["forecast"][row["currency"]] += total * probability.get(row["stage_id"], 0) / 100
            into["pipeline"][row["currency"]] += total
    for won_row in won:
        into = found.get((won_row["year"], won_row["quarter"]))
        if into is None:
            continue
        into["won_deals"] += won_row["n"]
        if won_row["total"] is not None:
            into["actual"][won_row["currency"]] += Decimal(won_row["total"])
    result = []
    for (year, quarter), figures in found.items():
        money = {
            key: {c: v.quantize(CENT) for c, v in figures[key].items()}
            for key in ("forecast", "pipeline", "actual")
        }
        result.append(
            QuarterForecast(
                year=year,
                quarter=quarter,
                expected_deals=figures["expected_deals"],
                won_deals=figures["won_deals"],
                **money,
            )
        )
    return result


# --- Stalled deals -------------------------------------------------------------------------


def _stalled(workspace_days: dict[int, int], now: datetime) -> Q:
    condition = Q(stage_entered_at__lt=now - timedelta(days=STALL_DAYS)) & ~Q(
        workspace_id__in=sorted(workspace_days)
    )
    for workspace_id, days in sorted(workspace_days.items()):
        condition |= Q(workspace_id=workspace_id, stage_entered_at__lt=now - timedelta(days=days))
    return condition


def stalled(
    actor: Actor,
    scope: Scope,
    *,
    owner: Any = None,
    now: datetime | None = None,
    reading: Reading | None = None,
) -> QuerySet[Opportunity]:
    """Open deals of ``scope`` whose stage has not changed for the workspace's stall days
    (PipelineSettings, default 30), longest stalled first; ``owner``: only theirs. Two
    queries (the settings, then the deals)."""
    now = now or timezone.now()
    reading = reading or Reading(scope)
    since = now - timedelta(days=reading.stall_days)
    # The workspace's open stages by id (those ``first_stalled`` takes each stage's first
    # from): the (stage, stage entered) index then counts and finds the oldest without
    # reading the deals (a join to the stages read every deal).
    deals = deals_in(actor, scope).filter(
        stage_id__in=reading.open_stages, stage_entered_at__lt=since
    )
    if owner is not None:
        deals = deals.filter(owner=owner)
    return deals.select_related("stage", "partnership", "owner").order_by("stage_entered_at", "id")


def first_stalled(
    stalled_deals: QuerySet[Opportunity], count: int, reading: Reading
) -> list[Opportunity]:
    """The first ``count`` deals of ``stalled(...)``, with their stage, partnership and owner:
    each open stage's first from the (stage, stage entered) index, merged, then those rows
    (one query over every stage sorted all the stalled deals of the program: sixty thousand
    in a program of a thousand partnerships, 8 ms on SQLite, 50 on PostgreSQL)."""
    ordered = stalled_deals.order_by("stage_entered_at", "id")
    parts = [
        ordered.filter(stage_id=pk).values_list("stage_entered_at", "id")[:count]
        for pk in reading.open_stages
    ]
    ids = [pk for _entered, pk in first_of_parts(parts, count)]
    found = Opportunity.objects.filter(pk__in=ids).select_related("stage", "partnership", "owner")
    rows = {deal.pk: deal for deal in found}
    return [rows[pk] for pk in ids if pk in rows]  # one deleted in between is left out


def count_up_to(deals: QuerySet[Opportunity], limit: int) -> int:
    """How many of ``deals``, counting no further than one past ``limit``: a page says
    "more than 1,000" without counting sixty thousand index entries."""
    return deals.order_by()[: limit + 1].count()


def stalled_of(actor: Actor, owner: Any, *, now: datetime | None = None) -> QuerySet[Opportunity]:
    """Every open, stalled deal ``owner`` owns that ``actor`` may see, across workspaces
    (each with its own stall days), in partnerships not archived: for My week."""
    now = now or timezone.now()
    # The partnerships not archived as a subquery, not a join: joined, SQLite's planner took
    # every partnership of the workspace for a handful (the archive dates are all different)
    # and read each one's deals, where the owner's index reads the owner's alone.
    deals = Opportunity.objects.visible_to(actor).filter(
        owner=owner,
        stage__outcome=Outcome.OPEN,
        partnership__in=Partnership.objects.filter(archived_at__isnull=True).values("pk"),
    )
    # The settings of every workspace the reader works with (a handful of rows), not of the
    # workspaces their deals name: that asked every deal of theirs a second time.
    partnered = Partnership.objects.filter(pk__in=sorted(actor.partner_partnerships))
    days = dict(
        PipelineSettings.objects.filter(
            Q(workspace_id__in=actor.workspace_ids)
            | Q(workspace_id__in=partnered.values("workspace_id"))
        ).values_list("workspace_id", "stall_days")
    )
    return (
        deals.filter(_stalled(days, now))
        .select_related("stage", "partnership")
        .order_by("stage_entered_at", "id")
    )


def days_stalled(deal: Opportunity, now: datetime | None = None) -> int:
    """Whole days since the deal's last stage change."""
    return ((now or timezone.now()) - deal.stage_entered_at).days


# --- Per partnership, across the portfolio ---------------------------------------------------


def by_partnership(
    actor: Actor,
    scope: Scope,
    *,
    now: datetime | None = None,
    tallied: bool = True,
    reading: Reading | None = None,
) -> Sequence[PartnershipFunnel]:
    """Per partnership of ``scope`` (all of the workspace's for the program level): deals,
    open, won, lost and stalled, most deals first. Two queries; the program's is a sequence
    a Paginator pages, its counts summed from the tallies and the stalled deals counted for
    the page's partnerships only (``tallied`` False: every deal read, every row built)."""
    now = now or timezone.now()
    reading = reading or Reading(scope)
    days = reading.stall_days
    if scope.is_program and _tallied(actor, scope, tallied):
        return reading.counted.by_partnership(now - timedelta(days=days), reading.open_stages)
    deals = deals_in(actor, scope).order_by()
    rows = (
        deals.values("partnership_id", "partnership__name")
        .annotate(
            n=Count("id"),
            open=Count("id", filter=Q(stage__outcome=Outcome.OPEN)),
            won=Count("id", filter=Q(stage__outcome=Outcome.WON)),
            lost=Count("id", filter=Q(stage__outcome=Outcome.LOST)),
            stalled=Count(
                "id",
                filter=Q(
                    stage__outcome=Outcome.OPEN,
                    stage_entered_at__lt=now - timedelta(days=days),
                ),
            ),
        )
        .order_by("-n", "partnership__name")
    )
    return [
        PartnershipFunnel(
            partnership_id=row["partnership_id"],
            name=row["partnership__name"],
            deals=row["n"],
            open=row["open"],
            won=row["won"],
            lost=row["lost"],
            stalled=row["stalled"],
        )
        for row in rows
    ]
