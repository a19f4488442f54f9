"""The hourly statistics task: SQLite's planner gets table statistics (PostgreSQL keeps its
own)."""

from __future__ import annotations

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
