"""The import on the task worker: check every row outside any transaction, then write the
valid ones in a single transaction (all or nothing). Progress and the request to stop pass
through files beside the upload, because while the transaction is open nobody else may write
on SQLite, and its own writes are not seen from outside until it commits on either database.
A worker killed mid-way leaves its transaction uncommitted, so nothing is written; its job is
seen to be stale and can be started again.

The dry run of a big file runs here too (``run_check``): one pass, outside any transaction,
with the same progress file and the same way to stop it."""

from __future__ import annotations

import json
import logging
import os
import socket
import time
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.core.errors import InvalidInput
from tandem.core.maintenance import analyze
from tandem.core.services import record
from tandem.transfer.imports import checking, writing
from tandem.transfer.imports.models import ImportJob, ImportRowError, Status
from tandem.transfer.imports.targets import TARGETS

logger = logging.getLogger(__name__)

# Rows written from which the statistics of the tables are refreshed at once: at 100,000 new
# deals, a pipeline page planned on the statistics from before took 0.9 s instead of 0.5 s.
ANALYZE_AFTER = 10_000
REPORT_EVERY = 0.5  # seconds between two progress files (a batch is checked for a stop each time)
DRY_RUN_CANCELLED = "Dry run cancelled: the mapping is kept. Check the file when you are ready."


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
            raise checking.Cancelled
        self.state.update(counts)
        if time.monotonic() - self.last >= REPORT_EVERY:
            self.save()


def _finish(job: ImportJob, status: str, message: str, **counts: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, message=message[:500], finished_at=timezone.now(), **counts
    )


def keep_errors(job: ImportJob, checked: checking.Checked) -> None:
    """The row errors of a check, in place of the last one's (the first 1,000: ``Checked``
    keeps no more; ``error_count`` counts them all). Inside the caller's transaction."""
    ImportRowError.objects.filter(job=job).delete()
    ImportRowError.objects.bulk_create(
        ImportRowError(job=job, row=row, column=column[:255], reason=reason)
        for row, column, reason in checked.errors
    )


def keep_check(job: ImportJob, checked: checking.Checked, **only_if: Any) -> bool:
    """Store a dry run's outcome: checked, with its counts and row errors. ``only_if``
    narrows the update (the worker's dry run stores nothing once the job has moved on);
    False when it did."""
    with transaction.atomic():
        stored = ImportJob.objects.filter(pk=job.pk, **only_if).update(
            status=Status.CHECKED,
            total_rows=checked.total,
            valid_rows=checked.valid,
            error_count=checked.error_count,
            message="",
            version=F("version") + 1,
        )
        if stored:
            keep_errors(job, checked)
    return bool(stored)


def keep_failed_check(job: ImportJob, error: InvalidInput, **only_if: Any) -> None:
    """A file the dry run cannot read (a line that does not parse, a byte that is not text):
    failed, and why."""
    ImportJob.objects.filter(pk=job.pk, **only_if).update(
        status=Status.FAILED, message=error.detail[:500], version=F("version") + 1
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
        plan = checking.plan_for(job)
        checked = checking.check_file(
            plan, staged=staged, report=lambda done: reporter(checked=done)
        )
        reporter.state.update(total=checked.total, checked=checked.total, phase="writing")
        reporter.save()
        counts = {
            "total_rows": checked.total,
            "valid_rows": checked.valid,
            "error_count": checked.error_count,
        }
        if checked.error_count and not job.only_valid:
            with transaction.atomic():
                keep_errors(job, checked)
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
            written = writing.write_rows(
                plan,
                staged,
                actor_id=actor.user.pk if actor.user else None,
                report=lambda done: reporter(written=done),
            )
            keep_errors(job, checked)
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
        if written.created + written.updated >= ANALYZE_AFTER:
            analyze(written.tables)  # the pages' queries are planned for the tables as they are
        return f"done: {written.created} created, {written.updated} updated"
    except checking.Cancelled:
        _finish(job, Status.CANCELLED, "Cancelled: nothing was written.")
        return "cancelled"
    except (InvalidInput, checking.Problem) as error:
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


def check(job: ImportJob) -> str:
    """The dry run of a claimed job on the worker: every row checked as ``services.check``
    does (nothing staged, nothing written), with progress and a way to stop. It ends
    checked, failed (the file cannot be read) or, cancelled, back where it was: uploaded,
    its mapping kept."""
    mine = {"status": Status.CHECKING, "started_at": job.started_at}
    reporter = Reporter(job)
    try:
        reporter()  # a cancel asked before the worker came stops it here
        checked = checking.check_file(
            checking.plan_for(job), report=lambda done: reporter(checked=done)
        )
        reporter(checked=checked.total)  # a cancel during the last batch is obeyed too
        if not keep_check(job, checked, **mine):
            return "skipped: moved on"
        return f"checked: {checked.valid} valid of {checked.total}"
    except checking.Cancelled:
        ImportJob.objects.filter(pk=job.pk, **mine).update(
            status=Status.UPLOADED,
            message=DRY_RUN_CANCELLED,
            started_at=None,
            finished_at=None,
            version=F("version") + 1,
        )
        return "cancelled"
    except InvalidInput as error:
        keep_failed_check(job, error, **mine)
        return "failed"
    except FileNotFoundError:  # removed while the dry run waited for the worker
        gone = InvalidInput("The uploaded file is no longer here: upload it again.")
        keep_failed_check(job, gone, **mine)
        return "failed: the file is gone"
    except Exception:
        logger.exception("The dry run of import %s failed", job.pk)
        ImportJob.objects.filter(pk=job.pk, **mine).update(
            status=Status.FAILED,
            message="The check failed. Try again.",
            version=F("version") + 1,
        )
        raise
    finally:
        for path in (reporter.path, reporter.cancel):
            path.unlink(missing_ok=True)


@task()
def run_check(job_id: int) -> str:
    """Check a big file (claimed once: a second task for the same job does nothing)."""
    now = timezone.now()
    claimed = ImportJob.objects.filter(
        pk=job_id, status=Status.CHECKING, started_at__isnull=True
    ).update(started_at=now, finished_at=None)
    if not claimed:
        return "skipped: not waiting for a check"
    job = ImportJob.objects.select_related("partnership").get(pk=job_id)
    return check(job)
