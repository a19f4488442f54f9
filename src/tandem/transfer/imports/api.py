"""The imports over HTTP (workspace members): upload a CSV file (multipart), map its
columns, check it (the dry run), start it on the task worker, follow its progress and read
its row errors, or cancel it. The same services as the pages."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from tandem.core.api.items import MEMBER, operation
from tandem.core.http import TandemRequest
from tandem.core.scope import Program
from tandem.transfer.imports import services
from tandem.transfer.imports.models import ImportJob
from tandem.transfer.imports.models import Status as ImportStatus
from tandem.transfer.imports.schemas import (
    ImportMappingIn,
    ImportOut,
    ImportPreviewOut,
    ImportRowErrorOut,
)

router = Router(tags=["Imports"])
IMPORTS = "/workspaces/{workspace_id}/imports"
ONE = IMPORTS + "/{import_id}"


def _job(request: TandemRequest, program: Program, import_id: int) -> ImportJob:
    job = services.job_for(request.actor, import_id)
    if job.workspace_id != program.workspace_id:
        raise Http404(services.NOT_FOUND)
    return job


@operation(router, "get", IMPORTS, level=MEMBER, paginated=True, response=list[ImportOut])
def list_imports(request: TandemRequest, program: Program) -> Any:
    """The workspace's imports, newest first"""
    return services.jobs_for(request.actor, program.workspace_id)


@operation(router, "post", IMPORTS, level=MEMBER, response={201: ImportOut})
def upload_import(
    request: TandemRequest,
    program: Program,
    target: Form[str] = "",
    source: Form[str] = "",
    partnership_id: Form[str] = "",
    encoding: Form[str] = "",
    delimiter: Form[str] = "",
    file: File[UploadedFile | None] = None,
) -> Any:
    """Upload a CSV file (multipart/form-data)

    target: opportunities, ledger_entries, scorecard_values, partnerships or contacts;
    source: where it comes from (e.g. HubSpot: its mapping is remembered); partnership_id for
    the targets inside a partnership; encoding and delimiter are detected unless given."""
    job = services.upload(
        actor=request.actor,
        workspace_id=program.workspace_id,
        target=target,
        source=source,
        file=file,  # type: ignore[arg-type]
        partnership_id=partnership_id,
        encoding=encoding or None,
        delimiter=delimiter or None,
    )
    return Status(201, job)


@operation(router, "get", ONE, level=MEMBER, item="import_id", response=ImportOut)
def get_import(request: TandemRequest, program: Program, item_id: int) -> Any:
    """One import, with its progress (percent, rows done, seconds left)"""
    return _job(request, program, item_id)


@operation(
    router, "get", ONE + "/preview", level=MEMBER, item="import_id", response=ImportPreviewOut
)
def preview_import(request: TandemRequest, program: Program, item_id: int) -> Any:
    """The file's header and first rows, the suggested mapping and the date questions"""
    return services.preview(_job(request, program, item_id))


@operation(router, "put", ONE + "/mapping", level=MEMBER, item="import_id", response=ImportOut)
def map_import(
    request: TandemRequest, program: Program, item_id: int, payload: ImportMappingIn
) -> Any:
    """Map the fields to the file's columns, answer the date questions, choose the key"""
    return services.set_mapping(
        actor=request.actor,
        job=_job(request, program, item_id),
        version=payload.version,
        mapping=payload.mapping if payload.mapping is not None else {},
        date_forms=payload.date_forms or {},
        key=payload.key or [],
        only_valid=payload.only_valid,
    )


@operation(
    router,
    "post",
    ONE + "/check",
    level=MEMBER,
    item="import_id",
    response={200: ImportOut, 202: ImportOut},
)
def check_import(request: TandemRequest, program: Program, item_id: int) -> Any:
    """The dry run: every invalid row listed (read them at /errors); nothing written

    A file up to 5 MB is checked at once: 200, with the import checked (or a 400 problem
    when the file cannot be read, the import then failed). A bigger file is checked on the
    task worker: 202, with the import "checking"; follow it with GET (progress: rows checked
    and, until the file is read, an estimated total) until it is checked or failed. While it
    is checking, its mapping cannot change and it cannot start; POST /cancel stops the dry
    run and the import is uploaded again, its mapping kept."""
    job = services.check(actor=request.actor, job=_job(request, program, item_id))
    return Status(202, job) if job.status == ImportStatus.CHECKING else job


@operation(
    router, "post", ONE + "/start", level=MEMBER, item="import_id", response={202: ImportOut}
)
def start_import(request: TandemRequest, program: Program, item_id: int) -> Any:
    """Import: queued on the task worker; follow it with GET (progress)"""
    return Status(202, services.start(actor=request.actor, job=_job(request, program, item_id)))


@operation(router, "post", ONE + "/cancel", level=MEMBER, item="import_id", response=ImportOut)
def cancel_import(request: TandemRequest, program: Program, item_id: int) -> Any:
    """Cancel: a running import stops at its next batch and writes nothing; a dry run stops
    too, and the import is uploaded again with its mapping"""
    return services.cancel(actor=request.actor, job=_job(request, program, item_id))


@operation(
    router,
    "get",
    ONE + "/errors",
    level=MEMBER,
    item="import_id",
    paginated=True,
    response=list[ImportRowErrorOut],
)
def import_errors(request: TandemRequest, program: Program, item_id: int) -> Any:
    """The rows that cannot be imported: row number, column and reason (the first 1,000)"""
    return _job(request, program, item_id).errors.all()
