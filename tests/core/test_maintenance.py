"""The hourly statistics task: SQLite's planner gets table statistics (PostgreSQL keeps its
own)."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection

from tandem.core.maintenance import refresh_statistics
from tandem.core.schedule import registered
from tests.conftest import World

pytestmark = pytest.mark.django_db


def test_the_statistics_are_refreshed_every_hour(world: World) -> None:
    assert "tandem.core.maintenance.refresh_statistics" in {
        scheduled.name for scheduled in registered() if scheduled.period == "hour"
    }
    result = refresh_statistics.call("2026-12-07T09:00:00+00:00")
    if connection.vendor == "sqlite":
        assert result.endswith("analyzed")
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM sqlite_stat1 WHERE tbl = 'core_activityentry'")
            assert cursor.fetchone()[0] > 0
    else:
        assert result.endswith("left to the database")


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL analyses its own tables (autovacuum)"
)
def test_the_statistics_tell_a_partnership_from_its_workspace(world: World) -> None:
    """A workspace whose thousands of value entries sit in a few partnerships: after the
    hourly analysis, a partnership's entries are read through the partnership's index, not
    by walking the whole workspace (a sample too small saw both alike, and the value page of
    a large program took seconds)."""
    from tandem.exchange.ledger.models import Entry
    from tandem.exchange.ledger.selectors import kinds_for

    kind = kinds_for(world.acme.pk)[0]
    partnerships = [world.northwind, world.globex]
    Entry.objects.bulk_create(
        Entry(
            workspace=world.acme, partnership=partnerships[n % 2], kind=kind,
            direction="ours", occurred_on=date(2026, 11, 2), title=f"Entry {n}",
            logged_by_side="ours", created_by=world.maria,
        )
        for n in range(6000)
    )  # fmt: skip
    refresh_statistics.call("2026-12-07T09:00:00+00:00")
    query = Entry.objects.filter(
        workspace_id__in=[world.acme.pk], partnership_id=world.northwind.pk
    ).values("kind_id")
    plan = query.explain()
    assert "partner" in plan.split("USING INDEX")[1].split("(")[0], plan
