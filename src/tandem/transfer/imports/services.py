"""The import's steps, for the pages and the API alike: upload, map (with a preview), check
(the dry run), start (on the task worker), cancel. Only a workspace's members import; the
rows are checked and written with their access (``checking``, ``writing``), and one activity
entry records the import."""

from __future__ import annotations

import difflib
import os
import re
import secrets
from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.core import text
from tandem.core.access import Actor
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.ids import parse_id
from tandem.partners.models import Partnership
from tandem.transfer.imports import checking, reading
from tandem.transfer.imports.models import (
    ImportJob,
    SavedMapping,
    Status,
    storage_dir,
)
from tandem.transfer.imports.targets import EXTERNAL_ID, TARGETS, Target

NOT_FOUND = "Not found, or you don't have access to it."
EDITABLE = {Status.UPLOADED, Status.CHECKED, Status.FAILED, Status.CANCELLED}
# A file up to this size is checked while the person waits; a bigger one on the task worker.
CHECKED_WHILE_YOU_WAIT = 5 * 1024 * 1024
FORMS = ("iso", "us", "eu")
SCANNED = 1000  # rows read to tell a date column's form

# What CRMs call the fields (HubSpot, Salesforce, Pipedrive), squeezed as ``_squeeze`` does.
# Column names of HubSpot, Salesforce and Pipedrive exports (squeezed: "Deal - Title" is
# "dealtitle"), in the order they are preferred when a file has more than one of them: the
# customer's account before the deal's own name, an owner's e-mail before their name.
SYNONYMS = {
    EXTERNAL_ID: ("recordid", "dealid", "opportunityid", "externalid", "contactid", "id"),
    "account_name": (
        "accountname",
        "account",
        "company",
        "companyname",
        "organizationname",
        "organisationname",
        "associatedcompany",
        "dealname",
        "opportunityname",
        "dealtitle",
        "title",
    ),
    "account_domain": ("domain", "website", "companydomain", "companydomainname"),
    "stage": ("dealstage", "stagename", "pipelinestage", "opportunitystage"),
    "amount": ("amount", "dealvalue", "value", "opportunityamount"),
    "currency": ("dealcurrency", "currencyisocode", "opportunitycurrency", "amountcurrency"),
    "expected_close": (
        "closedate",
        "expectedclosedate",
        "expectedclose",
        "dealexpectedclosedate",
        "dealclosedate",
    ),
    "owner": (
        "owneremail",
        "dealowneremail",
        "opportunityowneremail",
        "dealowner",
        "opportunityowner",
        "contactowner",
        "ownername",
    ),
    "occurred_on": ("date", "occurredon"),
    "period_start": ("period", "week", "month", "date"),
    "name": (
        "name",
        "fullname",
        "personname",
        "companyname",
        "partnername",
        "partner",
        "organizationname",
    ),
    "email": ("email", "emailaddress", "personemail"),
    "title": ("jobtitle", "title", "persontitle"),
    "phone": ("phone", "phonenumber", "mobile", "personphone"),
}


def _squeeze(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.casefold())


def job_for(actor: Actor, job_id: object) -> ImportJob:
    """The import ``job_id`` if it belongs to one of the actor's workspaces; else 404 (a
    partner-side person has none: imports are the workspace's own)."""
    job = (
        ImportJob.objects.filter(pk=parse_id(job_id), workspace_id__in=actor.workspace_ids)
        .select_related("partnership", "created_by")
        .first()
    )
    if job is None:
        raise Http404(NOT_FOUND)
    return job


def jobs_for(actor: Actor, workspace_id: int) -> QuerySet[ImportJob]:
    """A workspace's imports, newest first (none unless the actor is a member)."""
    if not actor.is_member(workspace_id):
        return ImportJob.objects.none()
    return ImportJob.objects.filter(workspace_id=workspace_id).select_related(
        "partnership", "created_by"
    )


def _member(actor: Actor, workspace_id: int) -> None:
    actor.require(actor.is_member(workspace_id))


def _target(key: object) -> Target:
    target = TARGETS.get(str(key or ""))
    if target is None:
        listed = ", ".join(TARGETS)
        raise InvalidInput.on("target", f"Choose what the file holds ({listed}).")
    return target


def upload(
    *,
    actor: Actor,
    workspace_id: int,
    target: str,
    source: str,
    file: UploadedFile,
    partnership_id: object = None,
    encoding: str | None = None,
    delimiter: str | None = None,
) -> ImportJob:
    """Store an uploaded CSV file under ``var/imports/`` and read its header and first rows.
    Refused: a file over 200 MB, an empty or binary file, a file with a header only."""
    _member(actor, workspace_id)
    kind = _target(target)
    source = text.line("source", source or "", label="the source")
    if not source:
        raise InvalidInput.on("source", "Say where the file comes from (e.g. HubSpot).")
    if len(source) > 60:
        raise InvalidInput.on("source", "Keep the source to 60 characters.")
    partnership = None
    if kind.in_partnership:
        partnership = (
            Partnership.objects.visible_to(actor)
            .filter(workspace_id=workspace_id, pk=parse_id(partnership_id))
            .first()
        )
        if partnership is None:
            raise InvalidInput.on("partnership", "Choose the partnership to import into.")
        if partnership.is_archived:
            raise InvalidInput.on("partnership", "This partnership is archived: restore it first.")
    if file is None:
        raise InvalidInput.on("file", "Choose a CSV file.")
    if (file.size or 0) > reading.MAX_BYTES:
        raise InvalidInput.on("file", "The file is larger than 200 MB: split it in parts.")
    if encoding not in (None, "", *reading.ENCODINGS):
        raise InvalidInput.on("encoding", "Choose UTF-8, UTF-8 with BOM or Windows-1252.")
    if delimiter not in (None, "", *reading.DELIMITERS):
        raise InvalidInput.on("delimiter", "Choose a comma, a semicolon or a tab.")
    folder = storage_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stored = f"{secrets.token_hex(16)}.csv"
    path = folder / stored
    lines = size = 0
    try:
        with path.open("wb") as out:
            for chunk in file.chunks():
                size += len(chunk)
                if size > reading.MAX_BYTES:
                    raise InvalidInput.on(
                        "file", "The file is larger than 200 MB: split it in parts."
                    )
                lines += chunk.count(b"\n")
                out.write(chunk)
        try:
            sniffed = reading.sniff(path, encoding=encoding or None, delimiter=delimiter or None)
        except InvalidInput as error:
            raise InvalidInput.on("file", error.detail) from None
        with transaction.atomic():
            return ImportJob.objects.create(
                workspace_id=workspace_id,
                partnership=partnership,
                created_by=actor.user,
                target=kind.key,
                source=source,
                filename=os.path.basename(file.name or "upload.csv")[:255],
                size=size,
                stored_as=stored,
                encoding=sniffed.encoding,
                delimiter=sniffed.delimiter,
                header=sniffed.header,
                # An estimate until the file is read (quoted line breaks count twice).
                total_rows=max(lines, 1),
            )
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _file(job: ImportJob) -> None:
    if not job.path.is_file():
        raise InvalidInput("The uploaded file is no longer here: upload it again.")


def _sniffed(job: ImportJob) -> reading.Sniffed:
    _file(job)
    return reading.sniff(job.path, encoding=job.encoding, delimiter=job.delimiter, verified=True)


def _column_values(
    job: ImportJob, columns: Iterable[str], limit: int = SCANNED
) -> dict[str, list[str]]:
    """The first ``limit`` values of some columns (to tell a date column's form)."""
    header = list(job.header)
    wanted = {name: header.index(name) for name in columns if name in header}
    found: dict[str, list[str]] = {name: [] for name in wanted}
    if not wanted:
        return found
    _file(job)
    sniffed = reading.Sniffed(job.encoding, job.delimiter, header, [])
    for count, (_line, cells) in enumerate(reading.rows(job.path, sniffed)):
        if count >= limit:
            break
        for name, index in wanted.items():
            if index < len(cells):
                found[name].append(cells[index])
    return found


def _suggest(job: ImportJob, target: Target) -> tuple[dict[str, str], dict[str, Any]]:
    header = list(job.header)
    saved = SavedMapping.objects.filter(
        workspace_id=job.workspace_id, source=job.source, target=job.target
    ).first()
    if saved is not None:
        kept = {f: c for f, c in saved.mapping.items() if c in header and target.field(f)}
        return kept, {"date_forms": saved.date_forms, "key": saved.key, "saved": True}
    squeezed = {_squeeze(column): column for column in header}
    mapping: dict[str, str] = {}
    taken: set[str] = set()
    for spec in target.fields:
        # In order (a set's order changes from one process to the next).
        names = dict.fromkeys(
            (_squeeze(spec.name), _squeeze(spec.label), *SYNONYMS.get(spec.name, ()))
        )
        column = next(
            (squeezed[n] for n in names if n in squeezed and squeezed[n] not in taken), None
        )
        if column is None:
            close = difflib.get_close_matches(
                _squeeze(spec.label), [n for n in squeezed if squeezed[n] not in taken], 1, 0.85
            )
            column = squeezed[close[0]] if close else None
        if column is not None:
            mapping[spec.name] = column
            taken.add(column)
    return mapping, {"date_forms": {}, "key": [], "saved": False}


def preview(job: ImportJob) -> dict[str, Any]:
    """What the mapping page shows: the header, the first rows, a suggested mapping (the
    source's saved mapping, else by the columns' names) and, for each date field, the forms
    its column's values read in (more than one: the person is asked)."""
    target = TARGETS[job.target]
    sniffed = _sniffed(job)
    suggested, saved = _suggest(job, target)
    mapping = job.mapping or suggested
    dates = [spec.name for spec in target.fields if spec.kind == "date" and spec.name in mapping]
    values = _column_values(job, [mapping[name] for name in dates])
    return {
        "header": sniffed.header,
        "sample": sniffed.sample,
        "suggested": suggested,
        "saved": saved["saved"],
        "date_forms": job.date_forms or saved["date_forms"],
        "key": job.key or saved["key"],
        "date_columns": {
            name: sorted(reading.date_forms(values.get(mapping[name], []))) for name in dates
        },
        "fields": target.fields,
        "natural_keys": target.natural_keys,
    }


def _check_version(job: ImportJob, version: object, attempted: dict[str, Any]) -> None:
    if parse_id(version) != job.version:
        current = ImportJob.objects.filter(pk=job.pk).first() or job
        raise Conflict(
            "Someone else changed this import while you were mapping it.",
            current=current,
            attempted=attempted,
            fields=("mapping", "date_forms", "key", "only_valid"),
        )


def _editable(job: ImportJob) -> None:
    if job.status == Status.DONE:
        raise InvalidInput("This file is imported. Upload it again to import it again.")
    if job.status in {Status.QUEUED, Status.RUNNING} and not job.is_stale:
        raise InvalidInput("This import is running: cancel it first.")
    if job.status == Status.CHECKING and not job.is_stale:
        raise InvalidInput(
            "This file is being checked: wait for the dry run to end, or cancel it first."
        )


def set_mapping(
    *,
    actor: Actor,
    job: ImportJob,
    version: object,
    mapping: dict[str, Any],
    date_forms: dict[str, Any] | None = None,
    key: list[str] | tuple[str, ...] | None = None,
    only_valid: bool = False,
) -> ImportJob:
    """Map fields to the file's columns, answer the date questions, choose the key. Refused:
    a field that does not exist, a column not in the file, a required field left unmapped,
    a date column that reads both as US and European dates with no form chosen, a key whose
    fields are not mapped. The mapping is remembered for the next file of the source."""
    _member(actor, job.workspace_id)
    _editable(job)
    target = TARGETS[job.target]
    attempted = {"mapping": mapping, "date_forms": date_forms, "key": key, "only_valid": only_valid}
    _check_version(job, version, attempted)
    if not isinstance(mapping, dict):
        raise InvalidInput.on("mapping", "Send the mapping as field → column.")
    header = list(job.header)
    chosen: dict[str, str] = {}
    for name, column in mapping.items():
        if column in (None, ""):
            continue
        if target.field(str(name)) is None:
            raise InvalidInput.on(
                "mapping",
                f"{target.label} have no field “{str(name)[:60]}”: choose among "
                f"{', '.join(target.names)}.",
            )
        if str(column) not in header:
            raise InvalidInput.on("mapping", f"The file has no column “{str(column)[:80]}”.")
        chosen[str(name)] = str(column)
    missing = [spec.label for spec in target.fields if spec.required and spec.name not in chosen]
    if missing:
        raise InvalidInput.on(
            "mapping", f"Map a column to each required field: {', '.join(missing)}."
        )
    forms = _forms(job, target, chosen, date_forms or {})
    chosen_key = _key(target, chosen, key)
    with transaction.atomic():
        updated = ImportJob.objects.filter(pk=job.pk, version=job.version).update(
            mapping=chosen,
            date_forms=forms,
            key=chosen_key,
            only_valid=bool(only_valid),
            status=Status.UPLOADED,
            error_count=0,
            valid_rows=0,
            version=F("version") + 1,
        )
        if not updated:
            _check_version(job, -1, attempted)
        job.errors.all().delete()
        SavedMapping.objects.update_or_create(
            workspace_id=job.workspace_id,
            source=job.source,
            target=job.target,
            defaults={"mapping": chosen, "date_forms": forms, "key": chosen_key},
        )
    job.refresh_from_db()
    return job


def _forms(
    job: ImportJob, target: Target, chosen: dict[str, str], given: dict[str, Any]
) -> dict[str, str]:
    forms: dict[str, str] = {}
    dates = [spec for spec in target.fields if spec.kind == "date" and spec.name in chosen]
    unknown = set(given) - {spec.name for spec in target.fields if spec.kind == "date"}
    if unknown:
        raise InvalidInput.on("date_forms", f"“{sorted(unknown)[0][:60]}” is not a date field.")
    values = _column_values(job, [chosen[spec.name] for spec in dates if not given.get(spec.name)])
    for spec in dates:
        form = given.get(spec.name)
        if form:
            if form not in FORMS:
                raise InvalidInput.on("date_forms", "Choose iso, us or eu for each date column.")
            forms[spec.name] = str(form)
            continue
        readable = reading.date_forms(values.get(chosen[spec.name], []))
        if {"us", "eu"} <= readable and "iso" not in readable:
            raise InvalidInput.on(
                "date_forms",
                f"Column “{chosen[spec.name]}” has dates such as 03/04/2026 that read as"
                " MM/DD/YYYY and as DD/MM/YYYY: say which form it uses.",
            )
        forms[spec.name] = next((form for form in FORMS if form in readable), "iso")
    return forms


def _key(target: Target, chosen: dict[str, str], key: Iterable[str] | None) -> list[str]:
    if target.fixed_key:
        return list(target.natural_keys[0])
    wanted = [str(name) for name in (key or [])]
    if not wanted:
        return []
    if wanted == [EXTERNAL_ID] or tuple(wanted) in target.natural_keys:
        unmapped = [name for name in wanted if name not in chosen]
        if unmapped:
            raise InvalidInput.on("key", f"Map a column to {unmapped[0]} to use it as the key.")
        return wanted
    choices = ["external_id", *("+".join(k) for k in target.natural_keys)]
    raise InvalidInput.on("key", f"Choose the key among {', '.join(choices)}.")


def _ready(job: ImportJob) -> None:
    _editable(job)
    if not job.mapping:
        raise InvalidInput("Map the file's columns first.")
    if job.partnership is not None and job.partnership.is_archived:
        raise InvalidInput("This partnership is archived. Restore it to import into it.")
    _file(job)


def check(*, actor: Actor, job: ImportJob) -> ImportJob:
    """The dry run: every row checked, every invalid one listed with its row number, column
    and reason (the first 1,000 kept, all counted); nothing is written. A file up to
    ``CHECKED_WHILE_YOU_WAIT`` is checked in the request; a bigger one (a million rows take
    seconds) on the task worker: the job is ``checking`` until it ends, followed and
    cancelled like an import, and its mapping cannot change meanwhile."""
    from tandem.transfer.imports.tasks import keep_check, keep_failed_check, run_check

    _member(actor, job.workspace_id)
    _ready(job)
    if job.size > CHECKED_WHILE_YOU_WAIT:
        job.beside("cancel").unlink(missing_ok=True)
        job.beside("progress").unlink(missing_ok=True)  # a dead worker's last report
        with transaction.atomic():
            ImportJob.objects.filter(pk=job.pk).update(
                status=Status.CHECKING,
                valid_rows=0,
                error_count=0,
                message="",
                started_at=None,
                finished_at=None,
                version=F("version") + 1,
            )
            job.errors.all().delete()  # the last dry run's, now out of date
            transaction.on_commit(lambda: run_check.enqueue(job.pk))
        job.refresh_from_db()
        return job
    try:
        outcome = checking.check_file(checking.plan_for(job))
    except InvalidInput as error:
        keep_failed_check(job, error)
        raise
    keep_check(job, outcome)
    job.refresh_from_db()
    return job


def start(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Queue the import on the task worker. All or nothing unless the person chose to import
    the valid rows only: a checked file with invalid rows is refused here already."""
    from tandem.transfer.imports.tasks import run_import

    _member(actor, job.workspace_id)
    _ready(job)
    invalid = job.total_rows - job.valid_rows
    if job.status == Status.CHECKED and invalid and not job.only_valid:
        raise InvalidInput(
            f"{invalid:,} rows cannot be imported. Correct the file, or choose to"
            " import the valid rows only."
        )
    job.beside("cancel").unlink(missing_ok=True)
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(
            status=Status.QUEUED,
            message="",
            processed_rows=0,
            started_at=None,
            finished_at=None,
            version=F("version") + 1,
        )
        transaction.on_commit(lambda: run_import.enqueue(job.pk))
    job.refresh_from_db()
    return job


def cancel(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Stop an import. Running, it stops at its next batch and its transaction rolls back:
    nothing is written. Queued or not started, it is simply cancelled. A dry run on the
    worker stops too, and the import is uploaded again, its mapping kept."""
    _member(actor, job.workspace_id)
    if job.status == Status.CHECKING:
        return _cancel_check(job)
    if job.status in {Status.DONE, Status.FAILED, Status.CANCELLED}:
        raise InvalidInput("This import has finished: there is nothing to cancel.")
    if job.status == Status.RUNNING and not job.is_stale:
        job.beside("cancel").touch()  # the worker holds the transaction: it is told by file
        return job
    stopped = ImportJob.objects.filter(pk=job.pk, status=job.status).update(
        status=Status.CANCELLED,
        message="Cancelled: nothing was written.",
        finished_at=timezone.now(),
        version=F("version") + 1,
    )
    if not stopped:  # the worker took it meanwhile
        job.beside("cancel").touch()
    job.refresh_from_db()
    return job


def _cancel_check(job: ImportJob) -> ImportJob:
    """Stop a dry run: the job goes back to uploaded, its mapping kept. The worker's stops
    at its next batch (told by file); one still waiting for the worker, or whose worker
    died, is stopped at once (and a worker that comes later finds nothing to do)."""
    from tandem.transfer.imports.tasks import DRY_RUN_CANCELLED

    if job.started_at is not None and not job.is_stale:
        job.beside("cancel").touch()
        return job
    with transaction.atomic():
        stopped = ImportJob.objects.filter(
            pk=job.pk, status=Status.CHECKING, started_at=job.started_at
        ).update(
            status=Status.UPLOADED,
            message=DRY_RUN_CANCELLED,
            started_at=None,
            finished_at=None,
            version=F("version") + 1,
        )
    if stopped:
        job.beside("progress").unlink(missing_ok=True)  # a dead worker's last report
    else:  # the worker took it meanwhile
        job.beside("cancel").touch()
    job.refresh_from_db()
    return job
