"""Reading what people type into a scorecard cell, and showing values in their unit."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from tandem.scorecard.models import Unit

LIMIT = Decimal("100000000000000")  # what the column holds: 14 digits before the point
SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "CHF": "CHF "}
YES = {"yes", "y", "1", "true", "✓", "ja", "oui", "si", "sí"}
NO = {"no", "n", "0", "false", "✗", "nein", "non"}
_DURATION = re.compile(r"^(\d{1,9}):([0-5]\d)$")


class BadValue(ValueError):
    pass


def parse(unit: str, raw: Any) -> Decimal | None:
    """The number for ``raw`` in ``unit``; None for an empty input (a missing value).

    Numbers accept thousands separators and a currency sign; percent a trailing %; yes/no
    yes, no, y, n, 1, 0; durations hours as ``1.5`` or ``1:30``.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raw = int(raw)
    if isinstance(raw, int | float | Decimal):
        text = str(raw)
    else:
        text = str(raw).strip()
    if not text:
        return None
    if len(text) > 40:
        raise BadValue("That is too long for a number.")
    if unit == Unit.YES_NO:
        word = text.lower()
        if word in YES:
            return Decimal(1)
        if word in NO:
            return Decimal(0)
        raise BadValue("Enter yes or no.")
    if unit == Unit.DURATION:
        match = _DURATION.match(text)
        if match:
            hours, minutes = int(match.group(1)), int(match.group(2))
            return _checked(Decimal(hours) + Decimal(minutes) / 60)
        text = text.lower().removesuffix("h").strip()
    if unit == Unit.PERCENT:
        text = text.removesuffix("%").strip()
    if unit == Unit.CURRENCY:
        for symbol in SYMBOLS.values():
            text = text.replace(symbol.strip(), "")
        text = re.sub(r"^[A-Za-z]{3}|[A-Za-z]{3}$", "", text.strip()).strip()
    text = text.replace(",", "").replace("_", "").replace(" ", "").replace("\u2212", "-")
    try:
        number = Decimal(text)
    except InvalidOperation as error:
        raise BadValue(_hint(unit)) from error
    if not number.is_finite():
        raise BadValue(_hint(unit))
    number = _checked(number)
    if unit == Unit.PERCENT and not 0 <= number <= 100:
        raise BadValue("Enter a percentage between 0 and 100.")
    if unit == Unit.DURATION and number < 0:
        raise BadValue("A duration cannot be negative.")
    return number


def _hint(unit: str) -> str:
    return {
        Unit.DURATION: "Enter hours, like 1.5 or 1:30.",
        Unit.PERCENT: "Enter a percentage, like 45 or 45%.",
        Unit.CURRENCY: "Enter an amount, like 1200 or 1,200.50.",
    }.get(unit, "Enter a number, like 12 or 3.5.")  # type: ignore[call-overload]


def _checked(number: Decimal) -> Decimal:
    if abs(number) >= LIMIT:
        raise BadValue("That number is too large.")
    return number.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _plain(number: Decimal, places: int = 2) -> str:
    """1234.5 → "1,234.5"; 12.0000 → "12"; at most ``places`` decimals."""
    rounded = number.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    text = f"{rounded:,.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


def show(unit: str, value: Decimal | None, currency: str = "USD", *, average: bool = False) -> str:
    """A value as people read it: "$1,200", "45%", "Yes", "1:30". Missing is "—"."""
    if value is None:
        return "—"
    value = Decimal(value)
    if unit == Unit.YES_NO:
        if average:  # the share of yes answers
            return f"{_plain(value * 100, 0)}% yes"
        return "Yes" if value >= Decimal("0.5") else "No"
    if unit == Unit.PERCENT:
        return f"{_plain(value, 1)}%"
    if unit == Unit.DURATION:
        minutes = int((abs(value) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        sign = "-" if value < 0 else ""
        return f"{sign}{minutes // 60}:{minutes % 60:02d}"
    if unit == Unit.CURRENCY:
        symbol = SYMBOLS.get((currency or "USD").upper(), f"{(currency or '').upper()} ")
        sign = "-" if value < 0 else ""
        return f"{sign}{symbol}{_plain(abs(value), 2)}"
    return _plain(value, 2)


def as_input(unit: str, value: Decimal | None) -> str:
    """What the input shows when a cell is edited: what one would type."""
    if value is None:
        return ""
    value = Decimal(value)
    if unit == Unit.YES_NO:
        return "yes" if value >= Decimal("0.5") else "no"
    if unit == Unit.DURATION:
        return show(unit, value)
    return _plain(value, 4).replace(",", "")
