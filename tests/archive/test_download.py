"""Owners and admins download the archive from the page and the API; nobody else does."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.traction.models import Todo
from tandem.transfer.archive.export import stream
from tests.conftest import World, client_for


def _manifest(content: bytes) -> dict:  # type: ignore[type-arg]
    with zipfile.ZipFile(io.BytesIO(content)) as zf:
        return json.loads(zf.read("manifest.json"))


def test_lena_downloads_acmes_archive_from_the_page(world: World) -> None:
    client = client_for(world.lena)
    page = client.get("/workspace/archive/")
    assert page.status_code == 200
    assert b"Download the archive" in page.content
    response = client.get("/workspace/archive/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="acme-archive-')
    manifest = _manifest(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert manifest["workspace"]["slug"] == "acme"
    rows = {table["model"]: table["rows"] for table in manifest["tables"]}
    assert rows["traction.Todo"] == 2
    assert "alerts.Standing" in manifest["left_out"]


def test_maria_a_member_and_pat_on_the_partner_side_are_refused(world: World) -> None:
    for person in (world.maria, world.pat):
        client = client_for(person)
        assert client.get("/workspace/archive/").status_code == 403
        assert client.get("/workspace/archive/download/").status_code == 403


def test_olga_gets_initechs_archive_never_acmes(world: World) -> None:
    response = client_for(world.olga).get("/workspace/archive/download/")
    manifest = _manifest(b"".join(response.streaming_content))  # type: ignore[attr-defined]
    assert manifest["workspace"]["slug"] == "initech"


def _api(user: object, workspace_id: int) -> object:
    _token, secret = token_create(user=user, name="archive")
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    return client.get(f"/api/workspaces/{workspace_id}/archive")


def test_the_api_serves_the_archive_to_owners_and_admins_only(world: World) -> None:
    response = _api(world.lena, world.acme.pk)
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert response["Content-Type"] == "application/zip"  # type: ignore[index]
    content = b"".join(response.streaming_content)  # type: ignore[attr-defined]
    assert _manifest(content)["workspace"]["id"] == world.acme.pk
    assert _api(world.maria, world.acme.pk).status_code == 403  # type: ignore[attr-defined]
    assert _api(world.pat, world.acme.pk).status_code == 404  # type: ignore[attr-defined]
    assert _api(world.olga, world.acme.pk).status_code == 404  # type: ignore[attr-defined]


def _export_queries(world: World) -> int:
    with CaptureQueriesContext(connection) as queries:
        b"".join(stream(world.acme.pk))
    return len(queries)


def test_the_export_reads_each_table_at_once_however_many_rows(world: World) -> None:
    few = _export_queries(world)
    Todo.objects.bulk_create(
        Todo(workspace=world.acme, partnership=world.northwind, title=f"To-do {n}")
        for n in range(30)
    )
    assert _export_queries(world) == few


def test_the_download_starts_before_the_workspace_is_read(world: World) -> None:
    everything = _export_queries(world)
    blocks = stream(world.acme.pk)
    with CaptureQueriesContext(connection) as queries:
        first = next(blocks)
    assert first.startswith(b"PK")  # a zip's first entry
    assert len(queries) < everything / 2
    blocks.close()


@pytest.mark.django_db(transaction=True)
def test_an_export_outside_any_transaction_reads_one_snapshot(world: World) -> None:
    """As the download runs (no transaction around it): its own read transaction, on
    PostgreSQL a repeatable read, so every table is read at the same moment."""
    assert not connection.in_atomic_block
    content = b"".join(stream(world.acme.pk))
    assert _manifest(content)["workspace"]["slug"] == "acme"
    assert not connection.in_atomic_block
