"""The import pages: the workspace's imports, a new one, and one page that follows a job
from its column mapping through the dry run to the written result. Every step is a call to
``services``; a refusal is shown on the field it concerns, with a 400, and nothing written."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.partners.models import Partnership
from tandem.transfer.imports import reading, services
from tandem.transfer.imports.forms import SOURCES, MappingForm, NewImportForm, StartForm
from tandem.transfer.imports.models import ImportJob
from tandem.transfer.imports.targets import TARGETS

PAGE_SIZE = 25
ERRORS_SHOWN = 1000
# Where a job stands, as the page groups it.
EDITABLE = {"uploaded", "checked"}
RUNNING = {"queued", "running", "checking"}  # on the worker, or waiting for it
RESTARTABLE = {"failed", "cancelled"}
# From this many rows the import page tells that on SQLite others' changes wait meanwhile
# (the write is one transaction: ~30 s for a million rows, bench/results-import.md).
WRITES_WAIT_FROM = 100_000
DELIMITER_NAMES = {",": "commas", ";": "semicolons", "\t": "tabs"}


def _job(request: TandemRequest, job_id: str) -> ImportJob:
    """The job, or 404 when it is not there or not the person's workspace's."""
    return services.job_for(request.actor, parse_id(job_id))


def _partnerships(request: TandemRequest, workspace: Workspace) -> QuerySet[Partnership]:
    return (
        Partnership.objects.visible_to(request.actor)
        .filter(workspace=workspace, archived_at__isnull=True)
        .order_by("name")
    )


def _place(form: Any, error: InvalidInput, names: dict[str, str] | None = None) -> None:
    """The service's refusal on the fields it names (``names`` renames a service's keyword
    to the form's field); what names no field goes above the form."""
    placed = False
    for name, texts in error.errors.items():
        field = (names or {}).get(name, name)
        for text in texts:
            form.add_error(field if field in form.fields else None, text)
            placed = True
    if not placed:
        form.add_error(None, error.detail)


@access("member")
@require_GET
def import_list(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    jobs = services.jobs_for(request.actor, workspace.pk).select_related(
        "created_by", "partnership"
    )
    page = Paginator(jobs.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for job in page.object_list:
        job.target_label = _target_label(job)  # type: ignore[attr-defined]
    return render(
        request,
        "imports/import_list.html",
        {"workspace": workspace, "page": page, "targets": TARGETS, "query": ""},
    )


@access("member")
def import_new(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    partnerships = _partnerships(request, workspace)
    form = NewImportForm(request.POST or None, request.FILES or None, partnerships=partnerships)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        partnership = data.get("partnership")
        try:
            job = services.upload(
                actor=request.actor,
                workspace_id=workspace.pk,
                target=data["target"],
                source=data["source"].strip(),
                file=data["file"],
                partnership_id=partnership.pk if partnership else None,
                encoding=data.get("encoding") or None,
                delimiter=form.delimiter_value(),
            )
        except InvalidInput as error:
            _place(form, error, {"partnership_id": "partnership"})
        else:
            return redirect("import_detail", job.pk)
    return render(
        request,
        "imports/import_new.html",
        {"workspace": workspace, "form": form, "sources": SOURCES},
        status=400 if form.errors else 200,
    )


def _target_label(job: ImportJob) -> str:
    target = TARGETS.get(job.target)
    return target.label if target else job.target


def _mapping_form(job: ImportJob, data: Any = None) -> MappingForm | None:
    """The mapping as it stands: the job's own, else the source's last one, else guessed
    from the column names (``services.preview``); None when the uploaded file is gone."""
    target = TARGETS[job.target]
    try:
        shown = services.preview(job)
    except (OSError, InvalidInput):
        return None
    ambiguous = {
        name: forms
        for name, forms in shown["date_columns"].items()
        if {"us", "eu"} <= set(forms) and "iso" not in forms
    }
    initial = MappingForm.initial_for(
        target, job.mapping or shown["suggested"], shown["date_forms"], shown["key"]
    )
    initial["version"] = job.version
    form = MappingForm(
        data, target=target, header=shown["header"], ambiguous=ambiguous, initial=initial
    )
    form.preview = shown  # type: ignore[attr-defined]
    return form


def _detail(
    request: TandemRequest,
    workspace: Workspace,
    job: ImportJob,
    form: MappingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    target = TARGETS[job.target]
    mappable = job.status in EDITABLE | RESTARTABLE or job.is_stale
    if form is None and mappable:
        form = _mapping_form(job)
    errors = (
        list(job.errors.order_by("row", "pk")[:ERRORS_SHOWN]) if job.status != "uploaded" else []
    )
    return render(
        request,
        "imports/import_detail.html",
        {
            "workspace": workspace,
            "job": job,
            "target": target,
            "form": form,
            "file_gone": mappable and form is None,
            "preview": getattr(form, "preview", None),
            "errors": errors,
            "errors_shown": ERRORS_SHOWN,
            **_progress(job),
            "delimiter_name": DELIMITER_NAMES.get(job.delimiter, repr(job.delimiter)),
            "encoding_name": reading.ENCODINGS.get(job.encoding, job.encoding),
            "stale": job.is_stale,
            # The dry run's result stands until the mapping changes: shown after a check,
            # the import and a cancel, and for an import whose worker died; a failed check
            # shows why. A dry run whose worker died has no result: it is checked again.
            "show_check": job.status in {"checked", "cancelled"}
            or (job.is_stale and job.status != "checking")
            or (job.status == "done" and job.error_count > 0),
            "can_start": job.status in {"checked", "cancelled"}
            or (job.is_stale and job.status != "checking"),
            "skipped": max(job.total_rows - job.created_rows - job.updated_rows, 0),
            "writes_wait": connection.vendor == "sqlite" and job.valid_rows >= WRITES_WAIT_FROM,
            "results_url": _results_url(job),
        },
        status=status,
    )


def _progress(job: ImportJob) -> dict[str, Any]:
    progress = job.progress()
    return {
        "progress": progress,
        "running": job.status in RUNNING and not job.is_stale,
        "time_left": _time_left(progress.seconds_left),
    }


def _time_left(seconds: float | None) -> str:
    """The estimate as a person says it: "about 2 minutes left"."""
    if seconds is None:
        return ""
    if seconds < 10:
        return "a few seconds left"
    if seconds < 90:
        return f"about {round(seconds / 5) * 5:.0f} seconds left"
    minutes = round(seconds / 60)
    if minutes < 90:
        return f"about {minutes} minutes left"
    return f"about {minutes / 60:.1f} hours left"


def _results_url(job: ImportJob) -> str:
    """Where the imported records are listed."""
    partnership_id = job.partnership_id
    if job.target == "partnerships" or partnership_id is None:
        return reverse("portfolio")
    names = {
        "opportunities": "opportunity_list",
        "ledger_entries": "entry_list",
        "scorecard_values": "scorecard",
    }
    name = names.get(job.target, "partnership_detail")
    return reverse(name, args=[partnership_id])


@access("member")
def import_detail(request: TandemRequest, workspace: Workspace, job_id: str) -> HttpResponse:
    """GET: the job as it stands. POST: the mapping saved, then the dry run."""
    job = _job(request, job_id)
    if request.method != "POST":
        return _detail(request, workspace, job)
    if job.status == "checking" and not job.is_stale:
        messages.error(request, "This file is being checked: cancel the dry run to change it.")
        return redirect("import_detail", job.pk)
    if job.status not in EDITABLE | RESTARTABLE and not job.is_stale:
        messages.error(
            request,
            "This import has started or ended: upload the file again to change its mapping.",
        )
        return redirect("import_detail", job.pk)
    form = _mapping_form(job, request.POST)
    if form is None:
        return _detail(request, workspace, job, status=400)
    if not form.is_valid():
        return _detail(request, workspace, job, form, status=400)
    try:
        job = services.set_mapping(
            actor=request.actor,
            job=job,
            version=form.cleaned_data["version"],
            mapping=form.mapping(),
            date_forms=form.date_forms(),
            key=form.key_fields(),
            only_valid=False,
        )
        job = services.check(actor=request.actor, job=job)
    except InvalidInput as error:
        _place_mapping_error(form, error)
        return _detail(request, workspace, job, form, status=400)
    except Conflict:
        form.add_error(
            None,
            "Someone else changed this import while you were mapping it. The page now shows"
            " their mapping: check it and try again.",
        )
        return _detail(request, workspace, _job(request, job_id), form, status=409)
    # A big file is checked on the worker: the page follows its progress.
    anchor = "#progress" if job.status == "checking" else "#check"
    return redirect(reverse("import_detail", args=[job.pk]) + anchor)


def _place_mapping_error(form: MappingForm, error: InvalidInput) -> None:
    """The service names the mapping or the date forms as a whole, and the column in “”:
    the message goes on the select of the field that column was mapped to, or on the date
    question of that column; what names no column goes above the table."""
    mapped = form.mapping()
    dates = {spec.name for spec in form.target.fields if spec.kind == "date"}
    for name, texts in (error.errors or {"": [error.detail]}).items():
        for text in texts:
            field = None
            if name in form.fields:
                field = name
            elif name in {"mapping", "date_forms"}:
                for spec_name, column in mapped.items():
                    if f"“{column}”" in text:
                        is_date = name == "date_forms" and spec_name in dates
                        field = f"form_{spec_name}" if is_date else f"map_{spec_name}"
                        break
            form.add_error(field, text)


@access("member")
@require_POST
def import_start(request: TandemRequest, workspace: Workspace, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose to import every row or only the valid ones.")
        return redirect("import_detail", job.pk)
    try:
        if job.only_valid != (form.cleaned_data["mode"] == "valid"):
            job = services.set_mapping(
                actor=request.actor,
                job=job,
                version=job.version,
                mapping=job.mapping,
                date_forms=job.date_forms,
                key=job.key,
                only_valid=form.cleaned_data["mode"] == "valid",
            )
        services.start(actor=request.actor, job=job)
    except InvalidInput as error:
        messages.error(request, error.detail)
    except Conflict:
        messages.error(request, "Someone else changed this import meanwhile: look again.")
    return redirect(reverse("import_detail", args=[job.pk]) + "#progress")


@access("member")
@require_POST
def import_cancel(request: TandemRequest, workspace: Workspace, job_id: str) -> HttpResponse:
    job = _job(request, job_id)
    checking = job.status == "checking"
    try:
        job = services.cancel(actor=request.actor, job=job)
    except InvalidInput as error:
        messages.error(request, error.detail)
    else:
        if checking:
            if job.status == "checking":  # else the page says it was cancelled
                messages.success(request, "Stopping the dry run: the mapping is kept.")
        elif job.status == "cancelled":
            messages.success(request, "Import cancelled: nothing of it was written.")
        else:
            messages.success(request, "Stopping the import: it writes nothing of the file.")
    return redirect("import_detail", job.pk)


@access("member")
def import_progress(request: TandemRequest, workspace: Workspace, job_id: str) -> HttpResponse:
    """The progress bar, polled every second while the job runs; once it has ended, htmx is
    told to load the page again, which shows the result."""
    job = _job(
        request, job_id
    )  # first: another workspace's import is not there, whatever the method
    if request.method not in {"GET", "HEAD"}:
        # A poll: it changes nothing, so it answers nothing else (require_GET, after the lookup).
        return HttpResponseNotAllowed(["GET", "HEAD"])
    context = {"job": job, **_progress(job)}
    response = render(request, "imports/import_detail.html#progress", context)
    response["Cache-Control"] = "no-store"
    if not context["running"] and request.htmx:
        response["HX-Refresh"] = "true"
    return response
