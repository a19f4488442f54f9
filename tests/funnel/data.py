"""Generated pipelines for the funnel tests: random but seeded deals with their stage
history, written as rows (the services are tested in tests/pipeline), and the same figures
computed directly in Python from those rows."""

from __future__ import annotations

import random
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tandem.core.access import Visibility
from tandem.core.services import touch_partnerships
from tandem.exchange.pipeline.models import (
    DEFAULT_STAGES,
    Opportunity,
    Outcome,
    PipelineSettings,
    Stage,
    StageChange,
)
from tandem.exchange.pipeline.stays import STAYS_DAYS

CURRENCIES = ("EUR", "USD", "GBP")


def stages_for(workspace: Any) -> list[Stage]:
    found = list(Stage.objects.filter(workspace=workspace).order_by("position", "id"))
    if found:
        return found
    return [
        Stage.objects.create(
            workspace=workspace, name=name, probability=p, outcome=outcome, position=i
        )
        for i, (name, p, outcome) in enumerate(DEFAULT_STAGES)
    ]


@dataclass
class Deal:
    """What the Python computation knows of a generated deal."""

    pk: int
    partnership_id: int
    visibility: str
    path: list[tuple[int, datetime]]  # (stage id, entered)
    outcome: str
    amount: Decimal | None
    currency: str
    probability: int
    expected_close: date | None
    closed_on: date | None
    owner_id: int | None
    stage_entered_at: datetime = field(default_factory=timezone.now)


def generate(
    workspace: Any,
    partnerships: list[Any],
    count: int,
    *,
    seed: int = 15,
    owners: list[Any] | None = None,
    now: datetime | None = None,
) -> list[Deal]:
    """``count`` deals spread over ``partnerships``: each starts in an early stage, moves on
    (sometimes skipping one) at random intervals, and ends open, won or lost."""
    rng = random.Random(seed)
    now = now or timezone.now()
    stages = stages_for(workspace)
    open_stages = [s for s in stages if s.outcome == Outcome.OPEN]
    won = next(s for s in stages if s.outcome == Outcome.WON)
    lost = next(s for s in stages if s.outcome == Outcome.LOST)
    owners = owners or [None]
    deals = []
    for n in range(count):
        at = now - timedelta(days=rng.randint(60, 700), hours=rng.randint(0, 23))
        i = rng.choice([0, 0, 0, 1])
        path = [(open_stages[i], at)]
        ending = None
        while True:
            at = at + timedelta(days=rng.randint(1, 60), hours=rng.randint(0, 23))
            roll = rng.random()
            if at >= now or roll < 0.2:
                break  # still open where it is
            if roll < 0.4:
                ending = lost
            elif i == len(open_stages) - 1 or roll < 0.5:
                ending = won
            if ending is not None:
                path.append((ending, at))
                break
            i = min(i + rng.choice([1, 1, 1, 2]), len(open_stages) - 1)
            path.append((open_stages[i], at))
        current, entered = path[-1]
        amount = None if rng.random() < 0.1 else Decimal(rng.randint(100, 900_000)) / 100
        closed = current.outcome != Outcome.OPEN
        partnership = partnerships[n % len(partnerships)]
        owner = owners[n % len(owners)]
        deal = Opportunity.objects.create(
            workspace=workspace,
            partnership=partnership,
            visibility=Visibility.INTERNAL if rng.random() < 0.3 else Visibility.SHARED,
            account_name=f"Account {n}",
            account_domain=f"account{n}.example",
            account_key=f"account{n}.example",
            stage=current,
            amount=amount,
            currency=rng.choice(CURRENCIES) if amount is not None else "",
            expected_close=(now + timedelta(days=rng.randint(-400, 200))).date(),
            owner=owner,
            stage_entered_at=entered,
            closed_on=timezone.localdate(entered) if closed else None,
            lost_reason="Budget went elsewhere" if current == lost else "",
        )
        previous = None
        changes = []
        for stage, when in path:
            changes.append(
                StageChange(
                    opportunity=deal,
                    workspace=workspace,
                    from_stage=previous,
                    to_stage=stage,
                    changed_at=when,
                )
            )
            previous = stage
        StageChange.objects.bulk_create(changes)
        deals.append(
            Deal(
                pk=deal.pk,
                partnership_id=partnership.pk,
                visibility=deal.visibility,
                path=[(s.pk, when) for s, when in path],
                outcome=current.outcome,
                amount=amount,
                currency=deal.currency,
                probability=current.probability,
                expected_close=deal.expected_close,
                closed_on=deal.closed_on,
                owner_id=owner.pk if owner is not None else None,
                stage_entered_at=entered,
            )
        )
    # Written beside the services: move the data versions on as every change does.
    touch_partnerships([partnership.pk for partnership in partnerships])
    return deals


def set_stall_days(workspace: Any, days: int) -> None:
    PipelineSettings.objects.update_or_create(workspace=workspace, defaults={"stall_days": days})


# --- The figures, computed directly -----------------------------------------------------------


def expected_funnel(deals: list[Deal], stages: list[Stage]) -> dict[str, Any]:
    funnel_stages = [s for s in stages if s.outcome != Outcome.LOST]
    order = {s.pk: i for i, s in enumerate(funnel_stages)}
    lost_ids = {s.pk for s in stages if s.outcome == Outcome.LOST}
    reached: Counter[int] = Counter()
    died: Counter[int] = Counter()
    spans: dict[int, list[float]] = defaultdict(list)
    open_now: Counter[int] = Counter()
    open_ids = {s.pk for s in stages if s.outcome == Outcome.OPEN}
    since = timezone.now() - timedelta(days=STAYS_DAYS)
    for deal in deals:
        furthest = max(order[s] for s, _ in deal.path if s in order)
        for i in range(furthest + 1):
            reached[funnel_stages[i].pk] += 1
        if deal.outcome == Outcome.LOST:
            died[deal.path[-2][0]] += 1
        else:
            assert deal.path[-1][0] not in lost_ids
        if deal.outcome == Outcome.OPEN:
            open_now[deal.path[-1][0]] += 1
        for (stage, entered), (_, left) in zip(deal.path, deal.path[1:], strict=False):
            # "Days in stage" counts the stays that began in the last year.
            if stage in open_ids and entered >= since:
                spans[stage].append((left - entered).total_seconds() / 86400)
    figures = {}
    for i, stage in enumerate(funnel_stages):
        here = reached[stage.pk]
        onward = reached[funnel_stages[i + 1].pk] if i + 1 < len(funnel_stages) else None
        days = spans.get(stage.pk, [])
        figures[stage.name] = {
            "reached": here,
            "converted": round(Decimal(onward * 100) / here, 1)
            if onward is not None and here
            else None,
            "lost_here": died[stage.pk],
            "open_now": open_now[stage.pk],
            "stays": len(days),
            "median": round(Decimal(str(statistics.median(days))), 1) if days else None,
            "mean": round(Decimal(str(statistics.fmean(days))), 1) if days else None,
        }
    return {
        "stages": figures,
        "deals": len(deals),
        "won": sum(d.outcome == Outcome.WON for d in deals),
        "lost": sum(d.outcome == Outcome.LOST for d in deals),
        "open": sum(d.outcome == Outcome.OPEN for d in deals),
    }


def _quarter(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def expected_forecast(deals: list[Deal], quarters: list[tuple[int, int]]) -> dict[Any, Any]:
    result: dict[Any, Any] = {
        q: {"forecast": defaultdict(Decimal), "actual": defaultdict(Decimal), "pipeline":
            defaultdict(Decimal), "expected": 0, "won": 0}
        for q in quarters
    }  # fmt: skip
    for deal in deals:
        if deal.outcome == Outcome.OPEN and deal.expected_close:
            into = result.get(_quarter(deal.expected_close))
            if into is not None:
                into["expected"] += 1
                if deal.amount is not None:
                    into["forecast"][deal.currency] += deal.amount * deal.probability / 100
                    into["pipeline"][deal.currency] += deal.amount
        if deal.outcome == Outcome.WON and deal.closed_on:
            into = result.get(_quarter(deal.closed_on))
            if into is not None:
                into["won"] += 1
                if deal.amount is not None:
                    into["actual"][deal.currency] += deal.amount
    cent = Decimal("0.01")
    return {
        q: {
            "forecast": {c: v.quantize(cent) for c, v in r["forecast"].items()},
            "actual": {c: v.quantize(cent) for c, v in r["actual"].items()},
            "pipeline": {c: v.quantize(cent) for c, v in r["pipeline"].items()},
            "expected": r["expected"],
            "won": r["won"],
        }
        for q, r in result.items()
    }
