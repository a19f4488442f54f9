"""Acme with a row in every table its archive holds (Olga's Initech beside it, with rows of
its own that must never reach Acme's archive)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Model

from tandem.accounts.models import Workspace
from tandem.core.access import Visibility
from tandem.transfer.archive.export import stream
from tandem.transfer.archive.tables import Table, archived_tables
from tests.conftest import World
from tests.test_access import (
    _diligence,
    _exchange,
    _meeting,
    _notifications,
    _promises,
    _relationship,
    _seats,
    _values,
    _way,
)

WEEK = date(2026, 11, 30)


def _create(model_label: str, **values: Any) -> Model:
    from django.apps import apps

    return apps.get_model(model_label)._base_manager.create(**values)


@pytest.fixture
def full(world: World) -> World:
    """Acme's rows in every archived table: the cast's, those the access walk makes, and a
    few made here (a forward self reference among them)."""
    acme, northwind = world.acme, world.northwind
    _relationship(world)
    values = _values(world)
    promises = _promises(world)
    exchange = _exchange(world)
    _diligence(world)
    _seats(world)
    way = _way(world)
    meeting, _internal, _shared = _meeting(world)
    _notifications(world)
    common = {"workspace": acme, "partnership": northwind}

    # A value matching one made after it: written in the archive's second pass.
    later = _create("vision.Value", **common, name="Made later")
    values["ours"].matches = later
    values["ours"].save()
    _create("traction.Todo", **common, title="Again next week", repeated_from=world.shared_todo)
    world.shared_issue.todos.add(world.shared_todo)
    _create("issues.Vote", issue=world.shared_issue, voter=world.maria)
    _create("meetings.Attendee", meeting=meeting, user=world.pat, side="partner")
    _create("meetings.Schedule", partnership=northwind)
    _create("ideas.IdeaBoard", **common, tactical_owner=world.maria)
    _create("scorecard.Entry", measurable=world.shared_measurable, period_start=WEEK, value=7)
    _create(
        "communication.Touch",
        entry_id=promises["shared_entry"],
        planned_on=WEEK,
        happened=True,
        note="Sent",
    )
    _create("way.StepCheck", **common, step=way["shared_step"], note="Done", checked_by=world.pat)
    entry = _create(
        "core.ActivityEntry",
        **common,
        actor=world.maria,
        verb="created",
        target_type="note",
        target_model="partners.note",
        target_id=world.shared_note.pk,
        target_label="Joint pipeline plan",
    )
    _create("core.ActivityMention", entry=entry, target_model="traction.todo", target_id=1)
    _create("partners.StageChange", partnership=northwind, from_stage="prospect", to_stage="active")
    _create("alerts.AlertSettings", workspace=acme)
    _create("health.HealthSettings", workspace=acme)
    _create("pipeline.PipelineSettings", workspace=acme)
    _create("money.Currencies", workspace=acme)
    _create("money.Rate", workspace=acme, currency="EUR", year=2026, quarter=4, rate=Decimal("1.1"))
    _create("health.HealthSnapshot", partnership=northwind, week=WEEK, view="member", score=71)
    _create(
        "plans.PlanReminder", **common, year=2026, quarter=4, content_hash="a" * 64, reason="edit"
    )
    _create(
        "plans.PlanSignature",
        **common,
        year=2026,
        quarter=4,
        user=world.pat,
        signer_name="Pat Northwind",
        side="partner",
        content={"rocks": [{"title": "Launch", "due": "2026-12-31"}], "note": "ünïcode"},
        content_hash="b" * 64,
    )
    _create("notifications.Preference", user=world.maria, kind="mention")
    _create("digest.DigestPreference", user=world.pat, enabled=False, weekday=2, hour=9)
    _create("account.EmailAddress", user=world.lena, email=world.lena.email, verified=True)
    _create("imports.SavedMapping", workspace=acme, source="HubSpot", target="opportunities")
    _create(
        "imports.ImportedRecord",
        **common,
        source="HubSpot",
        target="opportunities",
        external_key="deal-1",
        object_id=exchange["shared_opportunity"].pk,
    )
    # A done to-do: a datetime with its microseconds, which the round trip keeps.
    world.internal_todo.done_at = datetime(2026, 12, 1, 9, 30, 15, 123456, tzinfo=UTC)
    world.internal_todo.save()
    # Initech's own rows, never in Acme's archive.
    _create("traction.Todo", workspace=world.initech, title="Initech secret to-do")
    _create(
        "partners.Note",
        workspace=world.initech,
        partnership=world.initech_partner,
        title="Initech secret",
        visibility=Visibility.INTERNAL,
    )
    return world


def snapshot(workspace_id: int) -> dict[str, list[dict[str, Any]]]:
    """Every archived row of the workspace, every concrete field, by table, ordered by pk."""
    return {table.label: rows_of(table, workspace_id) for table in archived_tables()}


def rows_of(table: Table, workspace_id: int) -> list[dict[str, Any]]:
    return list(table.rows(workspace_id).values(*(field.attname for field in table.fields)))


def archive_of(workspace: Workspace) -> bytes:
    return b"".join(stream(workspace.pk))


def read_table(data: bytes, name: str) -> list[dict[str, Any]]:
    import json

    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return [json.loads(line) for line in zf.read(name).splitlines()]
