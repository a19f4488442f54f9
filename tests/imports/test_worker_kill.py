"""A worker killed in the middle of an import's write leaves nothing written, and the import
can be started again (issue 17). The real task worker, as production runs it, in a process
of its own on a SQLite file; so it runs once, in the SQLite pass of `make test`."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.core.processes import REPO_ROOT, manage, process_env

pytestmark = pytest.mark.sqlite

DEADLINE = 120  # seconds to wait for something to happen; never a measure of speed
ROWS = 30_000  # enough for the write to last several progress reports

SETUP = """
from pathlib import Path
from django.core.files import File
from tandem.accounts.actors import actor_for
from tandem.accounts.models import Membership, User, Workspace
from tandem.partners.models import Partnership
from tandem.transfer.imports import services
workspace = Workspace.objects.create(name="Acme", slug="acme")
maria = User.objects.create_user(email="maria@acme.example", password="x-long-password-1")
Membership.objects.create(workspace=workspace, user=maria, role="member")
northwind = Partnership.objects.create(workspace=workspace, name="Northwind")
actor = actor_for(maria)
with open({path!r}, "rb") as handle:
    job = services.upload(actor=actor, workspace_id=workspace.pk, target="opportunities",
        source="HubSpot", file=File(handle, name="deals.csv"), partnership_id=northwind.pk)
job = services.set_mapping(actor=actor, job=job, version=job.version,
    mapping={{"external_id": "Id", "account_name": "Name", "amount": "Amount"}},
    key=["external_id"])
services.start(actor=actor, job=job)
print("job", job.pk, job.path)
"""

RESTART = """
from tandem.accounts.actors import actor_for
from tandem.transfer.imports import services
from tandem.transfer.imports.models import ImportJob
job = ImportJob.objects.get()
print("stale" if job.is_stale else "alive")
services.start(actor=actor_for(job.created_by), job=job)
"""


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("wb") as out:
        return subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", "task_worker", "--interval", "0.1", "--no-startup-delay"],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _wait(what: str, check: object) -> object:
    deadline = time.monotonic() + DEADLINE
    while True:
        found = check()  # type: ignore[operator]
        if found:
            return found
        assert time.monotonic() < deadline, f"waited in vain for {what}"
        time.sleep(0.05)  # polling, not an assertion


def _one(database: Path, sql: str) -> object:
    with sqlite3.connect(database) as connection:
        return connection.execute(sql).fetchone()[0]


def test_a_worker_killed_mid_import_writes_nothing_and_the_import_runs_again(
    tmp_path: Path,
) -> None:
    database = tmp_path / "tandem.sqlite3"
    env = process_env(database, TANDEM_VAR_DIR=str(tmp_path / "var"))
    manage(env, "migrate", "--noinput")
    deals = tmp_path / "deals.csv"
    with deals.open("w") as out:
        out.write("Id,Name,Amount\n")
        out.writelines(f"{n},Account {n},{n} EUR\n" for n in range(ROWS))
    job_line = manage(env, "shell", "-c", SETUP.format(path=str(deals))).split("job ")[-1]
    upload = Path(job_line.split()[1])
    progress = upload.with_name(f"{upload.stem}.progress")

    worker = _worker(env, tmp_path / "worker-1.log")
    try:

        def writing() -> bool:
            try:
                return int(json.loads(progress.read_text()).get("written", 0)) > 0
            except (OSError, ValueError):
                return False

        _wait("the write to begin", writing)
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert _one(database, "SELECT count(*) FROM pipeline_opportunity") == 0
    assert _one(database, "SELECT count(*) FROM imports_importedrecord") == 0
    assert _one(database, "SELECT status FROM imports_importjob") == "running"

    # Its worker is gone: the import is stale and can be started again.
    assert manage(env, "shell", "-c", RESTART).split()[-1] == "stale"
    worker = _worker(env, tmp_path / "worker-2.log")
    try:
        _wait(
            "the import to finish",
            lambda: _one(database, "SELECT status FROM imports_importjob") in {"done", "failed"},
        )
    finally:
        worker.terminate()
        worker.wait(timeout=30)
    assert _one(database, "SELECT status FROM imports_importjob") == "done"
    assert _one(database, "SELECT count(*) FROM pipeline_opportunity") == ROWS
    assert _one(database, "SELECT count(*) FROM imports_importedrecord") == ROWS
