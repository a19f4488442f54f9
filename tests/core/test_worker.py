"""The task worker outlives a locked database, and its supervisor starts it again when it
dies (issue 20: a long write killed ``db_worker`` for good, and no mail went out).

These run the real commands in subprocesses against a file SQLite database of their own,
as production runs them (Procfile) — whatever the suite's database, so they run once: in the
SQLite pass of `make test`."""

from __future__ import annotations

import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.core.processes import REPO_ROOT, manage, process_env

pytestmark = pytest.mark.sqlite

DEADLINE = 60  # seconds to wait for something to happen; never a measure of speed


def _env(path: Path) -> dict[str, str]:
    return process_env(path)


def _manage(path: Path, *args: str) -> str:
    return manage(_env(path), *args)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("worker") / "migrated.sqlite3"
    _manage(path, "migrate", "--noinput")
    return path


@pytest.fixture
def database(migrated: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tandem.sqlite3"
    shutil.copy(migrated, path)
    return path


class Process:
    """A manage.py command running in the background, its output in a file."""

    def __init__(self, database: Path, log: Path, *args: str) -> None:
        self.log = log
        with log.open("wb") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own command line
                [sys.executable, "manage.py", *args],
                cwd=REPO_ROOT,
                env=_env(database),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def alive(self) -> bool:
        return self.popen.poll() is None

    def wait_for(self, what: str, *, count: int = 1) -> str:
        """Wait until the output holds ``what`` (a regular expression) ``count`` times."""
        deadline = time.monotonic() + DEADLINE
        while len(re.findall(what, self.output())) < count:
            assert self.alive(), f"exited with {self.popen.returncode}:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {what!r} in:\n{self.output()}"
            time.sleep(0.1)  # polling, not an assertion
        return self.output()

    def stop(self) -> None:
        if self.alive():
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(timeout=5)


@pytest.fixture
def start(database: Path, tmp_path: Path) -> Iterator[Callable[..., Process]]:
    started: list[Process] = []

    def run(*args: str) -> Process:
        process = Process(database, tmp_path / f"{args[0]}-{len(started)}.log", *args)
        started.append(process)
        return process

    yield run
    for process in started:
        process.stop()


def _enqueue_and_wait(database: Path) -> str:
    """Queue a real task (an invitation e-mail, long withdrawn) and wait until a worker ran
    it; return what it answered."""
    task_id = _manage(
        database,
        "shell",
        "-c",
        "from tandem.accounts.tasks import send_invitation; print(send_invitation.enqueue(0).id)",
    ).split()[-1]
    deadline = time.monotonic() + DEADLINE
    with sqlite3.connect(database) as connection:
        while True:
            row = connection.execute(
                "SELECT status, return_value FROM django_tasks_database_dbtaskresult"
                " WHERE replace(id, '-', '') = ?",
                (task_id.replace("-", ""),),
            ).fetchone()
            if row and row[0] == "SUCCESSFUL":
                return str(row[1])
            assert time.monotonic() < deadline, f"task {task_id} is still {row}"
            time.sleep(0.1)  # polling, not an assertion


WORKER_OPTIONS = ("--interval", "0.1", "--no-startup-delay")


def test_the_worker_waits_out_a_locked_database_then_runs_tasks(
    start: Callable[..., Process], database: Path
) -> None:
    worker = start("task_worker", *WORKER_OPTIONS)
    worker.wait_for("Starting worker")
    # Another process holds SQLite's write lock for longer than busy_timeout, as a slow
    # write used to.
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        worker.wait_for("the database failed \\(database is locked\\)")
    finally:
        lock.execute("COMMIT")
        lock.close()
    assert worker.alive()
    assert _enqueue_and_wait(database) == '"skipped: no longer pending"'
    assert worker.alive()


def test_the_supervisor_starts_a_killed_worker_again(
    start: Callable[..., Process], database: Path
) -> None:
    supervisor = start("run_worker", "--restart-delay", "0.1", "--", *WORKER_OPTIONS)
    first = int(re.findall(r"task worker, pid (\d+)", supervisor.wait_for("task worker, pid"))[0])
    os.kill(first, signal.SIGKILL)
    output = supervisor.wait_for("task worker, pid", count=2)
    second = int(re.findall(r"task worker, pid (\d+)", output)[1])
    assert second != first
    assert f"task worker (pid {first}) exited with -9" in output
    assert _enqueue_and_wait(database) == '"skipped: no longer pending"'

    supervisor.popen.terminate()
    assert supervisor.popen.wait(timeout=DEADLINE) == 0
    with pytest.raises(ProcessLookupError):
        os.kill(second, 0)  # stopped with its supervisor, not left behind
