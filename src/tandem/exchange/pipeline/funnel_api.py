"""Funnel and forecast figures over HTTP, on the same selectors as the funnel page. The
partnership id ``program`` answers for the whole portfolio (workspace members only)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema

from tandem.core.api.items import operation
from tandem.core.clock import local_today
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.core.scope import Scope
from tandem.exchange.pipeline import funnel as figures

router = Router(tags=["Funnel and forecast"])
BASE = "/partnerships/{partnership_id}"
MAX_QUARTERS = 12


class FunnelStageOut(Schema):
    stage_id: int
    name: str
    probability: int = Field(description="Win probability of the stage, per cent.")
    outcome: str
    reached: int = Field(description="Deals that got at least this far.")
    converted: Decimal | None = Field(
        description="Per cent of the deals that reached this stage and reached the next."
    )
    lost_here: int = Field(description="Closed-lost deals whose last stage before lost was this.")
    open_now: int
    stays: int = Field(description="Completed stays in the stage the days are computed from.")
    median_days: Decimal | None
    mean_days: Decimal | None


class FunnelOut(Schema):
    deals: int
    open: int
    won: int
    lost: int
    win_rate: Decimal | None = Field(description="Per cent won of the closed deals.")
    stages: list[FunnelStageOut]
    stalled: int = Field(description="Open deals without a stage change for the stall days.")
    stall_days: int


class ForecastCurrencyOut(Schema):
    currency: str
    forecast: Decimal = Field(description="Open deals expected to close, × stage probability.")
    actual: Decimal = Field(description="Deals won with a close date in the quarter.")
    pipeline: Decimal = Field(description="Open deals expected to close, unweighted.")


class ForecastQuarterOut(Schema):
    year: int
    quarter: int
    expected_deals: int
    won_deals: int
    currencies: list[ForecastCurrencyOut]


class ForecastOut(Schema):
    quarters: list[ForecastQuarterOut]


class ForecastFilters(Schema):
    start: Day | None = Field(
        None, description="A day in the first quarter; default four quarters back."
    )
    end: Day | None = Field(None, description="A day in the last quarter; default the next.")


@operation(router, "get", f"{BASE}/funnel", level="partnership", program=True, response=FunnelOut)
def funnel_figures(request: TandemRequest, partnership: Scope) -> Any:
    """Conversion from stage to stage, where deals leak and how long they sit, as the caller
    sees the deals"""
    evaluation = figures.funnel(request.actor, partnership)
    return {
        "deals": evaluation.deals,
        "open": evaluation.open,
        "won": evaluation.won,
        "lost": evaluation.lost,
        "win_rate": evaluation.win_rate,
        "stages": evaluation.stages,
        "stalled": figures.stalled(request.actor, partnership).count(),
        "stall_days": figures.stall_days_of(partnership.workspace_id),
    }


@operation(
    router, "get", f"{BASE}/forecast", level="partnership", program=True, response=ForecastOut
)
def forecast_figures(
    request: TandemRequest, partnership: Scope, filters: Query[ForecastFilters]
) -> Any:
    """Forecast (weighted by stage probability) against actual (won), per quarter and
    currency"""
    today = local_today(partnership)
    around = figures.quarters_around(today)
    first = figures.quarter_of_day(filters.start) if filters.start else around[0]
    last = figures.quarter_of_day(filters.end) if filters.end else around[-1]
    span = (last[0] * 4 + last[1]) - (first[0] * 4 + first[1]) + 1
    if span < 1:
        raise InvalidInput.on("end", "The end must not come before the start.")
    if span > MAX_QUARTERS:
        raise InvalidInput.on("end", f"Ask for {MAX_QUARTERS} quarters at most.")
    index = first[0] * 4 + first[1] - 1
    quarters = [((index + i) // 4, (index + i) % 4 + 1) for i in range(span)]
    return {
        "quarters": [
            {
                "year": q.year,
                "quarter": q.quarter,
                "expected_deals": q.expected_deals,
                "won_deals": q.won_deals,
                "currencies": [
                    {"currency": c, "forecast": f, "actual": a, "pipeline": p}
                    for c, f, a, p in q.rows()
                ],
            }
            for q in figures.forecast(request.actor, partnership, quarters)
        ]
    }
