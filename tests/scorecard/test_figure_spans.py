"""A total is judged against the goal for the same span: the 13-week, quarter and year
figures of one measurable count the periods since it was tracked, so the same numbers are
never green in one column and red in the next; a gap after it started still counts."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tandem.scorecard import selectors, services
from tandem.scorecard.models import Measurable, period_of, shift
from tests.conftest import World

pytestmark = pytest.mark.django_db

TODAY = datetime(2026, 12, 5, 12, 0, tzinfo=ZoneInfo("UTC"))  # a Saturday, late in the year


def _weeks_ago(n: int) -> date:
    return shift(period_of(TODAY.date(), "weekly"), "weekly", -n)


def _meetings(world: World, weeks: list[int]) -> Measurable:
    maria = world.actor(world.maria)
    held = services.measurable_create(
        actor=maria, partnership=world.northwind, title="Joint meetings held", goal="2"
    )
    for n in weeks:
        services.value_set(held, actor=maria, period_start=_weeks_ago(n), value="2", version=None)
    return Measurable.objects.get(pk=held.pk)


def _figures(world: World, measurable: Measurable) -> Any:
    return selectors.row_for(world.actor(world.maria), world.northwind, measurable)


def test_the_same_total_gets_the_same_colour_in_every_column(
    world: World, as_maria: Any, time_machine: Any
) -> None:
    time_machine.move_to(TODAY, tick=False)
    held = _meetings(world, list(range(1, 13)))  # 2 a week for the 12 weeks it was tracked
    row = _figures(world, held)
    assert row.trailing.shown == row.year.shown == "24"
    assert row.trailing.status == row.quarter.status == row.year.status == "on"
    assert row.trailing.goal_shown == row.year.goal_shown == "≥ 24"
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/scorecard/").content.decode()
    cells = re.search(rf'<tr id="m-{held.pk}".*?</tr>', page, re.S)
    assert cells is not None
    assert re.findall(r'class="num sc-fig sc-(\w+)"', cells.group(0)) == ["on", "on", "on"]
    assert "year to date (12 periods tracked); goal ≥ 24" in cells.group(0)


def test_a_gap_after_tracking_began_still_counts_against_the_goal(
    world: World, time_machine: Any
) -> None:
    time_machine.move_to(TODAY, tick=False)
    held = _meetings(world, [12, 1])  # ten weeks with nothing entered in between
    row = _figures(world, held)
    assert row.trailing.status == row.year.status == "off"
    assert row.year.goal_shown == "≥ 24"


def test_a_measurable_tracked_all_year_is_held_to_the_whole_years_goal(
    world: World, time_machine: Any
) -> None:
    time_machine.move_to(TODAY, tick=False)
    held = _meetings(world, list(range(1, 13)))
    Measurable.objects.filter(pk=held.pk).update(
        created_at=datetime(2025, 11, 3, tzinfo=ZoneInfo("UTC"))
    )
    row = _figures(world, Measurable.objects.get(pk=held.pk))
    # 47 finished weeks starting in 2026 (from Monday 5 January) at 2 a week; only the
    # last 12 were filled in.
    assert row.trailing.status == "on"
    assert (row.year.status, row.year.goal_shown) == ("off", "≥ 94")
