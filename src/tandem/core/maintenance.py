"""Keeping the database's query planner informed.

PostgreSQL gathers table statistics by itself (autovacuum's ANALYZE). SQLite does only when
asked: without them its planner may pick an index that reads a whole workspace's activity log
where one partnership's would do (the health's "partner's own activity" took seconds at a
thousand partnerships). ``refresh_statistics`` runs a bounded ANALYZE every hour on the worker;
``analyze`` is also called by whatever fills a database in bulk (bench/generate.py)."""

from __future__ import annotations

from django.db import connection
from django_tasks import task

# Rows SQLite samples per index: enough for the planner's choices, a few milliseconds a table.
ANALYSIS_LIMIT = 1000


def analyze() -> bool:
    """Refresh the planner's statistics; True when it was SQLite's to refresh."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True


@task()
def refresh_statistics(period_start: str) -> str:
    """Every hour (registered in ``CoreConfig.ready``)."""
    return f"{period_start}: {'analyzed' if analyze() else 'left to the database'}"
