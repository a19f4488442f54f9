"""Percentages are rounded once, half up, in ``tandem.core.numbers``: 2 of 3 reads 67% on
every page, shares add up to 100, and nothing else in the code rounds a percentage its own
way."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tandem.core.numbers import percent, percent_shares


@pytest.mark.parametrize(
    ("part", "whole", "shown"),
    [
        (2, 3, 67),  # floored, this read 66%
        (1, 3, 33),
        (1, 8, 13),  # half up: 12.5 → 13 (banker's rounding said 12)
        (5, 8, 63),
        (1, 2, 50),
        (3, 2, 150),
        (0, 4, 0),
        (199, 200, 99),  # not all done: never reads 100%
        (1, 300, 1),  # something done: never reads 0%
        (7, 0, None),  # nothing to count
        (None, 3, None),
    ],
)
def test_a_share_reads_as_people_round_it(part: int, whole: int, shown: int | None) -> None:
    assert percent(part, whole) == shown


def test_shares_of_a_whole_add_up_to_100() -> None:
    assert sum(percent_shares([3, 2, 3, 3, 2])) == 100  # 23 + 15 + 23 + 23 + 15 read 99
    assert percent_shares([1, 1, 1]) == [34, 33, 33]
    assert percent_shares([1, 1, 2]) == [25, 25, 50]
    assert percent_shares([]) == [] and percent_shares([0, 0]) == [0, 0]


SOURCE = Path(__file__).resolve().parents[2] / "src" / "tandem"
OWN_ROUNDING = [
    re.compile(r"100\s*\*[^\n]*//"),  # 100 * done // total: floored
    re.compile(r"\*\s*100\s*//"),
    re.compile(r"round\(\s*100\s*\*"),  # round(100 * a / b): banker's rounding
    re.compile(r"\{%\s*widthratio"),  # the template tag rounds on its own
]


def test_no_page_or_endpoint_rounds_a_percentage_its_own_way() -> None:
    found = [
        f"{path.relative_to(SOURCE)}:{number}: {line.strip()}"
        for path in sorted(SOURCE.rglob("*"))
        if path.suffix in {".py", ".html", ".txt"} and path.name != "numbers.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if any(pattern.search(line) for pattern in OWN_ROUNDING)
    ]
    assert found == [], "use tandem.core.numbers.percent (or the percent_of filter)"
