"""Keeping the database's query planner informed.

PostgreSQL gathers table statistics by itself (autovacuum's ANALYZE). SQLite does only when
asked: without them its planner may pick an index that reads a whole workspace's activity log
where one partnership's would do (the health's "partner's own activity" took seconds at a
thousand partnerships). ``refresh_statistics`` runs a bounded ANALYZE every hour on the worker;
``analyze`` is also called by whatever fills tables in bulk (an import of a million rows: the
statistics of the tables it filled, on either database, before autovacuum comes round; and
bench/generate.py)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django_tasks import task

# Rows SQLite samples per index. A thousand was too few: in a program of a million value
# entries, a sample saw one workspace and one partnership alike (~1,000 rows a key), so the
# planner read a partnership's entries through the workspace index — every row of the
# workspace, seconds per page. A hundred thousand tells them apart; analysing the whole
# 3.6 GB large program (bench/large.py) takes about a second.
ANALYSIS_LIMIT = 100_000


def analyze(tables: Iterable[str] = ()) -> bool:
    """Refresh the planner's statistics of ``tables`` on either database, or of the whole
    database on SQLite (PostgreSQL's autovacuum keeps up with everyday writes); True when
    something was analyzed."""
    sqlite = connection.vendor == "sqlite"
    if not tables and not sqlite:
        return False
    with connection.cursor() as cursor:
        if sqlite:
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        if not tables:
            cursor.execute("ANALYZE")
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
    return True


@task()
def refresh_statistics(period_start: str) -> str:
    """Every hour (registered in ``CoreConfig.ready``)."""
    return f"{period_start}: {'analyzed' if analyze() else 'left to the database'}"
