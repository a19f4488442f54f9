"""Formulas: a small parser of our own (never eval), missing in → missing out."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tandem.scorecard import formula
from tandem.scorecard.formula import FormulaError


def value(text: str, **values: int | None) -> Decimal | None:
    names = {name: index for index, name in enumerate(values, start=1)}
    node = formula.parse(text, lambda name: names[name])
    numbers = {names[k]: (None if v is None else Decimal(v)) for k, v in values.items()}
    return formula.evaluate(node, numbers)


def test_precedence_parentheses_and_unary_minus() -> None:
    assert formula.evaluate(formula.parse("1 + 2 * 3"), {}) == 7
    assert formula.evaluate(formula.parse("(1 + 2) * 3"), {}) == 9
    assert formula.evaluate(formula.parse("10 - 4 - 3"), {}) == 3
    assert formula.evaluate(formula.parse("-2 * -(3)"), {}) == 6
    assert formula.evaluate(formula.parse("7 ÷ 2 × 4 − 1"), {}) == 13


def test_references_by_name_and_id() -> None:
    assert value("{won} / {leads} * 100", won=3, leads=12) == 25
    node = formula.parse("{#4} + {#5}")
    assert formula.references(node) == {4, 5}
    assert formula.evaluate(node, {4: Decimal(1), 5: Decimal(2)}) == 3


def test_a_missing_operand_or_a_division_by_zero_is_missing_not_zero() -> None:
    assert value("{won} / {leads}", won=3, leads=None) is None
    assert value("{won} / {leads}", won=3, leads=0) is None
    assert value("{won} * 0", won=None) is None


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("", "empty"),
        ("1 +", "ends too early"),
        ("(1 + 2", "ends too early"),
        ("1 + 2)", r"Unexpected “\)”"),
        ("2 ** 3", r"Unexpected “\*”"),
        ("{leads", "never closed"),
        ("{}", "Name a measurable"),
        ("__import__('os')", "not allowed"),
        ("1 2", "Unexpected “2”"),
        ("{leads}", "Unknown measurable"),
        ("{#²}", "Unknown measurable"),  # a digit to str.isdigit, not to int()
        ("(" * 60 + "1" + ")" * 60, "nested too deeply"),
    ],
)
def test_bad_formulas_say_what_is_wrong(text: str, words: str) -> None:
    with pytest.raises(FormulaError, match=words):
        formula.parse(text)


def test_canonical_form_keeps_the_meaning() -> None:
    for text in ("{#1} - ({#2} - {#3})", "({#1} + {#2}) / {#3}", "{#1} / ({#2} * {#3})", "-{#1}"):
        node = formula.parse(text)
        assert formula.parse(formula.canonical(node)) == node
    assert formula.canonical(formula.parse("((1 + {#2})) * 3")) == "(1 + {#2}) * 3"


def test_cycles_are_found() -> None:
    assert formula.find_cycle(1, {1: {2}, 2: {3}, 3: {1}})
    assert not formula.find_cycle(1, {1: {2}, 2: {3}, 3: set()})
