"""The program funnel summed from each partnership's tallies: the same figures as reading
every deal, after any change, at a cost that follows the partnerships changed."""

from __future__ import annotations

from dataclasses import replace

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.scope import Program
from tandem.exchange.pipeline import funnel, services, tallies
from tandem.exchange.pipeline.models import (
    FunnelTally,
    Opportunity,
    Outcome,
    ProgramTally,
    Stage,
)
from tandem.partners.models import Partnership
from tests.conftest import World
from tests.factories import PartnershipFactory
from tests.funnel.data import generate, stages_for


def _counts(figures: funnel.Funnel) -> funnel.Funnel:
    """The funnel's counts, without the days in stage (counted once a day at the program
    level: tests/funnel/test_program_stays.py)."""
    stages = [replace(s, stays=0, median_days=None, mean_days=None) for s in figures.stages]
    return replace(figures, stages=stages, stays_counted_at=None)


def _same_as_every_deal(world: World) -> None:
    """Each figure from the tallies, the program's and each partnership's (as a member reads
    them), equals the one read from every deal."""
    lena, program = world.actor(world.lena), Program(world.acme)
    today = timezone.localdate()
    for scope in (program, world.northwind, world.globex):
        assert _counts(funnel.funnel(lena, scope)) == _counts(
            funnel.funnel(lena, scope, tallied=False)
        )
        for quarters in (funnel.quarters_around(today), funnel.quarters_around(today, back=9)):
            assert funnel.forecast(lena, scope, quarters) == funnel.forecast(
                lena, scope, quarters, tallied=False
            )
    # A partnership's own figures keep their days in stage, counted when read.
    assert funnel.funnel(lena, world.northwind) == funnel.funnel(
        lena, world.northwind, tallied=False
    )
    paged = funnel.by_partnership(lena, program)
    assert list(paged[0 : len(paged)]) == funnel.by_partnership(lena, program, tallied=False)


def test_the_tallies_add_up_to_every_deal_read(world: World) -> None:
    archived = PartnershipFactory(workspace=world.acme, name="Archived Co")
    generate(world.acme, [world.northwind, world.globex, archived], 120, seed=7)
    Partnership.objects.filter(pk=archived.pk).update(archived_at=timezone.now())
    figures = funnel.funnel(world.actor(world.lena), Program(world.acme))
    assert figures.deals == Opportunity.objects.filter(workspace=world.acme).count() == 120
    assert figures.won and figures.lost and figures.open
    _same_as_every_deal(world)
    # Three partnerships with deals, counted from their tallies.
    assert FunnelTally.objects.values("partnership").distinct().count() == 3


def test_a_change_is_counted_before_the_next_read(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 40, seed=8)
    _same_as_every_deal(world)
    assert tallies.bring_up_to_date(world.acme.pk) == 0  # nothing changed since
    lena = world.actor(world.lena)
    deal = Opportunity.objects.filter(
        partnership=world.northwind, stage__outcome=Outcome.OPEN
    ).first()
    assert deal is not None
    won = next(s for s in stages_for(world.acme) if s.outcome == Outcome.WON)
    services.move_stage(deal, actor=lena, version=deal.version, stage=won)
    assert tallies.stale_ids(world.acme.pk) == [world.northwind.pk]
    _same_as_every_deal(world)
    # A stage that becomes a lost one changes every partnership's counts.
    stage = Stage.objects.filter(workspace=world.acme, outcome=Outcome.OPEN).last()
    assert stage is not None
    services.stage_update(stage, actor=lena, version=stage.version, outcome=Outcome.LOST)
    every = set(Partnership.objects.filter(workspace=world.acme).values_list("pk", flat=True))
    assert set(tallies.stale_ids(world.acme.pk)) == every
    _same_as_every_deal(world)
    # Moving a stage up changes how far deals got: every partnership is counted again.
    third = Stage.objects.filter(workspace=world.acme).order_by("position")[2]
    services.stage_move(third, actor=lena, version=third.version, direction="up")
    assert set(tallies.stale_ids(world.acme.pk)) == every
    _same_as_every_deal(world)


def test_counting_again_costs_per_partnership_not_per_deal(world: World) -> None:
    def cost(count: int, seed: int) -> int:
        Opportunity.objects.all().delete()
        generate(world.acme, [world.northwind, world.globex], count, seed=seed)
        with CaptureQueriesContext(connection) as queries:
            assert tallies.bring_up_to_date(world.acme.pk) == 2
        return len(queries)

    # Rows are written in batches: compare equal numbers of rows' worth of history.
    assert cost(30, seed=9) <= cost(300, seed=9) <= cost(30, seed=9) + 4


def test_the_worker_counts_the_stale_tallies_every_hour(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 20, seed=10)
    assert len(tallies.stale_ids(world.acme.pk)) >= 2
    result = tallies.refresh_tallies.call("2026-12-06T10:00:00+00:00")
    assert result.startswith("2026-12-06T10:00:00+00:00: ") and "partnerships counted" in result
    assert tallies.stale_ids(world.acme.pk) == []
    _same_as_every_deal(world)


def test_the_program_sums_follow_each_count_and_each_partnership_removed(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 60, seed=11)
    _same_as_every_deal(world)
    sums = ProgramTally.objects.filter(workspace=world.acme)
    sources = set(sums.values_list("source", flat=True))
    assert sums.count() > 10 and len(sources) == 1
    # Nothing changed: the stored sums are read, in four queries (freshness, then the rows).
    with CaptureQueriesContext(connection) as queries:
        rows = tallies.program_rows(world.acme.pk)
    assert len(queries) == 4 and len(rows) == sums.count()
    assert set(sums.values_list("source", flat=True)) == sources
    # A partnership removed takes its deals out of the program's sums.
    Partnership.objects.filter(pk=world.globex.pk).delete()
    _same_as_every_deal(world)
    assert set(sums.values_list("source", flat=True)) != sources
    figures = funnel.funnel(world.actor(world.lena), Program(world.acme))
    assert figures.deals == Opportunity.objects.filter(workspace=world.acme).count() > 0
