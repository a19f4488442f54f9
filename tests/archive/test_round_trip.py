"""Acme's archive imports into an empty Tandem and gives every row back, field for field."""

from __future__ import annotations

import io
from typing import Any

from django.core.management.color import no_style
from django.db import connection

from tandem.accounts.models import User, Workspace
from tandem.traction.models import Todo
from tandem.transfer.archive.load import load
from tandem.transfer.archive.tables import USER, archived_tables
from tests.archive.conftest import archive_of, read_table, snapshot
from tests.conftest import PASSWORD, World


def forget(world: World) -> None:
    """Acme and everyone its rows name, gone from this Tandem (Initech stays)."""
    tables = archived_tables()
    users = next(table for table in tables if table.label == USER)
    named = list(users.rows(world.acme.pk).values_list("pk", flat=True))
    # Table by table from the last, as a workspace's deals protect its stages.
    for table in reversed(tables):
        if table.path is None:
            rows = table.model._base_manager.filter(
                **{"pk__in" if table is users else "user__in": named}
            )
        else:
            rows = table.rows(world.acme.pk)
        rows.delete()
    assert not Workspace.objects.filter(pk=world.acme.pk).exists()


def test_the_test_workspace_has_rows_in_every_archived_table(full: World) -> None:
    empty = [label for label, rows in snapshot(full.acme.pk).items() if not rows]
    assert not empty, (
        f"No rows of {empty} in tests/archive/conftest.py's `full` workspace: add some, so the"
        " round trip covers them, or leave the table out (tables.LEFT_OUT) and say why."
    )


def test_acme_comes_back_row_for_row(full: World) -> None:
    before = snapshot(full.acme.pk)
    initech = snapshot(full.initech.pk)
    data = archive_of(full.acme)
    forget(full)
    assert not any(snapshot(full.acme.pk).values())

    loaded = load(io.BytesIO(data))

    assert loaded.slug == "acme"
    assert loaded.rows == {label: len(rows) for label, rows in before.items()}
    after = snapshot(full.acme.pk)
    for label, rows in before.items():
        assert after[label] == rows, label
    assert snapshot(full.initech.pk) == initech


def test_people_sign_in_after_the_move_with_the_passwords_they_know(full: World) -> None:
    data = archive_of(full.acme)
    forget(full)
    # With no to-do left, the to-dos' sequence starts again from 1 (PostgreSQL): the import
    # must move it past the archive's ids.
    Todo.objects.all().delete()
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Todo]):
            cursor.execute(sql)
    load(io.BytesIO(data))
    assert User.objects.get(email="pat@northwind.example").check_password(PASSWORD)
    # New rows after the import take fresh ids (the sequences moved past the archive's).
    todo = Todo.objects.create(workspace_id=full.acme.pk, title="After the move")
    assert todo.pk > max(row["pk"] for row in read_table(data, "tables/traction.todo.jsonl"))


def test_initechs_rows_and_people_are_never_in_acmes_archive(full: World) -> None:
    data = archive_of(full.acme)
    initech_ids = {full.initech.pk}
    found: list[Any] = []
    for table in archived_tables():
        name = f"tables/{table.model._meta.app_label}.{table.model._meta.model_name}.jsonl"
        for row in read_table(data, name):
            fields = row["fields"]
            if fields.get("workspace") in initech_ids or (
                table.label == "accounts.Workspace" and row["pk"] in initech_ids
            ):
                found.append(row)
    assert not found
    users = {row["fields"]["email"] for row in read_table(data, "tables/accounts.user.jsonl")}
    assert "olga@initech.example" not in users
    assert {"lena@acme.example", "maria@acme.example", "pat@northwind.example"} <= users
    titles = [row["fields"]["title"] for row in read_table(data, "tables/partners.note.jsonl")]
    titles += [row["fields"]["title"] for row in read_table(data, "tables/traction.todo.jsonl")]
    assert "Joint pipeline plan" in titles
    assert not [title for title in titles if "Initech" in title]
