"""The program funnel's days in stage, counted once a day: the same figures as reading every
stay at the moment they were counted, counted again on a new day or under other stages, and
read in a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.scope import Program
from tandem.exchange.pipeline import funnel, services, stays
from tandem.exchange.pipeline.models import Opportunity, Outcome, ProgramStays, Stage
from tests.conftest import World, client_for
from tests.funnel.data import generate, stages_for


def _direct(world: World, now=None) -> stays.Stays:  # type: ignore[no-untyped-def]
    """The program's stays read from every deal the program funnel counts, as of ``now``."""
    return stays.stays_of(funnel.deals_in(world.actor(world.lena), Program(world.acme)), now)


def _days(figures: funnel.Funnel) -> dict[int, tuple]:  # type: ignore[type-arg]
    return {s.stage_id: (s.stays, s.median_days, s.mean_days) for s in figures.stages if s.stays}


def _program(world: World) -> dict[int, tuple]:  # type: ignore[type-arg]
    return _days(funnel.funnel(world.actor(world.lena), Program(world.acme)))


def test_the_days_are_those_of_every_stay_when_counted(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 150, seed=21)
    found = _program(world)
    assert found == _direct(world)
    lena = world.actor(world.lena)
    assert found == _days(funnel.funnel(lena, Program(world.acme), tallied=False))
    assert len(found) >= 3 and all(count > 0 for count, _median, _mean in found.values())


def test_a_move_waits_for_the_next_day_and_a_new_day_counts_again(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 60, seed=22)
    # Counted at noon tomorrow (after every change of the test, and far from midnight).
    noon = (timezone.now() + timedelta(days=1)).replace(hour=12, minute=0, second=0)
    before, counted_at = stays.program_stays(world.acme.pk, noon)
    assert counted_at == noon and before == _direct(world, noon)
    lena = world.actor(world.lena)
    deal = Opportunity.objects.filter(
        partnership=world.northwind, stage__outcome=Outcome.OPEN
    ).first()
    assert deal is not None
    won = next(s for s in stages_for(world.acme) if s.outcome == Outcome.WON)
    services.move_stage(deal, actor=lena, version=deal.version, stage=won)
    # The stay the move completed is counted now by the partnership's own funnel …
    assert _direct(world, noon) != before
    # … and by the program's from the next day's count: that day's stands, and says when.
    assert stays.program_stays(world.acme.pk, noon + timedelta(hours=3)) == (before, noon)
    assert funnel.funnel(lena, world.northwind).stays_counted_at is None
    next_day = noon + timedelta(days=1)
    recounted, at = stays.program_stays(world.acme.pk, next_day)
    assert at == next_day and recounted == _direct(world, next_day) != before


def test_other_stages_are_counted_again_the_same_day(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 60, seed=23)
    _program(world)
    first = ProgramStays.objects.get(workspace=world.acme).counted_at
    stage = Stage.objects.filter(workspace=world.acme, outcome=Outcome.OPEN).last()
    assert stage is not None
    services.stage_update(
        stage, actor=world.actor(world.lena), version=stage.version, outcome=Outcome.LOST
    )
    found = _program(world)
    assert ProgramStays.objects.get(workspace=world.acme).counted_at > first
    # A stage that now loses deals has no days in stage of its own.
    assert stage.pk not in found
    assert found == {pk: figures for pk, figures in _direct(world).items() if pk != stage.pk}


def test_a_counted_day_is_read_in_two_queries_whatever_the_history(world: World) -> None:
    def cost(count: int, seed: int) -> int:
        Opportunity.objects.all().delete()
        ProgramStays.objects.all().delete()
        generate(world.acme, [world.northwind, world.globex], count, seed=seed)
        stays.program_stays(world.acme.pk)  # counted
        with CaptureQueriesContext(connection) as queries:
            found, _at = stays.program_stays(world.acme.pk)
        assert found == _direct(world)
        return len(queries)

    assert cost(20, seed=24) == cost(200, seed=24) == 2


def test_the_worker_counts_each_workspace_once_a_day(world: World) -> None:
    generate(world.acme, [world.northwind], 30, seed=25)
    result = stays.count_stays.call("2026-12-06T10:00:00+00:00")
    assert result == "2026-12-06T10:00:00+00:00: stays of 2 workspaces counted"
    assert stays.count_stays.call("2026-12-06T11:00:00+00:00").endswith("of 0 workspaces counted")
    assert _program(world) == _direct(world)


def test_the_program_page_says_the_days_are_counted_daily(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 40, seed=26)
    client = client_for(world.lena)
    program = client.get("/partnerships/program/funnel/").content.decode()
    assert "counted once a day (the latest count: <time" in program and "just now" in program
    northwind = client.get(f"/partnerships/{world.northwind.pk}/funnel/").content.decode()
    assert "counted once a day" not in northwind
    assert "Days: stays completed in the last year" in northwind
