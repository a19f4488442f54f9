"""An archive back into an empty Tandem: every row with its own id, in one transaction.

Refused, with nothing written, when the file is not a Tandem archive (or is cut short or
damaged), when it was made by a Tandem whose tables differ, or when the workspace's slug,
anyone's e-mail address or any of its ids is already taken here.
"""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

import orjson
from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction

from tandem.accounts.models import User, Workspace
from tandem.core.errors import InvalidInput
from tandem.transfer.archive.export import FORMAT, FORMAT_VERSION, MANIFEST, table_file
from tandem.transfer.archive.tables import Table, archived_tables

CHUNK = 2000


class ArchiveRefused(InvalidInput):
    """The archive cannot be imported here; the message says why. Nothing was written."""


@dataclass(frozen=True)
class Loaded:
    workspace_id: int
    slug: str
    rows: dict[str, int]


def load(source: str | Path | IO[bytes]) -> Loaded:
    """Import the archive at ``source`` (a path or a binary file) into this, empty, Tandem."""
    try:
        with zipfile.ZipFile(source) as zf:
            manifest = _manifest(zf)
            tables = _tables(manifest)
            try:
                with transaction.atomic():
                    rows = _write(zf, manifest, tables)
            except zipfile.BadZipFile as error:
                raise ArchiveRefused(f"The archive is damaged: {error}.") from error
            except (DatabaseError, ValidationError, ValueError, TypeError, KeyError) as error:
                raise ArchiveRefused(
                    f"The archive's rows do not fit this Tandem ({type(error).__name__}:"
                    f" {error}). Nothing was imported."
                ) from error
    except zipfile.BadZipFile as error:
        raise ArchiveRefused(
            "This is not a Tandem archive: it is not a complete zip file (cut short or damaged?)."
        ) from error
    workspace = manifest["workspace"]
    return Loaded(workspace_id=workspace["id"], slug=workspace["slug"], rows=rows)


def _manifest(zf: zipfile.ZipFile) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST))
    except KeyError as error:
        raise ArchiveRefused("This is not a Tandem archive: it has no manifest.json.") from error
    except ValueError as error:
        raise ArchiveRefused("This is not a Tandem archive: its manifest is not JSON.") from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveRefused("This is not a Tandem archive: its manifest names another format.")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise ArchiveRefused(
            f"This archive is in format version {manifest.get('format_version')!r}; this"
            f" Tandem reads version {FORMAT_VERSION}."
        )
    workspace = manifest.get("workspace")
    if (
        not isinstance(workspace, dict)
        or not isinstance(workspace.get("id"), int)
        or not isinstance(workspace.get("slug"), str)
        or not isinstance(manifest.get("tables"), list)
    ):
        raise ArchiveRefused("This is not a Tandem archive: its manifest is incomplete.")
    return manifest


def _tables(manifest: dict[str, Any]) -> list[tuple[Table, dict[str, Any]]]:
    """The archive's tables in its order, each checked against this Tandem's."""
    known = {table.label: table for table in archived_tables()}
    found = []
    for entry in manifest["tables"]:
        table = known.get(str(entry.get("model"))) if isinstance(entry, dict) else None
        if table is None:
            raise ArchiveRefused(
                f"The archive holds a table this Tandem does not archive: {entry!r}."
            )
        if entry.get("fields") != [field.name for field in table.fields]:
            raise ArchiveRefused(
                f"The archive's {table.label} has other fields than this Tandem's: it was"
                f" made by another version (archive: {manifest.get('tandem_version')!r})."
            )
        if entry.get("file") != table_file(table) or not isinstance(entry.get("rows"), int):
            raise ArchiveRefused(f"The archive's manifest entry for {table.label} is damaged.")
        found.append((table, entry))
    return found


def _write(
    zf: zipfile.ZipFile, manifest: dict[str, Any], tables: list[tuple[Table, dict[str, Any]]]
) -> dict[str, int]:
    workspace = manifest["workspace"]
    if Workspace.objects.filter(slug=workspace.get("slug")).exists():
        raise ArchiveRefused(
            f"A workspace with the address “{workspace.get('slug')}” already exists here:"
            " import into an empty Tandem."
        )
    rows: dict[str, int] = {}
    for table, entry in tables:
        count = 0
        for chunk in _chunks(zf, table, entry["file"]):
            _refuse_taken(table, chunk)
            _insert(table, chunk)
            count += len(chunk)
        if count != entry["rows"]:
            raise ArchiveRefused(
                f"The archive's {entry['file']} holds {count} rows, its manifest says"
                f" {entry['rows']}: the file is damaged."
            )
        if table.deferred:
            _second_pass(zf, table, entry["file"])
        rows[table.label] = count
    models_written = [table.model for table, _ in tables]
    statements = connection.ops.sequence_reset_sql(no_style(), models_written)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    return rows


def _rows(zf: zipfile.ZipFile, table: Table, name: str) -> Iterator[models.Model]:
    """The file's rows as unsaved objects (deferred keys left empty)."""
    meta = table.model._meta
    pk = meta.pk
    assert pk is not None
    label = meta.label_lower
    fields = table.fields
    names = {field.name for field in fields if field is not pk}
    # One converter per column, in the model's field order (positional: the fast way in).
    converters = [
        (field.name, (lambda value: None) if field.name in table.deferred else _converter(field))
        for field in fields
    ]
    make = table.model
    try:
        handle = zf.open(name)
    except KeyError as error:
        raise ArchiveRefused(f"The archive lacks {name}, which its manifest lists.") from error
    with handle:
        for number, line in enumerate(handle, start=1):
            try:
                row = orjson.loads(line)
            except ValueError as error:
                raise ArchiveRefused(f"Line {number} of {name} is not JSON.") from error
            if not isinstance(row, dict) or row.get("model") != label:
                raise ArchiveRefused(f"Line {number} of {name} is not a {table.label} row.")
            values = row.get("fields")
            if not isinstance(values, dict) or values.keys() != names:
                raise ArchiveRefused(f"Line {number} of {name} has other fields than expected.")
            values[pk.name] = row.get("pk")
            yield make(*(convert(values[field]) for field, convert in converters))


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """How a column's JSON value becomes the field's Python value (None stays None)."""
    if isinstance(field, models.ForeignKey):
        target = field.target_field
        return lambda value: None if value is None else target.to_python(value)
    if isinstance(field, models.JSONField):
        return lambda value: value
    if isinstance(field, models.BinaryField):
        return lambda value: None if value is None else bytes.fromhex(value)
    if isinstance(field, models.DateTimeField):
        return lambda value: None if value is None else _instant(field, value)
    if isinstance(field, models.DateField):
        return lambda value: None if value is None else date.fromisoformat(value)
    if isinstance(field, models.BooleanField | models.IntegerField | models.CharField):
        return lambda value: (
            value if value is None or type(value) in (bool, int, str) else (field.to_python(value))
        )
    return lambda value: None if value is None else field.to_python(value)


def _instant(field: models.Field[Any, Any], value: str) -> datetime:
    found = datetime.fromisoformat(value)
    return found if found.tzinfo is not None else field.to_python(value)


def _value(field: models.Field[Any, Any], value: Any) -> Any:
    return _converter(field)(value)


def _chunks(zf: zipfile.ZipFile, table: Table, name: str) -> Iterator[list[models.Model]]:
    chunk: list[models.Model] = []
    for obj in _rows(zf, table, name):
        chunk.append(obj)
        if len(chunk) >= CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _refuse_taken(table: Table, chunk: list[models.Model]) -> None:
    manager = table.model._base_manager
    if manager.filter(pk__in=[obj.pk for obj in chunk]).exists():
        raise ArchiveRefused(
            f"This Tandem already has {table.model._meta.verbose_name_plural} with the"
            " archive's ids: import into an empty Tandem."
        )
    if table.model is User:
        emails = [obj.email for obj in chunk]  # type: ignore[attr-defined]
        taken = User.objects.filter(email__in=emails).values_list("email", flat=True).first()
        if taken:
            raise ArchiveRefused(
                f"{taken} already has an account here: import into an empty Tandem."
            )


def _insert(table: Table, chunk: list[models.Model]) -> None:
    # A raw insert, as loaddata makes: auto_now fields keep the archived times (bulk_create
    # would stamp them with now).
    fields = table.fields
    queryset: Any = table.model._base_manager.all()
    size = connection.ops.bulk_batch_size(fields, chunk) or len(chunk)
    for start in range(0, len(chunk), size):
        queryset._insert(chunk[start : start + size], fields=fields, raw=True)


def _second_pass(zf: zipfile.ZipFile, table: Table, name: str) -> None:
    """Self references and keys closing a cycle, now that their rows exist: read the
    table's file again (memory stays bounded) and set the keys in chunks."""
    fields = [table.model._meta.get_field(field) for field in table.deferred]
    with zf.open(name) as handle:
        chunk: list[models.Model] = []
        for line in handle:
            row = orjson.loads(line)
            values = {
                field.attname: _value(field, row["fields"][field.name])  # type: ignore[union-attr, arg-type]
                for field in fields
            }
            if any(value is not None for value in values.values()):
                chunk.append(table.model(pk=row["pk"], **values))
            if len(chunk) >= CHUNK:
                table.model._base_manager.bulk_update(chunk, list(table.deferred))
                chunk = []
        if chunk:
            table.model._base_manager.bulk_update(chunk, list(table.deferred))
