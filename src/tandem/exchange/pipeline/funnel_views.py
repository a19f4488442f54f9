"""The funnel page of a partnership, and of the whole portfolio at the program level
(``/partnerships/program/funnel/``, workspace members only): conversion from stage to stage,
where deals leak and how long they sit, forecast against actual per quarter, and the stalled
deals. Charts are drawn here as SVG geometry, each with a table beside it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from tandem.core.clock import local_today
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.views import page_context
from tandem.exchange.pipeline import funnel as figures

TAB = ("pipeline", "funnel")
CHART_WIDTH = 600
BAR_HEIGHT = 34
BAR_GAP = 8
STALLED_SHOWN = 20
STALLED_COUNTED = 1000  # counted up to: "more than 1,000" past it
PARTNERSHIPS_SHOWN = 25  # the program funnel's table by partnership, a page at a time


@dataclass(frozen=True)
class FunnelBar:
    stage: figures.StageFigures
    x: Decimal
    y: int
    width: Decimal
    text_y: int


@dataclass(frozen=True)
class QuarterBars:
    label: str
    x: int
    forecast_y: Decimal
    forecast_height: Decimal
    actual_y: Decimal
    actual_height: Decimal
    forecast: Decimal
    actual: Decimal


@dataclass(frozen=True)
class CurrencyChart:
    currency: str
    bars: list[QuarterBars]
    width: int
    height: int
    top: Decimal


def funnel_bars(funnel: figures.Funnel) -> tuple[list[FunnelBar], int]:
    """One centred bar per stage, as wide as the share of deals that reached it."""
    widest = funnel.widest or 1
    bars = []
    for i, stage in enumerate(funnel.stages):
        width = (Decimal(stage.reached) * CHART_WIDTH / widest).quantize(Decimal("0.1"))
        if stage.reached:
            width = max(width, Decimal(2))
        y = i * (BAR_HEIGHT + BAR_GAP)
        bars.append(FunnelBar(stage, x=(CHART_WIDTH - width) / 2, y=y, width=width, text_y=y + 22))
    return bars, len(bars) * (BAR_HEIGHT + BAR_GAP)


def forecast_charts(quarters: list[figures.QuarterForecast]) -> list[CurrencyChart]:
    """Per currency: for each quarter, a forecast bar and an actual bar (never one chart
    mixing currencies)."""
    currencies = sorted({c for q in quarters for c in q.currencies})
    height, slot = 160, 90
    charts = []
    for currency in currencies:
        zero = Decimal(0)
        values = [(q.forecast.get(currency, zero), q.actual.get(currency, zero)) for q in quarters]
        top = max((max(f, a) for f, a in values), default=zero) or Decimal(1)
        bars = []
        for i, (quarter, (fc, actual)) in enumerate(zip(quarters, values, strict=True)):
            fh = (fc * height / top).quantize(Decimal("0.1"))
            ah = (actual * height / top).quantize(Decimal("0.1"))
            bars.append(
                QuarterBars(
                    label=quarter.label,
                    x=i * slot + 10,
                    forecast_y=height - fh,
                    forecast_height=fh,
                    actual_y=height - ah,
                    actual_height=ah,
                    forecast=fc,
                    actual=actual,
                )
            )
        charts.append(
            CurrencyChart(currency, bars, width=len(quarters) * slot + 10, height=height, top=top)
        )
    return charts


@access("partnership", program=True)
def funnel(request: TandemRequest, partnership: Scope) -> HttpResponse:
    actor = request.actor
    today = local_today(partnership)
    reading = figures.Reading(partnership)
    evaluation = figures.funnel(actor, partnership, reading=reading)
    bars, height = funnel_bars(evaluation)
    quarters = figures.forecast(actor, partnership, figures.quarters_around(today), reading=reading)
    stalled_deals = figures.stalled(actor, partnership, reading=reading)
    stalled = figures.first_stalled(stalled_deals, STALLED_SHOWN, reading)
    context: dict[str, Any] = page_context(
        request,
        partnership,
        TAB,
        funnel=evaluation,
        bars=bars,
        chart_width=CHART_WIDTH,
        chart_height=height,
        quarters=quarters,
        this_quarter=figures.quarter_of_day(today),
        charts=forecast_charts(quarters),
        stalled=[(deal, figures.days_stalled(deal)) for deal in stalled],
        stalled_count=figures.count_up_to(stalled_deals, STALLED_COUNTED),
        stalled_more=STALLED_COUNTED,
        stall_days=reading.stall_days,
        partnerships=Paginator(
            figures.by_partnership(actor, partnership, reading=reading)
            if partnership.is_program
            else [],
            PARTNERSHIPS_SHOWN,
        ).get_page(request.GET.get("page")),
    )
    return render(request, "pipeline/funnel.html", context)
