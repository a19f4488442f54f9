"""The import on the task worker: check every row outside any transaction, then write the
valid ones in a single transaction (all or nothing). Progress and the request to stop pass
through files beside the upload, because while the transaction is open nobody else may write
on SQLite, and its own writes are not seen from outside until it commits on either database.
A worker killed mid-way leaves its transaction uncommitted, so nothing is written; its job is
seen to be stale and can be started again."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.core.errors import InvalidInput
from tandem.core.services import record
from tandem.transfer.imports import engine
from tandem.transfer.imports.models import ImportJob, ImportRowError, Status
from tandem.transfer.imports.targets import TARGETS

logger = logging.getLogger(__name__)

REPORT_EVERY = 0.5  # seconds between two progress files (a batch is checked for a stop each time)


class Reporter:
    """Writes the progress file and stops the import when the cancel file appears."""

    def __init__(self, job: ImportJob) -> None:
        self.job = job
        self.path = job.beside("progress")
        self.cancel = job.beside("cancel")
        self.state: dict[str, Any] = {
            "started": time.time(),
            "total": job.total_rows,
            "checked": 0,
            "written": 0,
            "phase": "checking",
            "pid": os.getpid(),
            "host": socket.gethostname(),
        }
        self.last = 0.0
        self.save()

    def save(self) -> None:
        self.state["beat"] = time.time()
        partial = self.path.with_suffix(".progress-new")
        partial.write_text(json.dumps(self.state))
        partial.replace(self.path)  # readers never see half a file
        self.last = time.monotonic()

    def __call__(self, **counts: Any) -> None:
        if self.cancel.exists():
            raise engine.Cancelled
        self.state.update(counts)
        if time.monotonic() - self.last >= REPORT_EVERY:
            self.save()


def _finish(job: ImportJob, status: str, message: str, **counts: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, message=message[:500], finished_at=timezone.now(), **counts
    )


def _keep_errors(job: ImportJob, checked: engine.Checked) -> None:
    ImportRowError.objects.filter(job=job).delete()
    ImportRowError.objects.bulk_create(
        ImportRowError(job=job, row=row, column=column[:255], reason=reason)
        for row, column, reason in checked.errors
    )


def execute(job: ImportJob) -> str:
    """Run a claimed job to its end: done, failed (nothing written) or cancelled."""
    actor = actor_for(job.created_by)
    if not actor.is_member(job.workspace_id):
        _finish(job, Status.FAILED, "Whoever started this import is no longer a member.")
        return "failed: not a member"
    reporter = Reporter(job)
    staged = job.beside("rows")
    try:
        plan = engine.plan_for(job)
        checked = engine.check_file(plan, staged=staged, report=lambda done: reporter(checked=done))
        reporter.state.update(total=checked.total, checked=checked.total, phase="writing")
        reporter.save()
        counts = {
            "total_rows": checked.total,
            "valid_rows": checked.valid,
            "error_count": checked.error_count,
        }
        if checked.error_count and not job.only_valid:
            with transaction.atomic():
                _keep_errors(job, checked)
                _finish(
                    job,
                    Status.FAILED,
                    f"{checked.invalid:,} rows cannot be imported, so nothing was."
                    " Correct the file, or choose to import the valid rows only.",
                    **counts,
                )
            return "failed: invalid rows"
        if not checked.valid:
            _finish(job, Status.FAILED, "No row can be imported.", **counts)
            return "failed: no valid rows"
        with transaction.atomic():
            written = engine.write_rows(
                plan,
                staged,
                actor_id=actor.user.pk if actor.user else None,
                report=lambda done: reporter(written=done),
            )
            _keep_errors(job, checked)
            label = TARGETS[job.target].label.lower()
            _finish(
                job,
                Status.DONE,
                f"{written.created:,} created, {written.updated:,} updated.",
                created_rows=written.created,
                updated_rows=written.updated,
                processed_rows=checked.total,
                **counts,
            )
            job.refresh_from_db()
            record(
                actor=actor,
                verb="imported",
                target=job,
                changes={
                    label: ["", f"{written.created:,} created, {written.updated:,} updated"],
                    "source": ["", job.source],
                },
            )
        job.path.unlink(missing_ok=True)  # imported: it is not imported twice
        return f"done: {written.created} created, {written.updated} updated"
    except engine.Cancelled:
        _finish(job, Status.CANCELLED, "Cancelled: nothing was written.")
        return "cancelled"
    except (InvalidInput, engine.Problem) as error:
        reason = error.detail if isinstance(error, InvalidInput) else error.reason
        _finish(job, Status.FAILED, f"{reason} Nothing was written.")
        return "failed"
    except Exception:
        logger.exception("Import %s failed", job.pk)
        _finish(job, Status.FAILED, "The import failed; nothing was written. Try again.")
        raise
    finally:
        for path in (staged, reporter.path, reporter.cancel):
            path.unlink(missing_ok=True)


@task()
def run_import(job_id: int) -> str:
    """Import a queued job (claimed once: a second task for the same job does nothing)."""
    claimed = ImportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.RUNNING, started_at=timezone.now(), finished_at=None
    )
    if not claimed:
        return "skipped: not queued"
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    return execute(job)
