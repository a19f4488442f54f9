"""The import's second pass: the rows ``checking.check_file`` staged, written in one
transaction, a batch of 5,000 at a time, with plain SQL (COPY on PostgreSQL): the records the
rows' keys name are updated, the others created with the history the services would give
them. Every batch costs the same few statements, whatever the file's size."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from tandem.core.access import Visibility
from tandem.exchange.ledger.models import Direction
from tandem.exchange.pipeline.models import Opportunity
from tandem.exchange.pipeline.models import StageChange as DealStageChange
from tandem.partners.models import Partnership
from tandem.partners.models import StageChange as PartnershipStageChange
from tandem.transfer.imports.checking import (
    SEPARATOR,
    SHAPES,
    Plan,
    Problem,
    job_scope,
    staged_batches,
)
from tandem.transfer.imports.models import ImportedRecord, ImportJob, Status
from tandem.transfer.imports.targets import EXTERNAL_ID

CACHE_KB = 128 * 1024  # SQLite's page cache while writing (within the worker's 500 MB)


@dataclass
class Written:
    created: int = 0
    updated: int = 0
    created_ids: list[int] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)  # the tables written to


# The history tables a new record of a model starts its rows in (``_after_insert``).
HISTORY: dict[type[models.Model], tuple[type[models.Model], ...]] = {
    Opportunity: (DealStageChange,),
    Partnership: (PartnershipStageChange,),
}


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _allocate(model: type[models.Model], count: int) -> list[int]:
    """Ids for ``count`` new rows, taken from the table's own sequence (the caller is inside
    the write's transaction: on SQLite it holds the write lock, so nobody else inserts)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT array_agg(nextval(pg_get_serial_sequence(%s, 'id')))"
                " FROM generate_series(1, %s)",
                [table, count],
            )
            return list(cursor.fetchone()[0])  # one value: quicker to read than 5,000 rows
        cursor.execute(f"SELECT MAX(id) FROM {_quote(table)}")  # noqa: S608 - a model's table
        highest = cursor.fetchone()[0] or 0
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        found = cursor.fetchone()
        start = max(highest, found[0] if found else 0) + 1
    return list(range(start, start + count))


def insert(
    model: type[models.Model],
    columns: list[str],
    rows: list[tuple[Any, ...]],
    keys: ForeignKeys | None = None,
) -> None:
    """Plain INSERTs (COPY on PostgreSQL) of rows already in the database's terms."""
    if not rows:
        return
    if keys is not None:
        keys.check(model, columns, rows)
    table = _quote(model._meta.db_table)
    names = ", ".join(_quote(name) for name in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _update(
    model: type[models.Model],
    columns: list[str],
    rows: list[tuple[Any, ...]],
    now: Any,
    keys: ForeignKeys,
) -> None:
    """UPDATEs by id of the given columns; the version moves on as any edit's does."""
    if not rows:
        return
    keys.check(model, ["id", *columns], rows)
    table = _quote(model._meta.db_table)
    sets = ", ".join(f"{_quote(name)} = %s" for name in columns)
    versioned = {f.attname for f in model._meta.concrete_fields}
    extra = ""
    params: list[tuple[Any, ...]]
    if "version" in versioned:
        extra = f", {_quote('version')} = {_quote('version')} + 1, {_quote('updated_at')} = %s"
        params = [(*values, now, pk) for pk, *values in rows]
    else:
        params = [(*values, pk) for pk, *values in rows]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET {sets}{extra} WHERE {_quote('id')} = %s",  # noqa: S608
            params,
        )


def _db(model: type[models.Model], name: str, value: Any) -> Any:
    spec = model._meta.get_field(name)
    assert isinstance(spec, models.Field)
    return spec.get_db_prep_save(value, connection)


def _insert_defaults(
    plan: Plan, columns: list[str], actor_id: int | None, now: datetime
) -> dict[str, Any]:
    """The value of every other column of a new row: what the services would set, else the
    model's default."""
    job = plan.job
    model = SHAPES[plan.target.key].model
    special: dict[str, Any] = {
        "workspace_id": job.workspace_id,
        "partnership_id": job.partnership_id,
        "created_by_id": actor_id,
        "updated_by_id": actor_id,
        "created_at": now,
        "updated_at": now,
        "visibility": Visibility.INTERNAL,
        "stage_entered_at": now,
        "logged_by_side": Direction.OURS,
        "stage_id": plan.first_open_stage,
        "version": 1,
    }
    defaults: dict[str, Any] = {}
    for spec in model._meta.concrete_fields:
        name = spec.attname
        if spec.primary_key or name in columns:
            continue
        value = special[name] if name in special else spec.get_default()
        defaults[name] = _db(model, name, value)
    if model is Opportunity and defaults.get("stage_id") is None and "stage_id" not in columns:
        raise Problem("stage", "The pipeline has no open stage: add one under Pipeline stages.")
    return defaults


def _in(values: list[Any]) -> str:
    return ", ".join(["%s"] * len(values))


def _scope_sql(plan: Plan, alias: str) -> tuple[str, list[Any]]:
    """The job's scope as SQL on the target's table (``alias``). Scorecard values are scoped
    by their measurables, which the plan took from the job's partnership alone."""
    job = plan.job
    if plan.target.key == "scorecard_values":
        return "1 = 1", []
    if plan.target.key == "partnerships":
        return f"{alias}.workspace_id = %s", [job.workspace_id]
    if job.partnership_id is None:  # pragma: no cover - every other target is a partnership's
        return f"{alias}.workspace_id = %s AND {alias}.partnership_id IS NULL", [job.workspace_id]
    return (
        f"{alias}.workspace_id = %s AND {alias}.partnership_id = %s",
        [job.workspace_id, job.partnership_id],
    )


def _existing(plan: Plan, keys: list[str]) -> tuple[dict[str, int], list[str]]:
    """The records the keys of a batch already name, in the job's scope (key → id), and the
    external ids whose records were deleted since. Plain SQL: the ORM would cost more to
    build a query of 5,000 values than the database takes to answer it."""
    job = plan.job
    shape = SHAPES[plan.target.key]
    table = _quote(shape.model._meta.db_table)
    scope, params = _scope_sql(plan, "t")
    with connection.cursor() as cursor:
        if plan.key == (EXTERNAL_ID,):
            records = _quote(ImportedRecord._meta.db_table)
            partnership = (
                "r.partnership_id IS NULL"
                if job.partnership_id is None
                else ("r.partnership_id = %s")
            )
            cursor.execute(
                f"SELECT r.external_key, t.id FROM {records} r"  # noqa: S608 - our tables
                f" LEFT JOIN {table} t ON t.id = r.object_id AND {scope}"
                f" WHERE r.workspace_id = %s AND {partnership} AND r.target = %s"
                f" AND r.source = %s AND r.external_key IN ({_in(keys)})",
                [
                    *params,
                    job.workspace_id,
                    *([] if job.partnership_id is None else [job.partnership_id]),
                    job.target,
                    job.source,
                    *keys,
                ],
            )
            found, gone = {}, []
            for key, pk in cursor.fetchall():
                if pk is None:
                    gone.append(key)
                else:
                    found[key] = pk
            return found, gone
        attnames = [shape.attnames.get(name, name) for name in plan.key]
        first = sorted({key.split(SEPARATOR)[0] for key in keys})
        columns = ", ".join(f"t.{_quote(name)}" for name in attnames)
        cursor.execute(
            f"SELECT t.id, {columns} FROM {table} t"  # noqa: S608 - our tables
            f" WHERE {scope} AND t.{_quote(attnames[0])} IN ({_in(first)}) ORDER BY t.id",
            [*params, *first],
        )
        existing: dict[str, int] = {}
        for pk, *parts in cursor.fetchall():
            key = SEPARATOR.join("" if part is None else _key_text(part) for part in parts)
            existing.setdefault(key, pk)
        return existing, []


def _first_import(plan: Plan) -> bool:
    """Whether no external id of this source can name a record of this scope yet: no earlier
    import of the source into the scope was written (records are written by imports alone).
    Then the batches' keys need no lookup, but those an earlier batch of this import wrote: a
    million lookups cost PostgreSQL 20 s of an import's write."""
    job = plan.job
    if plan.key != (EXTERNAL_ID,):
        return False
    return (
        not ImportJob.objects.filter(
            workspace_id=job.workspace_id,
            partnership=job.partnership_id,
            target=job.target,
            source=job.source,
            status=Status.DONE,
        )
        .exclude(pk=job.pk)
        .exists()
    )


def _key_text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@contextmanager
def _big_cache() -> Iterator[None]:
    """On SQLite, a page cache large enough for the indexes of a table of a million rows
    while they are written (the default, 2 MB, makes every batch read them from disk)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = cursor.fetchone()[0]
        cursor.execute(f"PRAGMA cache_size = {-CACHE_KB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(before)}")


class ForeignKeys:
    """How the rows' foreign keys are checked while they are written.

    SQLite checks them as each row is inserted, cheaply. PostgreSQL runs a trigger per key
    per row: for a million deals, seven million lookups, and Django declares the keys
    ``DEFERRABLE INITIALLY DEFERRED``, which would queue them all until COMMIT. When the
    database role may set ``session_replication_role`` (a superuser, or a role granted ``SET
    ON PARAMETER session_replication_role``, PostgreSQL 15), the triggers are off for the
    write's transaction alone and each batch's keys are checked here instead, set-wise: the
    distinct values of each key column must exist, and are locked ``FOR KEY SHARE`` as the
    trigger would lock them (nobody deletes a stage or a person the import points to before it
    commits). Otherwise the triggers run, each batch's checks at once (``IMMEDIATE``).
    """

    def __init__(self) -> None:
        self.ours = False  # True: the triggers are off and ``check`` does their work
        self.known: dict[str, set[Any]] = {}  # table → ids found (and locked) already

    def __enter__(self) -> ForeignKeys:
        if connection.vendor != "postgresql":
            return self
        try:
            with transaction.atomic(), connection.cursor() as cursor:  # a savepoint
                cursor.execute("SET LOCAL session_replication_role = replica")
            self.ours = True
        except DatabaseError:  # not allowed: the savepoint undid the attempt
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        return self

    def __exit__(self, *failed: object) -> None:
        if connection.vendor != "postgresql" or any(failed):
            return  # failed: the transaction is rolled back, and the settings with it
        with connection.cursor() as cursor:
            if self.ours:
                cursor.execute("SET LOCAL session_replication_role = origin")
            else:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def check(
        self, model: type[models.Model], columns: list[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Every key of ``rows`` names an existing row (when the triggers are off)."""
        if not self.ours or not rows:
            return
        for spec in model._meta.concrete_fields:
            if not isinstance(spec, models.ForeignKey) or not getattr(spec, "db_constraint", True):
                continue
            if spec.attname not in columns:
                continue
            at = columns.index(spec.attname)
            table = spec.related_model._meta.db_table
            known = self.known.setdefault(table, set())
            wanted = {row[at] for row in rows} - known - {None}
            if not wanted:
                continue
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT id FROM {_quote(table)} WHERE id = ANY(%s) FOR KEY SHARE",  # noqa: S608
                    [sorted(wanted)],
                )
                found = {row[0] for row in cursor.fetchall()}
            if wanted - found:
                raise Problem(
                    spec.name,
                    f"The {spec.related_model._meta.verbose_name} this import refers to was"
                    " deleted meanwhile. Check the mapping and try again.",
                )
            known |= found


def write_rows(
    plan: Plan,
    staged: Path,
    *,
    actor_id: int | None,
    report: Callable[[int], None] | None = None,
) -> Written:
    """Write the staged rows: update the records their keys name, create the others. The
    caller holds the transaction; every batch costs the same few statements."""
    model = SHAPES[plan.target.key].model
    now = timezone.now()
    with _big_cache(), ForeignKeys() as keys:
        return _write_rows(
            plan, staged, model, keys=keys, actor_id=actor_id, now=now, report=report
        )


def _write_rows(
    plan: Plan,
    staged: Path,
    model: type[models.Model],
    *,
    keys: ForeignKeys,
    actor_id: int | None,
    now: datetime,
    report: Callable[[int], None] | None,
) -> Written:
    now_db = (
        _db(model, "created_at", now)
        if any(f.attname == "created_at" for f in model._meta.concrete_fields)
        else now
    )
    written = Written()
    defaults: dict[str, Any] | None = None
    # Keys this import wrote so far, when nothing before it can match one (see _first_import).
    seen: set[str] | None = set() if _first_import(plan) else None
    done = 0
    for columns, batch in staged_batches(staged):
        if defaults is None:
            defaults = _insert_defaults(plan, columns, actor_id, now)
        # The last row of a key wins; earlier ones in the batch are updates of the same record.
        latest: dict[str, tuple[Any, ...]] = {}
        loose: list[tuple[Any, ...]] = []
        for row in batch:
            if row[1]:
                if row[1] in latest:
                    written.updated += 1
                latest[row[1]] = row
            else:
                loose.append(row)
        wanted = list(latest) if seen is None else [key for key in latest if key in seen]
        existing, gone = _existing(plan, wanted) if wanted else ({}, [])
        if seen is not None:
            seen.update(latest)
        updates = [(existing[key], *row[2:]) for key, row in latest.items() if key in existing]
        new = loose + [row for key, row in latest.items() if key not in existing]
        ids = _allocate(model, len(new)) if new else []
        names = ["id", *defaults, *columns]
        constant = tuple(defaults.values())
        insert(
            model,
            names,
            [(pk, *constant, *row[2:]) for pk, row in zip(ids, new, strict=True)],
            keys,
        )
        _update(model, columns, updates, now_db, keys)
        if plan.key == (EXTERNAL_ID,):
            _remember(plan, [(row[1], pk) for pk, row in zip(ids, new, strict=True)], gone)
        _after_insert(plan, ids, columns, new, defaults, actor_id, now, keys)
        if model is Partnership and updates:
            Partnership.objects.filter(pk__in=[row[0] for row in updates]).update(
                data_version=models.F("data_version") + 1
            )
        written.created += len(new)
        written.updated += len(updates)
        if model is Partnership:
            written.created_ids.extend(ids)
        done += len(batch)
        if report is not None:
            report(done)
    written.tables = [
        model._meta.db_table,
        *(history._meta.db_table for history in HISTORY.get(model, ())),
        *([ImportedRecord._meta.db_table] if plan.key == (EXTERNAL_ID,) else []),
    ]
    return written


def _remember(plan: Plan, pairs: list[tuple[str, int]], gone: list[str]) -> None:
    job = plan.job
    if gone:  # records of items deleted since: they point nowhere
        ImportedRecord.objects.filter(
            **job_scope(job), target=job.target, source=job.source, external_key__in=gone
        ).delete()
    insert(
        ImportedRecord,
        ["workspace_id", "partnership_id", "source", "target", "external_key", "object_id"],
        [
            (job.workspace_id, job.partnership_id, job.source, job.target, key, pk)
            for key, pk in pairs
        ],
    )


def _among(ids: list[int]) -> tuple[str, list[Any]]:
    """``id`` among ``ids`` as SQL: a range when they follow each other (always on SQLite,
    whose write lock the import holds while it allocates them)."""
    if ids[-1] - ids[0] + 1 == len(ids):
        return "id BETWEEN %s AND %s", [ids[0], ids[-1]]
    if connection.vendor == "postgresql":
        return "id = ANY(%s)", [ids]
    return f"id IN ({_in(ids)})", list(ids)  # pragma: no cover - SQLite's ids follow


def _after_insert(
    plan: Plan,
    ids: list[int],
    columns: list[str],
    rows: list[tuple[Any, ...]],
    defaults: dict[str, Any],
    actor_id: int | None,
    now: datetime,
    keys: ForeignKeys,
) -> None:
    """The history a new record starts with, as the services write it: a deal's first
    stage, a partnership's first stage."""
    if not ids:
        return
    model = SHAPES[plan.target.key].model
    if model is Opportunity:
        # Set-wise from the deals just written; its keys are theirs (checked with them) and
        # the importing person's (checked as their author).
        among, params = _among(ids)
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_quote(DealStageChange._meta.db_table)}"  # noqa: S608 - ours
                " (opportunity_id, workspace_id, from_stage_id, to_stage_id, changed_at,"
                " changed_by_id)"
                " SELECT id, workspace_id, NULL, stage_id, %s, %s"
                f" FROM {_quote(Opportunity._meta.db_table)} WHERE {among}",
                [_db(DealStageChange, "changed_at", now), actor_id, *params],
            )
    if model is Partnership:
        at = _db(PartnershipStageChange, "changed_at", now)
        index = columns.index("stage") + 2 if "stage" in columns else None
        insert(
            PartnershipStageChange,
            ["partnership_id", "from_stage", "to_stage", "changed_by_id", "changed_at"],
            [
                (pk, "", row[index] if index else defaults["stage"], actor_id, at)
                for pk, row in zip(ids, rows, strict=True)
            ],
            keys,
        )
