"""The whole workspace as one zip, written as it is read.

The zip is made by Python's own ``zipfile`` writing to a sink that cannot seek: each entry
then carries its sizes after its data (a data descriptor, which every unzip reads), so bytes
leave as soon as they are compressed and nothing is held but the current block. No package
needed for that (stream-zip and zipstream-ng do the same with more code of theirs to trust).

Inside: ``tables/<app_label>.<model>.jsonl``, one JSON object per row as Django's serializer
writes it (``{"model": …, "pk": …, "fields": {…}}``, foreign keys as ids; written by orjson:
with the standard ``json`` module, encoding took a third of the export's time), rows read
with ``.iterator(chunk_size=2000)`` in primary key order, tables in the order ``tables.py``
gives (a row's foreign keys are written before it); and ``manifest.json`` last, since it
counts the rows written. Tandem has no file fields today: a later one puts its files under
``files/``.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from importlib import metadata
from pathlib import Path
from typing import Any

import orjson
from django.db import connection, transaction
from django.utils import timezone
from django.utils.duration import duration_iso_string

from tandem.accounts.models import Workspace
from tandem.transfer.archive.tables import LEFT_OUT, Table, archived_tables

FORMAT = "tandem-workspace-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
CHUNK = 2000
BLOCK = 256 * 1024  # bytes gathered before they are compressed and sent

FILES_NOTE = (
    "Tandem has no file fields yet, so this archive holds no files; when one comes, the files"
    " its rows refer to go under files/, named as the rows name them."
)


def table_file(table: Table) -> str:
    return f"tables/{table.model._meta.app_label}.{table.model._meta.model_name}.jsonl"


def archive_name(workspace: Workspace) -> str:
    return f"{workspace.slug}-archive-{timezone.now().date().isoformat()}.zip"


def tandem_version() -> str:
    try:
        return metadata.version("tandem")
    except metadata.PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "unknown"


def _plain(value: Any) -> Any:
    """JSON for what orjson does not write itself, as Django's serializer writes it. (orjson
    writes datetimes, dates and times in ISO 8601 as Django does, but datetimes keep their
    microseconds: the round trip gives back the same instant.)"""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, timedelta):
        return duration_iso_string(value)
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    raise TypeError(f"Cannot write {type(value).__name__} into an archive")


def _lines(table: Table, workspace_id: int) -> Iterator[bytes]:
    meta = table.model._meta
    pk = meta.pk
    assert pk is not None
    fields = [field for field in table.fields if field is not pk]
    names = [field.name for field in fields]
    model = meta.label_lower
    rows = table.rows(workspace_id).values_list(pk.attname, *(f.attname for f in fields))
    dumps, newline = orjson.dumps, orjson.OPT_APPEND_NEWLINE
    for row in rows.iterator(chunk_size=CHUNK):
        values = dict(zip(names, row[1:], strict=True))
        yield dumps({"model": model, "pk": row[0], "fields": values}, _plain, newline)


class _Sink(io.RawIOBase):
    """Where the zip writes: kept until the generator hands it on. It cannot seek, so
    ``zipfile`` streams (sizes after each entry's data)."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        return data


def manifest_for(workspace: Workspace, counts: list[tuple[Table, int]]) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "tandem_version": tandem_version(),
        "workspace": {"id": workspace.pk, "slug": workspace.slug, "name": workspace.name},
        "created_at": timezone.now().isoformat(),
        "tables": [
            {
                "model": table.label,
                "file": table_file(table),
                "rows": rows,
                "fields": [field.name for field in table.fields],
                "deferred": list(table.deferred),
            }
            for table, rows in counts
        ],
        "left_out": LEFT_OUT,
        "passwords": "kept as Django's hashes, so people sign in with the passwords they know",
        "files": {"folder": "files/", "count": 0, "note": FILES_NOTE},
    }


def stream(workspace_id: int) -> Iterator[bytes]:
    """The archive of one workspace, block by block. Read in one transaction (on PostgreSQL
    a repeatable read, on SQLite the snapshot of a read transaction), so a workspace in use
    is archived as it was at one moment: no row names a row the archive lacks."""
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield from _stream(workspace_id)


def _stream(workspace_id: int) -> Iterator[bytes]:
    workspace = Workspace.objects.get(pk=workspace_id)
    sink = _Sink()
    counts: list[tuple[Table, int]] = []
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for table in archived_tables():
            rows = 0
            with zf.open(table_file(table), "w", force_zip64=True) as entry:
                block: list[bytes] = []
                size = 0
                for line in _lines(table, workspace_id):
                    block.append(line)
                    size += len(line)
                    rows += 1
                    if size >= BLOCK:
                        entry.write(b"".join(block))
                        block, size = [], 0
                        yield sink.take()
                entry.write(b"".join(block))
            counts.append((table, rows))
            yield sink.take()
        manifest = manifest_for(workspace, counts)
        zf.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    yield sink.take()


def write(workspace_id: int, path: Path) -> int:
    """Write the archive to ``path``; its size in bytes."""
    size = 0
    with path.open("wb") as out:
        for block in stream(workspace_id):
            out.write(block)
            size += len(block)
    return size
