"""The write pass: each new deal starts its stage history as the pipeline's services start it,
and on PostgreSQL the rows' foreign keys are checked whichever way the database role allows."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.db import connection, transaction

from tandem.exchange.pipeline.models import Opportunity, StageChange
from tandem.exchange.pipeline.stages import stages_of
from tandem.transfer.imports import checking, tasks
from tandem.transfer.imports.checking import Problem
from tandem.transfer.imports.models import ImportedRecord, Status
from tandem.transfer.imports.writing import ForeignKeys
from tests.conftest import World
from tests.imports.conftest import imported, mapped

CSV = "Record ID,Deal Name,Deal Stage\n1,Contoso,\n2,Fabrikam,\n3,Tailspin,\n"
MAPPING = {"external_id": "Record ID", "account_name": "Deal Name"}


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return str(cursor.fetchone()[0])


def test_every_imported_deal_starts_its_stage_history(world: World) -> None:
    job = imported(world, mapped(world, CSV, MAPPING))
    assert job.status == Status.DONE, job.message
    deals = list(Opportunity.objects.filter(partnership=world.northwind).order_by("pk"))
    assert [deal.account_name for deal in deals] == ["Contoso", "Fabrikam", "Tailspin"]
    for deal in deals:
        assert [
            (change.from_stage_id, change.to_stage_id, change.changed_by_id)
            for change in StageChange.objects.filter(opportunity=deal)
        ] == [(None, deal.stage_id, world.maria.pk)]


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_with_the_triggers_off_the_import_checks_each_key_itself(world: World) -> None:
    stage = stages_of(world.acme.pk)[0]
    with transaction.atomic():
        with ForeignKeys() as keys:
            assert keys.ours  # the tests' role is a superuser: it may
            assert _setting("session_replication_role") == "replica"
            keys.check(Opportunity, ["id", "stage_id"], [(1, stage.pk), (2, None)])
            with pytest.raises(Problem, match="was deleted meanwhile"):
                keys.check(Opportunity, ["id", "stage_id"], [(3, stage.pk), (4, 987654321)])
        assert _setting("session_replication_role") == "origin"


@pytest.mark.postgresql
def test_a_role_that_may_not_turn_the_triggers_off_imports_with_them(world: World) -> None:
    role = f"tandem_import_plain_{os.getpid()}"
    with connection.cursor() as cursor:  # undone with the test's transaction
        cursor.execute(f"CREATE ROLE {role} NOLOGIN")
        cursor.execute(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {role}")
        cursor.execute(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {role}")
        cursor.execute(f"SET LOCAL ROLE {role}")
    with transaction.atomic(), ForeignKeys() as keys:
        assert not keys.ours
    job = imported(world, mapped(world, CSV, MAPPING))
    assert job.status == Status.DONE, job.message
    assert Opportunity.objects.filter(partnership=world.northwind).count() == 3
    assert _setting("session_replication_role") == "origin"


def test_a_key_repeated_in_a_later_batch_of_a_first_import_updates_its_record(
    world: World, monkeypatch: Any
) -> None:
    monkeypatch.setattr(checking, "CHUNK", 2)  # rows 1-2, 3-4, 5 are three batches
    content = (
        "Record ID,Deal Name\n1,Contoso\n2,Fabrikam\n3,Tailspin\n1,Contoso Ltd\n1,Contoso AG\n"
    )
    job = imported(
        world,
        mapped(
            world,
            content,
            {"external_id": "Record ID", "account_name": "Deal Name"},
            key=["external_id"],
        ),
    )
    assert (job.status, job.created_rows, job.updated_rows) == (Status.DONE, 3, 2)
    names = Opportunity.objects.filter(partnership=world.northwind).values_list(
        "account_name", flat=True
    )
    assert sorted(names) == ["Contoso AG", "Fabrikam", "Tailspin"]
    assert ImportedRecord.objects.filter(source="HubSpot").count() == 3


def _statistics_of(table: str) -> bool:
    """Whether the planner has statistics of ``table`` that count its rows as they are."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is None:
                return False
            cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [table])
            stats = [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a model's table
            return f"{cursor.fetchone()[0]}" in {stat.split()[0] for stat in stats}
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = %s", [table])
        estimated = cursor.fetchone()[0]
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - a model's table
        return bool(estimated == cursor.fetchone()[0])


def _forget_statistics(tables: list[str]) -> None:
    with connection.cursor() as cursor:  # undone with the test's transaction
        if connection.vendor == "sqlite":
            cursor.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'")
            if cursor.fetchone() is not None:
                cursor.execute("DELETE FROM sqlite_stat1")
        else:
            cursor.execute("UPDATE pg_class SET reltuples = -1 WHERE relname = ANY(%s)", [tables])


@pytest.mark.parametrize(("rows", "analyzed"), [(3, True), (2, False)])
def test_a_big_import_refreshes_the_planners_statistics_of_the_tables_it_filled(
    world: World, monkeypatch: Any, rows: int, analyzed: bool
) -> None:
    monkeypatch.setattr(tasks, "ANALYZE_AFTER", 3)
    tables = [
        Opportunity._meta.db_table,
        StageChange._meta.db_table,
        ImportedRecord._meta.db_table,
    ]
    _forget_statistics(tables)
    content = "".join(CSV.splitlines(keepends=True)[: rows + 1])
    job = imported(world, mapped(world, content, MAPPING, key=["external_id"]))
    assert (job.status, job.created_rows) == (Status.DONE, rows)
    assert [_statistics_of(table) for table in tables] == [analyzed] * 3
