"""An import: one uploaded CSV file, its mapping, its dry run's row errors and what it
wrote; the mapping remembered per source; and which record each external id became, so that
the same file imported again updates instead of duplicating."""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models


def storage_dir() -> Path:
    """Where uploads wait for the worker (``var/imports/``): the web process writes them, the
    task worker reads them, and progress and cancellation pass through files beside them."""
    configured = getattr(settings, "IMPORTS_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "imports"


class Status(models.TextChoices):
    UPLOADED = "uploaded", "Uploaded"
    CHECKING = "checking", "Checking"
    CHECKED = "checked", "Checked"
    QUEUED = "queued", "Waiting for the worker"
    RUNNING = "running", "Importing"
    DONE = "done", "Imported"
    FAILED = "failed", "Not imported"
    CANCELLED = "cancelled", "Cancelled"


# A running import (or dry run) writes its progress at least this often; one silent for
# longer died with its worker and may be started (or checked) again.
STALE_SECONDS = 60
# What the task worker runs: the import, and the dry run of a big file. A dry run is claimed
# by the worker when it sets ``started_at``; until then it waits, as a queued import does.
ON_THE_WORKER = {Status.RUNNING, Status.CHECKING}


@dataclass(frozen=True)
class Progress:
    percent: int
    rows_done: int
    total_rows: int
    seconds_left: int | None
    phase: str  # "checking", "writing" or "" when not running (yet)


class ImportJob(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=32)
    source = models.CharField(max_length=60, help_text="Where the file comes from, e.g. HubSpot.")
    filename = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField(default=0)
    # The upload's name under storage_dir().
    stored_as = models.CharField(max_length=100, editable=False)
    encoding = models.CharField(max_length=16)
    delimiter = models.CharField(max_length=2)
    header = models.JSONField(default=list)
    mapping = models.JSONField(default=dict, blank=True)  # field → column
    date_forms = models.JSONField(default=dict, blank=True)  # field → "iso" | "us" | "eu"
    key = models.JSONField(default=list, blank=True)  # fields, or ["external_id"]
    only_valid = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    valid_rows = models.PositiveIntegerField(default=0)
    created_rows = models.PositiveIntegerField(default=0)
    updated_rows = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    concurrency_fields = ("mapping", "date_forms", "key", "only_valid", "status")

    class Meta:
        verbose_name = "import"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["workspace", "-created_at"])]

    def __str__(self) -> str:
        return self.filename

    @property
    def path(self) -> Path:
        return storage_dir() / self.stored_as

    def beside(self, suffix: str) -> Path:
        """A file beside the upload: ``.progress`` (written by the task), ``.cancel`` (the
        request to stop), ``.rows`` (the checked rows, ready to write)."""
        return self.path.with_name(f"{self.path.stem}.{suffix}")

    def live(self) -> dict[str, Any] | None:
        """The running task's last progress report, or None."""
        try:
            return dict(json.loads(self.beside("progress").read_text()))
        except (OSError, ValueError):
            return None

    @property
    def is_stale(self) -> bool:
        """Running (or checking) on paper, but no worker has reported for a while: it died.
        A dry run not yet claimed by a worker is waiting, not stale (like a queued import)."""
        if self.status not in ON_THE_WORKER:
            return False
        if self.status == Status.CHECKING and self.started_at is None:
            return False
        report = self.live()
        if report is None:
            started = self.started_at.timestamp() if self.started_at else time.time()
            return time.time() - started > STALE_SECONDS
        if report.get("host") == socket.gethostname() and not _alive(int(report.get("pid", 0))):
            return True  # its worker is gone (killed): no need to wait
        return time.time() - float(report.get("beat", 0)) > STALE_SECONDS

    @property
    def cancelling(self) -> bool:
        waiting = {Status.QUEUED, Status.RUNNING, Status.CHECKING}
        return self.status in waiting and self.beside("cancel").exists()

    def progress(self) -> Progress:
        """How far the import is: each row is read twice (checked, then written), so the
        percentage counts both passes; the estimate is the time so far scaled to what is left
        (None until there is something to scale). A dry run reads each row once."""
        total = self.total_rows
        if self.status == Status.DONE:
            return Progress(100, total, total, 0, "")
        if self.status == Status.CHECKING:
            return self._check_progress()
        report = self.live() if self.status == Status.RUNNING else None
        if not report:
            return Progress(0, 0, total, None, "")
        total = int(report.get("total") or total or 0)
        checked, written = int(report.get("checked", 0)), int(report.get("written", 0))
        units, all_units = checked + written, max(2 * total, 1)
        percent = min(99, int(100 * units / all_units))
        elapsed = report.get("beat", 0) - report.get("started", 0)
        left = None
        if units and elapsed > 0:
            left = max(0, round(elapsed / units * (all_units - units)))
        phase = "writing" if written or report.get("phase") == "writing" else "checking"
        return Progress(percent, written or checked, total, left, phase)

    def _check_progress(self) -> Progress:
        """The dry run's one pass. The number of rows is known only once the file is read:
        until then the total is the file's line count, taken at upload (a row whose cells
        hold line breaks counts more than once, so the estimate errs on the long side); a
        checked file's own count when it is checked again. Past the estimate, the time left
        is unknown."""
        report = self.live() if self.started_at is not None else None
        if not report:
            return Progress(0, 0, self.total_rows, None, "")
        checked = int(report.get("checked", 0))
        estimate = int(report.get("total") or self.total_rows or 0)
        if checked >= estimate:  # more rows than lines counted: how many more is unknown
            return Progress(99 if checked else 0, checked, max(checked, 1), None, "checking")
        percent = min(99, int(100 * checked / estimate))
        elapsed = report.get("beat", 0) - report.get("started", 0)
        left = None
        if checked and elapsed > 0:
            left = max(0, round(elapsed / checked * (estimate - checked)))
        return Progress(percent, checked, estimate, left, "checking")


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class ImportRowError(models.Model):
    """One reason a row cannot be imported. The first 1,000 are kept; the job counts all."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="errors")
    row = models.PositiveIntegerField()  # the line of the file the row starts on (header: 1)
    column = models.CharField(max_length=255, blank=True)
    reason = models.CharField(max_length=500)

    class Meta:
        ordering = ["row", "id"]

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


class SavedMapping(models.Model):
    """The last mapping used for a source and target in a workspace: the next file from the
    same CRM starts with it."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=60)
    target = models.CharField(max_length=32)
    mapping = models.JSONField(default=dict)
    date_forms = models.JSONField(default=dict)
    key = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "source", "target"], name="imports_one_mapping_per_source"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target}"


class ImportedRecord(models.Model):
    """The record an external id of a source became, in one scope (a partnership, or the
    workspace for program-wide targets). A million of them are written with one import:
    their foreign keys have no database constraint, whose checks would cost PostgreSQL a
    trigger per row at commit (Django still deletes them with their workspace).

    One index, the lookup's, led by the external key. The import looks up 5,000 keys at a
    time while it writes, so the planners' statistics describe the table as it was before
    (empty, often): given a choice, SQLite picked a single-column index on the partnership and
    PostgreSQL an index scan over the scope filtering the keys, both reading every record of
    the partnership for each batch (a million-row import spent 32 s and 22 s there). Led by
    the key, the index is the only way in."""

    workspace = models.ForeignKey(
        "accounts.Workspace",
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    partnership = models.ForeignKey(
        "partners.Partnership",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    source = models.CharField(max_length=60)
    target = models.CharField(max_length=32)
    external_key = models.CharField(max_length=200)
    object_id = models.PositiveBigIntegerField()

    class Meta:
        indexes = [
            models.Index(
                fields=["external_key", "workspace", "partnership", "target", "source"],
                name="imports_record_by_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.external_key} → {self.target} {self.object_id}"
