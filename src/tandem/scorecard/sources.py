"""Measurables that fill themselves: values computed, period by period, from the value
exchange ledger and the pipeline, never typed by hand.

Everything is read through the reader's ``visible_to``: a partner-side person's figure counts
the shared entries and their own partnership's deals only; a member's counts everything of the
scorecard (a partnership, or every partnership of the workspace at the program level).

Money is never mixed silently: amounts are summed per currency, and a currency other than the
workspace's base one is converted only with the rate an admin entered for the quarter of the
day it happened. Without that rate the period has no value, and says which rate is missing.

Cost: one query for the ledger, one for the opportunities created, one for the deals won (each
only when a measurable needs it), and, for amounts, one for the base currency and one for the
rates: the same whatever the number of entries, deals or measurables.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import TruncDate

from tandem.core.access import Actor
from tandem.core.dates import quarter_of
from tandem.core.scope import Scope
from tandem.exchange.ledger.models import Confirmation, Direction
from tandem.exchange.ledger.models import Entry as LedgerEntry
from tandem.exchange.money.models import DEFAULT_BASE
from tandem.exchange.money.selectors import base_currency, convert, rate_table
from tandem.exchange.pipeline.models import Opportunity, Outcome
from tandem.scorecard.models import MONEY_SOURCES, Source, Unit, period_of

LEDGER = frozenset({Source.VALUE_GIVEN, Source.VALUE_RECEIVED})
CREATED = frozenset({Source.PIPELINE_AMOUNT, Source.PIPELINE_COUNT, Source.REGISTRATIONS})
WON = frozenset({Source.WON_AMOUNT, Source.WON_COUNT})


def unit_of(source: str) -> str:
    """The unit a computed measurable is shown in: money in the base currency, else a count."""
    return Unit.CURRENCY if source in MONEY_SOURCES else Unit.NUMBER


def _missing_words(missing: Iterable[tuple[int, int, str]], base: str) -> str:
    named = ", ".join(f"{c} in Q{q} {y}" for y, q, c in sorted(missing))
    return f"Needs a rate to {base} for {named}: an admin enters it under Money."


def _in_scope(queryset: QuerySet[Any], scope: Scope) -> QuerySet[Any]:
    queryset = queryset.filter(workspace_id=scope.workspace_id)
    if not scope.is_program:
        queryset = queryset.filter(partnership_id=scope.id)
    return queryset


def _days(rows: Iterable[dict[str, Any]], key: str) -> Iterable[tuple[date, dict[str, Any]]]:
    for row in rows:
        day = row[key]
        if day is not None:
            yield (day.date() if hasattr(day, "date") and callable(day.date) else day), row


@dataclass
class Computed:
    """Values per (measurable, period), and for periods without one the reason."""

    values: dict[tuple[int, date], Decimal | None] = field(default_factory=dict)
    notes: dict[tuple[int, date], str] = field(default_factory=dict)
    currency: str = DEFAULT_BASE


def compute(
    actor: Actor,
    scope: Scope,
    wanted: dict[int, tuple[str, str]],
    periods: dict[str, list[date]],
    today: date,
) -> Computed:
    """The values of the computed measurables ``wanted`` (id → (source, frequency)) for the
    ``periods`` of each frequency (period starts, oldest first). Periods after the current one
    have no value; every other period has one, zero when nothing happened."""
    result = Computed()
    if not wanted:
        return result
    sources = {source for source, _ in wanted.values()}
    frequencies = {frequency for _, frequency in wanted.values()}
    starts = [p for f in frequencies for p in periods.get(f, [])]
    if not starts:
        return result
    first = min(starts)
    last_day = max(today, max(starts))  # nothing counted after today anyway
    # (source, frequency, period) → currency → sum;  counts separately.
    sums: dict[tuple[str, str, date], dict[tuple[date, str], Decimal]] = defaultdict(dict)
    counts: dict[tuple[str, str, date], int] = defaultdict(int)

    def add(source: str, day: date, currency: str, amount: Decimal | None, count: int) -> None:
        for frequency in frequencies:
            key = (source, frequency, period_of(day, frequency))
            counts[key] += count
            if amount is not None:
                bucket = sums[key]
                bucket[(day, currency)] = bucket.get((day, currency), Decimal(0)) + amount

    if sources & LEDGER:
        ledger = (
            _in_scope(LedgerEntry.objects.visible_to(actor), scope)
            .filter(occurred_on__gte=first, occurred_on__lte=last_day, amount__isnull=False)
            .exclude(confirmation=Confirmation.DISPUTED)
            .values("occurred_on", "direction", "currency")
            .annotate(total=Sum("amount"), n=Count("id"))
            .order_by()
        )
        for day, row in _days(ledger, "occurred_on"):
            given = row["direction"] == Direction.OURS
            add(
                Source.VALUE_GIVEN if given else Source.VALUE_RECEIVED,
                day,
                row["currency"],
                row["total"],
                row["n"],
            )
    if sources & CREATED:
        created = (
            _in_scope(Opportunity.objects.visible_to(actor), scope)
            .annotate(day=TruncDate("created_at"))
            .filter(day__gte=first, day__lte=last_day)
            .values("day", "currency")
            .annotate(
                total=Sum("amount"),
                n=Count("id"),
                registered=Count("id", filter=~Q(registration="")),
            )
            .order_by()
        )
        for day, row in _days(created, "day"):
            add(Source.PIPELINE_AMOUNT, day, row["currency"], row["total"], 0)
            add(Source.PIPELINE_COUNT, day, row["currency"], None, row["n"])
            add(Source.REGISTRATIONS, day, row["currency"], None, row["registered"])
    if sources & WON:
        won = (
            _in_scope(Opportunity.objects.visible_to(actor), scope)
            .filter(stage__outcome=Outcome.WON, closed_on__gte=first, closed_on__lte=last_day)
            .values("closed_on", "currency")
            .annotate(total=Sum("amount"), n=Count("id"))
            .order_by()
        )
        for day, row in _days(won, "closed_on"):
            add(Source.WON_AMOUNT, day, row["currency"], row["total"], 0)
            add(Source.WON_COUNT, day, row["currency"], None, row["n"])
    base, rates = DEFAULT_BASE, {}
    if sources & MONEY_SOURCES:
        base, rates = base_currency(scope.workspace_id), rate_table(scope.workspace_id)
        result.currency = base
    for pk, (source, frequency) in wanted.items():
        current = period_of(today, frequency)
        for period in periods.get(frequency, []):
            if period > current:
                continue
            key = (source, frequency, period)
            if source not in MONEY_SOURCES:
                result.values[(pk, period)] = Decimal(counts.get(key, 0))
                continue
            # A period may span quarters (a yearly measurable): each quarter at its own rates.
            by_quarter: dict[tuple[int, int], dict[str, Decimal]] = defaultdict(dict)
            for (day, currency), amount in sums.get(key, {}).items():
                amounts = by_quarter[quarter_of(day)]
                amounts[currency] = amounts.get(currency, Decimal(0)) + amount
            total, missing = Decimal(0), set()
            for (year, quarter), amounts in by_quarter.items():
                converted = convert(base, amounts, year, quarter, rates)
                missing |= {(year, quarter, code) for code in converted.missing}
                total += converted.total or 0
            if missing:
                result.values[(pk, period)] = None
                result.notes[(pk, period)] = _missing_words(missing, base)
            else:
                result.values[(pk, period)] = total.quantize(Decimal("0.01"))
    return result
