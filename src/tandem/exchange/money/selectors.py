"""Reading money: totals per currency, and a total in the base currency only where a member
entered the rate for the quarter (the rates used are returned, to show beside the figure)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet

from tandem.core.dates import quarter_bounds as quarter_bounds
from tandem.exchange.money.models import DEFAULT_BASE, Currencies, Rate

ZERO = Decimal("0")


def base_currency(workspace_id: int) -> str:
    found = Currencies.objects.filter(workspace_id=workspace_id).values_list("base", flat=True)
    return next(iter(found), DEFAULT_BASE)


def rates_for(workspace_id: int) -> QuerySet[Rate]:
    return Rate.objects.filter(workspace_id=workspace_id).order_by("-year", "-quarter", "currency")


def totals(rows: Iterable[tuple[str, Decimal | None]]) -> dict[str, Decimal]:
    """Amounts summed per currency (never across), by currency code."""
    summed: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for currency, amount in rows:
        if currency and amount is not None:
            summed[currency] += amount
    return dict(sorted(summed.items()))


@dataclass(frozen=True)
class Converted:
    """A total in the base currency, or None when a rate is missing (then ``missing`` names
    the currencies without a rate for the quarter): nothing is converted silently."""

    base: str
    year: int
    quarter: int
    total: Decimal | None
    rates: dict[str, Decimal] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)

    @property
    def period(self) -> str:
        return f"{self.year} Q{self.quarter}"


RateTable = dict[tuple[int, int, str], Decimal]


def rate_table(workspace_id: int) -> RateTable:
    """Every rate of the workspace, by (year, quarter, currency): one query, to convert many
    quarters with ``convert``."""
    return {
        (year, quarter, currency): rate
        for year, quarter, currency, rate in Rate.objects.filter(
            workspace_id=workspace_id
        ).values_list("year", "quarter", "currency", "rate")
    }


def in_base(workspace_id: int, amounts: dict[str, Decimal], year: int, quarter: int) -> Converted:
    """``amounts`` (per currency) in the workspace's base currency at the rates entered for
    ``year`` Q``quarter``. Two queries."""
    base = base_currency(workspace_id)
    others = sorted(code for code in amounts if code != base)
    entered = dict(
        Rate.objects.filter(
            workspace_id=workspace_id, year=year, quarter=quarter, currency__in=others
        ).values_list("currency", "rate")
    )
    return _converted(base, amounts, year, quarter, entered)


def convert(
    base: str, amounts: dict[str, Decimal], year: int, quarter: int, rates: RateTable
) -> Converted:
    """As ``in_base``, from a ``rate_table`` already read (no query)."""
    entered = {
        code: rates[year, quarter, code]
        for code in amounts
        if code != base and (year, quarter, code) in rates
    }
    return _converted(base, amounts, year, quarter, entered)


def _converted(
    base: str, amounts: dict[str, Decimal], year: int, quarter: int, entered: dict[str, Decimal]
) -> Converted:
    others = sorted(code for code in amounts if code != base)
    missing = [code for code in others if code not in entered]
    if missing:
        return Converted(base, year, quarter, None, entered, missing)
    total = sum(
        (
            amount * (Decimal(1) if code == base else entered[code])
            for code, amount in amounts.items()
        ),
        ZERO,
    ).quantize(Decimal("0.01"))
    return Converted(base, year, quarter, total, entered, [])
