"""``{{ amount|money:currency }}``: an amount with its currency code, grouped (1,250.00 EUR);
``{{ rate|plain_decimal }}``: a rate as entered, without trailing zeros (1.08, not 1.08000000)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

register = template.Library()


def format_money(amount: Any, currency: str = "") -> str:
    """An amount with two decimals and its currency code; "—" for none."""
    if amount is None or amount == "":
        return "—"
    value = amount if isinstance(amount, Decimal) else Decimal(str(amount))
    # Python's own grouping writes what babel's "#,##0.00" in en_US writes (rounding half to
    # even), at a twentieth of the cost: a value page writes forty amounts.
    return f"{value:,.2f} {currency}".strip()


@register.filter
def money(amount: Any, currency: str = "") -> str:
    return format_money(amount, currency)


@register.filter
def amount_in(amounts: dict[str, Decimal] | None, currency: str) -> str:
    """``{{ totals|amount_in:"EUR" }}``: one currency of a per-currency total (0 if none)."""
    return format_money((amounts or {}).get(currency, Decimal(0)), currency)


@register.filter
def plain_decimal(value: Any) -> str:
    """A decimal without its trailing zeros and never in exponent form ("1.08", "100")."""
    if value is None or value == "":
        return ""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
