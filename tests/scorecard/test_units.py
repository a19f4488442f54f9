"""What people type into a cell, and how values are shown, per unit."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tandem.scorecard import units


@pytest.mark.parametrize(
    ("unit", "typed", "number"),
    [
        ("number", "1,200", Decimal(1200)),
        ("number", " 3.5 ", Decimal("3.5")),
        ("number", "", None),
        ("currency", "$1,200.50", Decimal("1200.5")),
        ("currency", "EUR 300", Decimal(300)),
        ("percent", "45%", Decimal(45)),
        ("yesno", "Yes", Decimal(1)),
        ("yesno", "n", Decimal(0)),
        ("duration", "1:30", Decimal("1.5")),
        ("duration", "1.5", Decimal("1.5")),
        ("duration", "2h", Decimal(2)),
    ],
)
def test_typed_values_are_read_in_their_unit(unit: str, typed: str, number: Decimal) -> None:
    assert units.parse(unit, typed) == number


@pytest.mark.parametrize(
    ("unit", "typed"),
    [
        ("number", "twelve"),
        ("number", "NaN"),
        ("number", "Infinity"),
        ("number", "1e30"),
        ("percent", "120"),
        ("yesno", "maybe"),
        ("duration", "1:75"),
        ("duration", "-2"),
        ("number", "9" * 50),
    ],
)
def test_nonsense_is_refused_with_a_hint(unit: str, typed: str) -> None:
    with pytest.raises(units.BadValue):
        units.parse(unit, typed)


def test_values_are_shown_as_people_read_them() -> None:
    assert units.show("number", Decimal("1234.5000")) == "1,234.5"
    assert units.show("currency", Decimal("25000"), "USD") == "$25,000"
    assert units.show("currency", Decimal("-5"), "SEK") == "-SEK 5"
    assert units.show("percent", Decimal("33.3333")) == "33.3%"
    assert units.show("yesno", Decimal(1)) == "Yes"
    assert units.show("yesno", Decimal("0.75"), average=True) == "75% yes"
    assert units.show("duration", Decimal("1.5")) == "1:30"
    assert units.show("number", None) == "—"
    assert units.as_input("duration", Decimal("1.25")) == "1:15"
    assert units.as_input("number", Decimal("12.0000")) == "12"
