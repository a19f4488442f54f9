"""The scheduler (tandem.core.schedule): each registered task is enqueued once per hour or
ISO week, whoever looks and however often, and ``run_worker`` does the looking."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks import task

from tandem.core import schedule
from tandem.core.models import ScheduledRun
from tandem.core.schedule import enqueue_due, every, period_start
from tests.core.processes import REPO_ROOT, manage, process_env
from tests.core.schedule_probe import ping

UTC = dt.UTC
calls: list[str] = []


@task()
def record(start: str) -> None:
    """A scheduled task that notes each call (the tests run tasks in process)."""
    calls.append(start)


RECORD = "tests.core.test_schedule.record"
PING = "tests.core.schedule_probe.ping"


def at(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _own_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only this test's registrations: the apps' own tasks must not run here."""
    monkeypatch.setattr(schedule, "_registry", {})
    calls.clear()


# --- periods ----------------------------------------------------------------------------


def test_an_hour_starts_at_its_top_in_utc() -> None:
    assert period_start("hour", at(2026, 3, 29, 1, 59, 59)) == at(2026, 3, 29, 1)
    assert period_start("hour", at(2026, 3, 29, 2)) == at(2026, 3, 29, 2)
    paris = dt.timezone(dt.timedelta(hours=2))
    assert period_start("hour", dt.datetime(2026, 3, 29, 3, 30, tzinfo=paris)) == at(2026, 3, 29, 1)


def test_a_week_starts_on_monday_at_midnight_utc() -> None:
    sunday_night = at(2026, 12, 6, 23, 59, 59)
    monday = at(2026, 12, 7)
    assert period_start("week", sunday_night) == at(2026, 11, 30)
    assert period_start("week", monday) == monday
    assert period_start("week", at(2026, 12, 9, 13, 5)) == monday
    # Sunday 20:00 in New York is Monday 01:00 UTC: the week has begun.
    new_york = dt.timezone(dt.timedelta(hours=-5))
    assert period_start("week", dt.datetime(2026, 12, 6, 20, tzinfo=new_york)) == monday


def test_iso_week_53_runs_across_the_new_year() -> None:
    start = period_start("week", at(2027, 1, 3, 23, 59))
    assert start == at(2026, 12, 28)
    assert start.isocalendar()[:2] == (2026, 53)
    assert period_start("week", at(2027, 1, 4)).isocalendar()[:2] == (2027, 1)


def test_a_period_needs_an_aware_time_and_a_known_name() -> None:
    with pytest.raises(ValueError, match="aware"):
        period_start("hour", dt.datetime(2026, 12, 6, 12))  # noqa: DTZ001 - the point
    with pytest.raises(ValueError, match="hour, week"):
        every("day", record)  # type: ignore[arg-type]


def test_registering_takes_tasks_once_with_one_period() -> None:
    every("hour", record)
    every("hour", record)  # an app's ready() run twice changes nothing
    assert [scheduled.name for scheduled in schedule.registered()] == [RECORD]
    with pytest.raises(ValueError, match="already scheduled every hour"):
        every("week", record)
    with pytest.raises(TypeError, match="@task"):
        every("hour", print)  # type: ignore[arg-type]


# --- enqueuing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_period_is_enqueued_once_however_often_one_looks() -> None:
    every("hour", record)
    every("week", ping)
    now = at(2026, 12, 7, 9, 15)

    assert enqueue_due(now) == [PING, RECORD]
    assert enqueue_due(now) == []
    assert enqueue_due(now + dt.timedelta(minutes=44)) == []
    assert calls == ["2026-12-07T09:00:00+00:00"]

    assert enqueue_due(at(2026, 12, 7, 10)) == [RECORD]  # a new hour, the same week
    assert calls == ["2026-12-07T09:00:00+00:00", "2026-12-07T10:00:00+00:00"]
    runs = ScheduledRun.objects.order_by("period_start", "name")
    assert [(run.name, run.period, run.period_start) for run in runs] == [
        (PING, "week", at(2026, 12, 7)),
        (RECORD, "hour", at(2026, 12, 7, 9)),
        (RECORD, "hour", at(2026, 12, 7, 10)),
    ]
    assert all(run.task_id for run in runs)


@pytest.mark.django_db
def test_missed_periods_are_not_replayed() -> None:
    every("week", record)
    enqueue_due(at(2026, 11, 16, 8))
    # The worker was down for three weeks.
    assert enqueue_due(at(2026, 12, 9, 8)) == [RECORD]
    assert calls == ["2026-11-16T00:00:00+00:00", "2026-12-07T00:00:00+00:00"]


@pytest.mark.django_db
def test_whoever_loses_the_race_enqueues_nothing() -> None:
    """Another worker inserts the same run between this one's look and its insert."""
    every("hour", record)
    now = at(2026, 12, 7, 9, 15)
    state = {"raced": False}

    def other_worker_wins(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        result = execute(sql, params, many, context)
        if not state["raced"] and sql.lstrip().upper().startswith("SELECT"):
            state["raced"] = True
            ScheduledRun.objects.create(name=RECORD, period="hour", period_start=at(2026, 12, 7, 9))
        return result

    with connection.execute_wrapper(other_worker_wins):
        assert enqueue_due(now) == []
    assert state["raced"]
    assert calls == []
    assert ScheduledRun.objects.count() == 1


@pytest.mark.django_db
def test_a_look_costs_the_same_whatever_the_history() -> None:
    every("hour", record)
    every("week", ping)

    def cost_of_a_look(hours_of_history: int) -> int:
        ScheduledRun.objects.all().delete()
        first = at(2026, 1, 5)
        for hour in range(hours_of_history):
            enqueue_due(first + dt.timedelta(hours=hour))
        with CaptureQueriesContext(connection) as queries:
            assert enqueue_due(first + dt.timedelta(hours=hours_of_history - 1)) == []
        return len(queries)

    assert cost_of_a_look(2) == cost_of_a_look(200) == 1


@pytest.mark.django_db
def test_the_command_enqueues_what_is_due_once() -> None:
    every("hour", record)
    out = io.StringIO()
    call_command("enqueue_due", stdout=out)
    call_command("enqueue_due", stdout=out)
    assert out.getvalue() == f"Enqueued {RECORD}.\nNothing due.\n"
    assert len(calls) == 1


def test_the_scheduler_cannot_run_every_negative_second() -> None:
    with pytest.raises(CommandError, match="--schedule-every"):
        call_command("run_worker", schedule_every=-1)


# --- end to end: run_worker's scheduler and the real task worker -------------------------
# These run the real commands in subprocesses against a SQLite file of their own (as
# tests/core/test_worker.py does), so they run once: in the SQLite pass. The settings add
# tests/core/schedule_probe.py, an app whose ready() registers `ping` every hour.

DEADLINE = 120  # seconds to wait for something to happen; never a measure of speed
WORKER = ("--", "--interval", "0.1", "--no-startup-delay")


def _env(database: Path) -> dict[str, str]:
    return process_env(database, settings="tests.core.schedule_probe_settings", LOG_LEVEL="DEBUG")


def _manage(database: Path, *args: str) -> str:
    return manage(_env(database), *args)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schedule") / "migrated.sqlite3"
    _manage(path, "migrate", "--noinput")
    return path


@pytest.fixture
def database(migrated: Path, tmp_path: Path) -> Path:
    path = tmp_path / "tandem.sqlite3"
    path.write_bytes(migrated.read_bytes())
    return path


class Supervisor:
    """``manage.py run_worker`` in the background, its output in a file."""

    def __init__(self, database: Path, log: Path, *args: str) -> None:
        self.log = log
        with log.open("wb") as out:
            self.popen = subprocess.Popen(  # noqa: S603 - our own command line
                [sys.executable, "manage.py", "run_worker", *args],
                cwd=REPO_ROOT,
                env=_env(database),
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, what: str, *, count: int = 1) -> str:
        """Wait until the output holds ``what`` (a regular expression) ``count`` times."""
        deadline = time.monotonic() + DEADLINE
        while len(re.findall(what, self.output())) < count:
            assert self.popen.poll() is None, f"exited:\n{self.output()}"
            assert time.monotonic() < deadline, f"no {what!r} in:\n{self.output()}"
            time.sleep(0.1)  # polling, not an assertion
        return self.output()

    def stop(self) -> int:
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.popen.kill()
        return self.popen.wait(timeout=5)


@pytest.fixture
def start(database: Path, tmp_path: Path) -> Iterator[Callable[..., Supervisor]]:
    started: list[Supervisor] = []

    def run(*args: str) -> Supervisor:
        supervisor = Supervisor(database, tmp_path / f"run_worker-{len(started)}.log", *args)
        started.append(supervisor)
        return supervisor

    yield run
    for supervisor in started:
        supervisor.stop()


def _pings_done(database: Path) -> list[tuple[str, str, str]]:
    """Each scheduled run of ping with its task's result, once that task has succeeded:
    (period start, task id, what the task answered)."""
    deadline = time.monotonic() + DEADLINE
    with sqlite3.connect(database) as db:
        while True:
            rows = db.execute(
                "SELECT run.period_start, run.task_id, result.status, result.return_value"
                " FROM core_scheduledrun run LEFT JOIN django_tasks_database_dbtaskresult result"
                " ON replace(result.id, '-', '') = replace(run.task_id, '-', '')"
                " WHERE run.name = ? ORDER BY run.period_start",
                (PING,),
            ).fetchall()
            if rows and all(row[2] == "SUCCESSFUL" for row in rows):
                return [(row[0], row[1], json.loads(row[3])) for row in rows]
            assert time.monotonic() < deadline, f"ping has not run: {rows}"
            time.sleep(0.1)  # polling, not an assertion


def _ping_results(database: Path) -> int:
    with sqlite3.connect(database) as db:
        return int(
            db.execute(
                "SELECT count(*) FROM django_tasks_database_dbtaskresult WHERE task_path = ?",
                (PING,),
            ).fetchone()[0]
        )


@pytest.mark.sqlite
def test_run_worker_enqueues_a_registered_task_once_and_the_worker_runs_it(
    start: Callable[..., Supervisor], database: Path
) -> None:
    supervisor = start("--schedule-every", "0.2", *WORKER)
    supervisor.wait_for(
        r"Scheduler: looks for due tasks every 0\.2 s \(registered: .*" + re.escape(PING)
    )
    supervisor.wait_for(f"Scheduler: enqueued {re.escape(PING)} for")
    done = _pings_done(database)
    # More looks find nothing due, in this process and in another one.
    supervisor.wait_for("Scheduler: nothing due", count=3)
    hour = period_start("hour", dt.datetime.now(UTC))
    if done[-1][0].startswith(hour.strftime("%Y-%m-%d %H:00")):
        assert _manage(database, "enqueue_due") == "Nothing due.\n"
    done = _pings_done(database)
    for start_at, task_id, answer in done:
        assert task_id
        stored = dt.datetime.fromisoformat(start_at).replace(tzinfo=UTC)
        assert answer == f"ran for {stored.isoformat()}"
    assert _ping_results(database) == len(done)  # one task per period, never two
    assert supervisor.stop() == 0


@pytest.mark.sqlite
def test_the_scheduler_waits_out_a_locked_database(
    start: Callable[..., Supervisor], database: Path
) -> None:
    # Another process holds SQLite's write lock for longer than busy_timeout.
    lock = sqlite3.connect(database, isolation_level=None)
    lock.execute("BEGIN EXCLUSIVE")
    try:
        supervisor = start("--schedule-every", "0.5", *WORKER)
        supervisor.wait_for("Scheduler: the database failed \\(database is locked\\)")
        assert _ping_results(database) == 0
    finally:
        lock.execute("COMMIT")
        lock.close()
    supervisor.wait_for(f"Scheduler: enqueued {re.escape(PING)} for")
    assert [answer.startswith("ran for ") for _, _, answer in _pings_done(database)] == [True]
    assert supervisor.stop() == 0
