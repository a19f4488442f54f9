"""Past one machine (issue 19, part 6): on PostgreSQL with REDIS_URL set (sessions, cache and
rate limits in Redis), how the pages' throughput follows the number of app processes, and
the tasks' the number of task workers, on this machine.

    .venv/bin/python bench/scale.py                      # about 5 minutes
    .venv/bin/python bench/scale.py --reuse-data --duration 5 --output /tmp/scale

1. The database ``tandem_bench_scale`` on the local PostgreSQL (BENCH_PG_SERVER): migrated,
   the demo data, ``--months`` of history (bench/generate.py); ``--reuse-data`` keeps it.
2. Pages: for each count of ``--processes`` (1, 2, 4), gunicorn with that many sync worker
   processes (DEBUG off), the lead and Pat at Northwind signed in through the login form;
   wrk (bench/mix.lua) asks in turn for the pages of MIX, 20 connections, ``--duration``
   seconds after a warm-up.
3. Tasks: gunicorn with 2 processes (the Procfile's count) and, for each count of
   ``--task-workers`` (1, 2), that many ``manage.py run_worker`` (django-tasks-db's queue in
   the same database). The queue holds real tasks: ``send_recaps`` of the demo's ended
   meetings, each rendering the recap for every attendee and mailing it to an SMTP sink in
   this process. Tasks done in a window of ``--duration`` seconds with nothing else asked
   ("alone"), then in another with the MIX loaded as above ("with pages").

CPU per request (or per task) is the CPU time the app processes (or the task workers) and
the PostgreSQL backends serving this database spent, divided by the requests (tasks): the
cost, steadier than req/s on a busy machine. Before each measurement it records the load
average (``os.getloadavg``) and the CPUs busy elsewhere over a second, waiting (up to
``--quiet-budget`` s in all) for a quieter machine; a row measured while other work used
more than 0.25 CPUs is marked †. Writes results-scale.json and results-scale.md (bench/, or
``--output``); raw wrk output and server logs go to bench/results/scale/.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import run as harness  # noqa: E402
from pages import CONNECTIONS, LEAD, PAGES, PARTNER, Page  # noqa: E402

ROOT = BENCH.parent
RAW = BENCH / "results" / "scale"
DATASET = harness.Dataset("scale", 0)
PORT = 8767  # bench/run.py takes 8765 and bench/import_csv.py 8766
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2")
KEY_PREFIX = "bench-scale"  # CACHE_KEY_PREFIX: this bench's keys, removed at the end
APP_PROCESSES_WITH_TASKS = 2  # the Procfile's web: line
MIX = (
    "portfolio",
    "partnership (lead)",
    "partnership (partner side)",
    "to-dos (lead)",
    "scorecard (lead)",
    "issues (partner side)",
    "my week (partner side)",
    "dashboard (lead)",
)
TASKS_TABLE = "django_tasks_database_dbtaskresult"
log = harness.log


# --- set-up -------------------------------------------------------------------------------
def environment(secret_key: str, **extra: str) -> dict[str, str]:
    env = harness.server_env(DATASET, secret_key)
    env.update(REDIS_URL=REDIS_URL, CACHE_KEY_PREFIX=KEY_PREFIX, **extra)
    return env


def build(env: dict[str, str], months: int, reuse: bool) -> None:
    if reuse and DATASET.exists():
        log(f"Reusing {DATASET.pg_name} (migrated to this code)")
        harness.manage(env, "migrate", "--noinput")
    else:
        harness.remove_database(DATASET)
        harness.psql(f"CREATE DATABASE {DATASET.pg_name}")
        log(f"Building {DATASET.pg_name}: migrate, load_demo")
        harness.manage(env, "migrate", "--noinput")
        harness.manage(env, "load_demo")
        if months:
            log(f"Adding {months} months of history (bench/generate.py)")
            subprocess.run(
                [sys.executable, str(BENCH / "generate.py"), "--months", str(months)],
                cwd=ROOT,
                env=env,
                check=True,
                stdout=subprocess.DEVNULL,
            )
    harness.manage(env, "collectstatic", "--noinput")
    # Statistics and visibility maps as a database in use has them, so no autovacuum of the
    # freshly loaded tables runs during a measurement.
    sql("VACUUM ANALYZE")


def in_django(env: dict[str, str], code: str) -> Any:
    """What ``code`` (which sets ``found``) finds, run in a Django process on the database."""
    script = f"import django, json\ndjango.setup()\n{code}\nprint(json.dumps(found))\n"
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "tandem.settings"},
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise SystemExit(f"In a Django process:\n{code}\nfailed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def sql(statement: str) -> str:
    done = subprocess.run(
        ["psql", DATASET.url, "-XAtq", "-c", statement], check=True, capture_output=True, text=True
    )
    return done.stdout.strip()


def redis_client() -> Any:
    import redis

    return redis.Redis.from_url(REDIS_URL)


def bench_keys() -> list[bytes]:
    return list(redis_client().scan_iter(match=f"{KEY_PREFIX}:*", count=1000))


def forget_keys() -> None:
    keys = bench_keys()
    if keys:
        redis_client().delete(*keys)


# --- CPU ----------------------------------------------------------------------------------
def process_seconds(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:13]) / harness.TICK  # utime stime


def session_seconds(sid: int) -> float:
    """CPU time of one session's processes: a run_worker supervisor (started in a session of
    its own) and the worker it starts, which gets a process group of its own."""
    return harness.stat_seconds(3, sid)


def redis_seconds() -> float:
    """CPU time of the Redis server(s) on this machine (shared with other users of it)."""
    total = 0.0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/comm") as comm:
                name = comm.read().strip()
        except OSError:
            continue
        if name == "redis-server":
            total += process_seconds(int(entry.name))
    return total


def database_backends() -> dict[int, float]:
    """The PostgreSQL backends connected to this database, with their CPU seconds so far."""
    pids = sql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{DATASET.pg_name}'")
    return {int(pid): process_seconds(int(pid)) for pid in pids.split()}


@dataclass
class Meter:
    """Where the CPU went during a measurement: the app server, the task workers, the
    database's backends, this script with wrk and the SMTP sink, and the rest of the
    machine (other people's work)."""

    server: int
    workers: list[int] = field(default_factory=list)
    found: dict[str, float] = field(default_factory=dict)

    @contextlib.contextmanager
    def measuring(self) -> Iterator[dict[str, float]]:
        wall, busy, ours = time.monotonic(), harness.busy_seconds(), harness.children_seconds()
        server = harness.group_seconds(self.server)
        workers = sum(session_seconds(sid) for sid in self.workers)
        backends = database_backends()
        redis = redis_seconds()
        yield self.found
        wall = time.monotonic() - wall
        busy = harness.busy_seconds() - busy
        server = harness.group_seconds(self.server) - server
        workers = sum(session_seconds(sid) for sid in self.workers) - workers
        database = sum(
            seconds - backends.get(pid, 0.0) for pid, seconds in database_backends().items()
        )
        redis = redis_seconds() - redis
        ours = harness.children_seconds() - ours
        self.found.update(
            wall_s=wall,
            server_cpu_s=server,
            worker_cpu_s=workers,
            database_cpu_s=database,
            redis_cpu_s=redis,
            load_tool_cpu_s=ours,
            background_cores=max(0.0, busy - server - workers - database - redis - ours) / wall,
        )


def before_measuring(quiet: harness.QuietWaiter) -> dict[str, Any]:
    """The machine just before a measurement: the load average, and the CPUs busy over the
    last second (after waiting a while for quiet, within the run's budget)."""
    busy = quiet.wait()
    return {
        "loadavg_1_5_15": [round(value, 2) for value in os.getloadavg()],
        "cpus_busy_before": round(busy, 2),
    }


# --- load ---------------------------------------------------------------------------------
def mix_file(base: str, northwind: int, cookies: dict[str, str]) -> Path:
    by_name = {page.name: page for page in PAGES}
    lines = []
    for name in MIX:
        page: Page = by_name[name]
        assert page.user is not None
        path = page.path.format(northwind=northwind)
        harness.check_page(base, path, page, cookies[page.user])
        lines.append(f"{path}\t{cookies[page.user]}")
    found = RAW / "mix.txt"
    found.write_text("\n".join(lines) + "\n")
    return found


def wrk_mix(wrk_bin: str, base: str, pages: Path, seconds: float, raw: Path | None) -> Any:
    command = [
        wrk_bin,
        "--threads=2",
        f"--connections={CONNECTIONS}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--script=mix.lua",  # runs in bench/, where it finds latency.lua
        base + "/",
        "--",
        str(pages),
    ]
    done = subprocess.run(
        command, cwd=BENCH, check=True, capture_output=True, text=True, timeout=seconds + 30
    )
    if raw is not None:
        raw.write_text(done.stdout + done.stderr)
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result:\n{done.stdout}{done.stderr}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def page_figures(stats: dict[str, Any], cpu: dict[str, float]) -> dict[str, Any]:
    seconds = stats["duration_us"] / 1e6
    requests = stats["requests"] or 1
    ok = stats["statuses"].get("200", 0)
    return {
        "requests": stats["requests"],
        "errors": sum(stats["errors"].values()) + (stats["requests"] - ok),
        "rps": round(stats["requests"] / seconds, 1),
        "p50_ms": round(stats["p50_us"] / 1000, 1),
        "p95_ms": round(stats["p95_us"] / 1000, 1),
        "p99_ms": round(stats["p99_us"] / 1000, 1),
        "app_cpu_ms_per_request": round(cpu["server_cpu_s"] * 1000 / requests, 2),
        "db_cpu_ms_per_request": round(cpu["database_cpu_s"] * 1000 / requests, 2),
        "redis_cpu_ms_per_request": round(cpu["redis_cpu_s"] * 1000 / requests, 3),
        # What one CPU serves when it does nothing else: the ceiling a busy machine hides.
        "rps_per_cpu": round(requests / max(cpu["server_cpu_s"] + cpu["database_cpu_s"], 1e-9), 1),
        "app_cores": round(cpu["server_cpu_s"] / cpu["wall_s"], 2),
        "db_cores": round(cpu["database_cpu_s"] / cpu["wall_s"], 2),
        "load_tool_cores": round(cpu["load_tool_cpu_s"] / cpu["wall_s"], 2),
        "background_cores": round(cpu["background_cores"], 2),
    }


def signed_in(base: str) -> dict[str, str]:
    cookies = {user: harness.login(base, user) for user in (LEAD, PARTNER)}
    if not bench_keys():
        raise SystemExit(f"No session reached Redis ({REDIS_URL}, prefix {KEY_PREFIX}).")
    return cookies


def measure_pages(
    processes: int, args: argparse.Namespace, env: dict[str, str], wrk_bin: str, northwind: int
) -> dict[str, Any]:
    config = harness.ServerConfig(args.port, processes, "sync", 1)
    with harness.server(config, env, RAW / f"server-{processes}.log") as (base, pgid):
        pages = mix_file(base, northwind, signed_in(base))
        wrk_mix(wrk_bin, base, pages, args.warmup, None)  # every process warm on every page
        machine = before_measuring(args.quiet)
        log(f"  pages, {processes} app process(es): {args.duration:g} s, load {machine}")
        meter = Meter(pgid)
        with meter.measuring() as cpu:
            stats = wrk_mix(wrk_bin, base, pages, args.duration, RAW / f"wrk-{processes}.txt")
    return {"app_processes": processes, **machine, **page_figures(stats, cpu)}


# --- tasks --------------------------------------------------------------------------------
class Sink:
    """An SMTP server on loopback that accepts every message and counts it."""

    def __init__(self) -> None:
        self.messages = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        with self.lock:
            self.messages += 1
        return "250 Message accepted for delivery"


@contextlib.contextmanager
def smtp_sink() -> Iterator[tuple[Sink, int]]:
    from aiosmtpd.controller import Controller

    sink = Sink()
    with contextlib.closing(socket.socket()) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


@contextlib.contextmanager
def task_workers(count: int, env: dict[str, str]) -> Iterator[list[int]]:
    """``count`` run_worker processes (each a supervisor and its worker), without the
    scheduler; their sessions' ids."""
    started = []
    try:
        for n in range(count):
            logfile = (RAW / f"worker-{count}-{n}.log").open("wb")
            started.append(
                subprocess.Popen(
                    [sys.executable, "manage.py", "run_worker", "--schedule-every", "0"],
                    cwd=ROOT,
                    env=env,
                    stdout=logfile,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,
                )
            )
        yield [process.pid for process in started]
    finally:
        for process in started:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def enqueue(env: dict[str, str], meetings: list[int], count: int) -> None:
    in_django(
        env,
        "from django.db import transaction\n"
        "from tandem.meetings.tasks import send_recaps\n"
        f"meetings = {meetings!r}\n"
        "with transaction.atomic():\n"
        f"    for n in range({count}):\n"
        "        send_recaps.enqueue(meetings[n % len(meetings)])\n"
        "found = None",
    )


def task_counts() -> dict[str, int]:
    rows = sql(f"SELECT status, count(*) FROM {TASKS_TABLE} GROUP BY status")
    return {status: int(n) for status, n in (row.split("|") for row in rows.splitlines() if row)}


def wait_for_queue(deadline_s: float) -> float:
    """Wait until nothing is ready or running; the seconds it took."""
    started = time.monotonic()
    while True:
        counts = task_counts()
        if not counts.get("READY") and not counts.get("RUNNING"):
            return time.monotonic() - started
        if time.monotonic() - started > deadline_s:
            raise SystemExit(f"The task queue did not empty within {deadline_s:g} s: {counts}")
        time.sleep(0.2)


def task_window(
    seconds: float, meter: Meter, load: Any | None = None
) -> tuple[dict[str, Any], Any]:
    """Tasks finished during ``seconds`` (or during ``load()``, which returns wrk's figures)."""
    done_before = task_counts().get("SUCCESSFUL", 0)
    with meter.measuring() as cpu:
        stats = load() if load is not None else time.sleep(seconds)
    counts = task_counts()
    done = counts.get("SUCCESSFUL", 0) - done_before
    if not counts.get("READY"):
        raise SystemExit("The queue ran dry during a window: raise --tasks.")
    return {
        "tasks": done,
        "tasks_per_s": round(done / cpu["wall_s"], 1),
        "failed_so_far": counts.get("FAILED", 0),
        "worker_cpu_ms_per_task": round(cpu["worker_cpu_s"] * 1000 / max(done, 1), 1),
        "worker_cores": round(cpu["worker_cpu_s"] / cpu["wall_s"], 2),
    }, (stats, dict(cpu))


def measure_tasks(
    workers: int,
    args: argparse.Namespace,
    env: dict[str, str],
    wrk_bin: str,
    base: str,
    pages: Path,
    server_pgid: int,
    meetings: list[int],
    sink: Sink,
) -> dict[str, Any]:
    sql(f"DELETE FROM {TASKS_TABLE}")
    with task_workers(workers, env) as groups:
        # Warm up: every worker started and through a few tasks before the clock runs.
        enqueue(env, meetings, 10 * workers)
        wait_for_queue(120)
        # Each window starts with the workers idle (so the machine's load before it is the
        # rest of the machine's) and a full queue, emptied again after it.
        machine = before_measuring(args.quiet)
        log(f"  tasks, {workers} worker(s), alone: {args.duration:g} s, load {machine}")
        enqueue(env, meetings, args.tasks)
        meter = Meter(server_pgid, groups)
        alone, _ = task_window(args.duration, meter)
        alone_cpu = meter.found
        sql(f"DELETE FROM {TASKS_TABLE} WHERE status = 'READY'")
        wait_for_queue(60)
        machine_2 = before_measuring(args.quiet)
        log(f"  tasks, {workers} worker(s), with pages: {args.duration:g} s, load {machine_2}")
        enqueue(env, meetings, args.tasks)
        meter = Meter(server_pgid, groups)
        with_pages, (stats, cpu) = task_window(
            args.duration,
            meter,
            lambda: wrk_mix(wrk_bin, base, pages, args.duration, RAW / f"wrk-tasks-{workers}.txt"),
        )
        sql(f"DELETE FROM {TASKS_TABLE} WHERE status = 'READY'")
        wait_for_queue(60)
    db_alone = alone_cpu["database_cpu_s"] * 1000 / max(alone["tasks"], 1)
    return {
        "task_workers": workers,
        "alone": {
            **machine,
            **alone,
            "db_cpu_ms_per_task": round(db_alone, 1),
            "tasks_per_cpu_s": round(
                1000 / max(alone["worker_cpu_ms_per_task"] + db_alone, 1e-9), 1
            ),
            "background_cores": round(alone_cpu["background_cores"], 2),
        },
        "with_pages": {**machine_2, **with_pages, "pages": page_figures(stats, cpu)},
        "mails_received_so_far": sink.messages,
    }


# --- report -------------------------------------------------------------------------------
def mark(row: dict[str, Any]) -> str:
    return " †" if row["background_cores"] > harness.NOISY_CORES else ""


def load_text(row: dict[str, Any]) -> str:
    one, five, _ = row["loadavg_1_5_15"]
    return f"{one:.2f} / {five:.2f}"


def markdown(results: dict[str, Any]) -> str:
    config = results["config"]
    lines = [
        "# Past one machine: app processes and task workers (issue 19, part 6)",
        "",
        f"Measured {results['measured_at']} on {results['machine']['cpus']} CPUs"
        f" ({results['machine']['platform']}), PostgreSQL {results['machine']['postgresql']},"
        f" Redis {results['machine']['redis']}: sessions (cached_db), cache and rate limits"
        f" in Redis. Data: {config['data']}. Reproduce: `{config['command']}`.",
        "",
        f"## Pages: a mix of {len(config['mix'])} pages, {CONNECTIONS} connections,"
        f" {config['duration_s']:g} s",
        "",
        "The mix, asked in turn by each connection: " + ", ".join(config["mix"]) + ".",
        "",
        "| app processes | req/s | p50 ms | p95 ms | p99 ms | errors | app CPU ms/req"
        " | db CPU ms/req | Redis CPU ms/req | req/s per CPU | app cores | db cores | wrk cores"
        " | other cores | load avg 1/5 min |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["pages"]:
        lines.append(
            f"| {row['app_processes']}{mark(row)} | {row['rps']:,.0f} | {row['p50_ms']:g}"
            f" | {row['p95_ms']:g} | {row['p99_ms']:g} | {row['errors']}"
            f" | {row['app_cpu_ms_per_request']:g} | {row['db_cpu_ms_per_request']:g}"
            f" | {row['redis_cpu_ms_per_request']:g} | {row['rps_per_cpu']:g}"
            f" | {row['app_cores']:g} | {row['db_cores']:g}"
            f" | {row['load_tool_cores']:g}"
            f" | {row['background_cores']:g} | {load_text(row)} |"
        )
    lines += [
        "",
        f"## Tasks: `send_recaps` of the demo's ended meetings, {config['duration_s']:g} s"
        f" windows, {APP_PROCESSES_WITH_TASKS} app processes",
        "",
        "Each task renders one meeting's recap for every attendee who came and mails it (to"
        " an SMTP sink on loopback). *Alone*: nothing else asked of the server; *with pages*:"
        " the same mix loaded meanwhile.",
        "",
        "| task workers | tasks/s alone | worker CPU ms/task | db CPU ms/task | tasks/s per CPU"
        " | load avg | tasks/s with pages | pages req/s meanwhile | pages p95 ms | load avg |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["tasks"]:
        alone, busy = row["alone"], row["with_pages"]
        pages = busy["pages"]
        lines.append(
            f"| {row['task_workers']} | {alone['tasks_per_s']:g}{mark(alone)}"
            f" | {alone['worker_cpu_ms_per_task']:g} | {alone['db_cpu_ms_per_task']:g}"
            f" | {alone['tasks_per_cpu_s']:g} | {load_text(alone)}"
            f" | {busy['tasks_per_s']:g}{mark(pages)}"
            f" | {pages['rps']:,.0f} | {pages['p95_ms']:g} | {load_text(busy)} |"
        )
    lines += [
        "",
        "*CPU ms/req* (or /task): CPU time of the app processes (the task workers) and of the"
        " PostgreSQL backends of this database (and of the Redis server), per request (task):"
        " the cost, steady while"
        " latency and req/s move with whatever else the machine does; *req/s per CPU* is its"
        " inverse, what one CPU doing nothing else would serve. *other cores*: CPUs"
        " busy with anything else (the other sessions' work on this shared machine); † marks"
        " a measurement during which that exceeded"
        f" {harness.NOISY_CORES:g} CPUs. *load avg*: `os.getloadavg()` just before.",
        "",
        *reading(results),
    ]
    return "\n".join(lines)


def reading(results: dict[str, Any]) -> list[str]:
    """What the tables say, computed from them: how throughput grew with each step, and
    the ceiling the CPU cost sets on this machine."""
    cpus = results["machine"]["cpus"]
    found = ["## Reading", ""]
    pages = results["pages"]
    if pages:
        steps = ", ".join(
            f"{before['app_processes']} → {after['app_processes']} processes"
            f" ×{after['rps'] / before['rps']:.2f}"
            for before, after in zip(pages, pages[1:], strict=False)
        )
        best = max(pages, key=lambda row: row["rps_per_cpu"])
        noisy = sum(1 for row in pages if mark(row))
        found.append(
            f"- Pages: req/s grew {steps or 'not measured across counts'}. A request of the mix"
            f" costs {best['app_cpu_ms_per_request'] + best['db_cpu_ms_per_request']:.1f} ms of"
            f" CPU (app and database, the cheapest row), so {cpus} CPUs doing nothing else"
            f" serve at most about {cpus * best['rps_per_cpu']:,.0f} req/s: one sync process"
            f" keeps at most one CPU busy, {cpus} can reach the ceiling, and more add queueing"
            " and switching, not throughput."
            + (f" {noisy} of {len(pages)} rows ran on a busy machine (†)." if noisy else "")
        )
    tasks = results["tasks"]
    if tasks:
        steps = ", ".join(
            f"{before['task_workers']} → {after['task_workers']} workers"
            f" ×{after['alone']['tasks_per_s'] / max(before['alone']['tasks_per_s'], 1e-9):.2f}"
            for before, after in zip(tasks, tasks[1:], strict=False)
        )
        best = max(tasks, key=lambda row: row["alone"]["tasks_per_cpu_s"])["alone"]
        found.append(
            f"- Tasks: alone, tasks/s grew {steps or 'not measured across counts'}; a task"
            f" costs {best['worker_cpu_ms_per_task'] + best['db_cpu_ms_per_task']:.1f} ms of"
            f" CPU (worker and database), about {cpus * best['tasks_per_cpu_s']:,.0f} tasks/s"
            f" on {cpus} free CPUs. Beside the page load, workers and app processes share the"
            " same CPUs: what the workers take, the pages lose."
        )
    return [*found, ""]


# --- main ---------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=10, help="seconds per measurement")
    parser.add_argument("--warmup", type=float, default=2, help="seconds of warm-up per server")
    parser.add_argument("--processes", default="1,2,4", help="app process counts")
    parser.add_argument("--task-workers", default="1,2", help="task worker counts")
    parser.add_argument(
        "--tasks", type=int, default=3000, help="tasks queued (enough not to run dry)"
    )
    parser.add_argument("--months", type=int, default=3, help="history added to the demo data")
    parser.add_argument("--reuse-data", action="store_true", help="keep tandem_bench_scale")
    parser.add_argument("--port", type=int, default=PORT)
    parser.add_argument("--quiet-budget", type=float, default=60)
    parser.add_argument(
        "--output", type=Path, default=BENCH / "results-scale", help="file name without suffix"
    )
    args = parser.parse_args()
    args.processes = [int(n) for n in args.processes.split(",")]
    args.task_workers = [int(n) for n in args.task_workers.split(",") if n.strip()]
    args.quiet = harness.QuietWaiter(args.quiet_budget, harness.NOISY_CORES)
    return args


def main() -> int:
    args = parse_args()
    harness.DATABASE = "postgres"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally` blocks
    wrk_bin = harness.ensure_wrk()
    RAW.mkdir(parents=True, exist_ok=True)
    redis_client().ping()
    secret_key = secrets.token_urlsafe(40)
    started = time.monotonic()
    env = environment(secret_key)
    build(env, args.months, args.reuse_data)
    northwind = in_django(
        {**env, "PYTHONPATH": str(BENCH)},
        "from pages import OBJECTS\nfound = OBJECTS['northwind']()",
    )
    meetings = in_django(
        env,
        "from tandem.meetings.models import Attendee\n"
        "found = sorted(set(Attendee.objects.filter(meeting__ended_at__isnull=False,"
        " absent=False).values_list('meeting_id', flat=True)))",
    )
    if not meetings:
        raise SystemExit("No ended meeting with attendees in the data: nothing to recap.")
    try:
        pages = [measure_pages(n, args, env, wrk_bin, northwind) for n in args.processes]
        tasks = []
        if args.task_workers:
            with smtp_sink() as (sink, smtp_port):
                env = environment(secret_key, EMAIL_URL=f"smtp://127.0.0.1:{smtp_port}")
                config = harness.ServerConfig(args.port, APP_PROCESSES_WITH_TASKS, "sync", 1)
                with harness.server(config, env, RAW / "server-tasks.log") as (base, pgid):
                    mix = mix_file(base, northwind, signed_in(base))
                    wrk_mix(wrk_bin, base, mix, args.warmup, None)
                    tasks = [
                        measure_tasks(n, args, env, wrk_bin, base, mix, pgid, meetings, sink)
                        for n in args.task_workers
                    ]
    finally:
        forget_keys()
    results = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": f"{platform.system()} {platform.machine()},"
            f" Python {platform.python_version()}",
            "postgresql": sql("SHOW server_version").split()[0],
            "redis": redis_client().info("server")["redis_version"],
            "wrk": harness.wrk_version(wrk_bin),
        },
        "config": {
            "command": " ".join(
                [".venv/bin/python bench/scale.py", *map(shlex.quote, sys.argv[1:])]
            ),
            "database": "postgres",
            "redis_url": REDIS_URL,
            "data": f"the demo data and {args.months} months of history"
            if args.months
            else "the demo data",
            "mix": list(MIX),
            "connections": CONNECTIONS,
            "duration_s": args.duration,
            "server": "gunicorn, sync workers, DEBUG off",
            "recapped_meetings": len(meetings),
            "waited_for_quiet_s": round(args.quiet.waited_s),
        },
        "pages": pages,
        "tasks": tasks,
    }
    table = markdown(results)
    args.output.with_suffix(".json").write_text(json.dumps(results, indent=2) + "\n")
    args.output.with_suffix(".md").write_text(table)
    print()
    print(table)
    log(f"Done in {time.monotonic() - started:.0f} s; wrote {args.output.with_suffix('.md')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
