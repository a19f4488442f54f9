"""An archive that cannot go in is refused with a clear message, and nothing is written."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import User, Workspace
from tandem.traction.models import Todo
from tandem.transfer.archive.load import ArchiveRefused, load
from tests.archive.conftest import archive_of, read_table
from tests.archive.test_round_trip import forget
from tests.conftest import World


def _counts() -> tuple[int, int, int]:
    return Workspace.objects.count(), User.objects.count(), Todo.objects.count()


def test_importing_into_a_tandem_that_has_the_workspace_is_refused(world: World) -> None:
    data = archive_of(world.acme)
    before = _counts()
    with pytest.raises(ArchiveRefused, match="already exists here"):
        load(io.BytesIO(data))
    assert _counts() == before


def test_a_taken_id_half_way_through_leaves_nothing_written(world: World) -> None:
    data = archive_of(world.acme)
    acme_todo = world.shared_todo.pk
    forget(world)
    # Initech (still here) holds a to-do with the id one of Acme's had.
    Todo.objects.create(pk=acme_todo, workspace=world.initech, title="Initech's")
    before = _counts()
    with pytest.raises(ArchiveRefused, match="already has to-dos with the archive's ids"):
        load(io.BytesIO(data))
    assert _counts() == before
    assert not User.objects.filter(email="lena@acme.example").exists()


def test_someone_with_an_account_here_already_is_refused(world: World) -> None:
    data = archive_of(world.acme)
    forget(world)
    User.objects.create_user(email="maria@acme.example", password="x" * 12)
    with pytest.raises(ArchiveRefused, match="maria@acme.example already has an account"):
        load(io.BytesIO(data))
    assert not Workspace.objects.filter(slug="acme").exists()


def _zip(**members: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, content in members.items():
            zf.writestr(name, content)
    return out.getvalue()


@pytest.mark.parametrize(
    ("mangle", "said"),
    [
        (lambda data: data[: len(data) // 2], "not a complete zip file"),
        (lambda data: b"id,name\n1,Acme\n", "not a complete zip file"),
        (lambda data: _zip(**{"notes.txt": b"hello"}), "has no manifest.json"),
        (lambda data: _zip(**{"manifest.json": b"{not json"}), "manifest is not JSON"),
        (
            lambda data: _zip(**{"manifest.json": json.dumps({"format": "other"}).encode()}),
            "names another format",
        ),
        (
            lambda data: _zip(
                **{
                    "manifest.json": json.dumps(
                        {"format": "tandem-workspace-archive", "format_version": 1}
                    ).encode()
                }
            ),
            "manifest is incomplete",
        ),
    ],
    ids=[
        "truncated",
        "a CSV file",
        "a foreign zip",
        "a broken manifest",
        "another format",
        "a manifest without its workspace",
    ],
)
def test_what_is_not_a_tandem_archive_is_refused(world: World, mangle, said) -> None:  # type: ignore[no-untyped-def]
    data = mangle(archive_of(world.acme))
    forget(world)
    before = _counts()
    with pytest.raises(ArchiveRefused, match=said):
        load(io.BytesIO(data))
    assert _counts() == before


def _rewritten(data: bytes, name: str, change) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item.filename, change(content) if item.filename == name else content)
    return out.getvalue()


def test_a_table_with_a_row_missing_is_refused(world: World) -> None:
    data = _rewritten(
        archive_of(world.acme),
        "tables/traction.todo.jsonl",
        lambda content: b"\n".join(content.splitlines()[1:]) + b"\n",
    )
    forget(world)
    with pytest.raises(ArchiveRefused, match="manifest says"):
        load(io.BytesIO(data))
    assert not Workspace.objects.filter(slug="acme").exists()


def test_an_archive_of_another_tandem_version_is_refused(world: World) -> None:
    def older(content: bytes) -> bytes:
        manifest = json.loads(content)
        for table in manifest["tables"]:
            if table["model"] == "traction.Todo":
                table["fields"].remove("repeat_day")
        return json.dumps(manifest).encode()

    data = _rewritten(archive_of(world.acme), "manifest.json", older)
    forget(world)
    with pytest.raises(ArchiveRefused, match="other fields than this Tandem's"):
        load(io.BytesIO(data))


def test_the_commands_export_and_import(world: World, tmp_path: Path) -> None:
    target = tmp_path / "acme.zip"
    out = io.StringIO()
    call_command("export_workspace", "acme", str(target), stdout=out)
    assert "Acme Analytics's archive" in out.getvalue()
    assert read_table(target.read_bytes(), "tables/accounts.workspace.jsonl")[0]["pk"] == (
        world.acme.pk
    )
    forget(world)
    out = io.StringIO()
    call_command("import_workspace", str(target), stdout=out)
    assert "Imported workspace “acme”" in out.getvalue()
    assert Workspace.objects.get(slug="acme").name == "Acme Analytics"


def test_the_commands_say_what_is_wrong(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No workspace has the address “nope”"):
        call_command("export_workspace", "nope", str(tmp_path / "x.zip"))
    broken = tmp_path / "broken.zip"
    broken.write_bytes(archive_of(world.acme)[:1000])
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_workspace", str(broken))
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_workspace", str(tmp_path / "missing.zip"))
