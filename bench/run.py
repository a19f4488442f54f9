"""`make bench`: how fast the pages are, on the production server, with small and large data.

For each data set (the demo data; the demo plus 3 months of history; plus 3 years) it
1. builds a fresh SQLite database under var/bench/ (migrate, load_demo, bench/generate.py),
2. looks inside it in process (bench/probe.py): ids, data size, each page's SQL query count,
3. starts gunicorn (several worker processes, DEBUG off) on 127.0.0.1 and signs in over HTTP,
4. loads every page of bench/pages.py with wrk from this second process: first the floor
   (`/_floor`, no database), then each page, with the same connections and duration,
5. holds the live meeting with 50 attendees polling it (bench/live.py; `--live-only` alone),
6. stops the server (also on error or Ctrl-C).

It writes bench/results.json and bench/results.md (p50/p95/p99, requests per second, the
ratio to the floor of the same run, the bar) and prints the table. Raw wrk output and the
server log and each page's SQL go to bench/results/ (not committed). The exit status is 1
when a page misses the bar or does not cost the same with more history.

Options (`python bench/run.py --help`) change the duration, the data sets, the workers.
"""

from __future__ import annotations

import argparse
import contextlib
import http.cookiejar
import json
import os
import platform
import re
import resource
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import live  # noqa: E402
from pages import (  # noqa: E402
    CONNECTIONS,
    FLOOR,
    MIN_FLOOR_RATIO,
    P95_BAR_MS,
    PAGES,
    PASSWORD,
    Page,
)

ROOT = BENCH.parent
VAR = ROOT / "var" / "bench"
RAW = BENCH / "results"
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
NOISY_CORES = 0.25  # other work on the machine above this makes a measurement noisy
MAX_COST_GROWTH = 1.2  # CPU per request, 3 years of history against 3 months (issue 19)
# The database the data sets live in (--database): SQLite files under var/bench/, or
# databases on the PostgreSQL server of PG_SERVER (made from the demo's as a template).
DATABASE = "sqlite"
LABELS = {"sqlite": "SQLite", "postgres": "PostgreSQL"}
PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432")


@dataclass(frozen=True)
class Dataset:
    name: str
    months: int  # history added to the demo data by bench/generate.py; 0: the demo alone
    partnerships: int = 0  # the program's size (bench/generate.py --partnerships); 0: as made
    # "generate": the demo plus bench/generate.py's history; "large": bench/large.py's
    # program of `partnerships` over `months` (the issue-19 shape), from an empty database.
    builder: str = "generate"

    @property
    def path(self) -> Path:
        return VAR / f"{self.slug}.sqlite3"

    @property
    def slug(self) -> str:
        return self.name.replace(" ", "-")

    @property
    def pg_name(self) -> str:
        return "tandem_bench_" + self.slug.replace("-", "_")

    @property
    def url(self) -> str:
        if DATABASE == "postgres":
            return f"{PG_SERVER}/{self.pg_name}"
        return f"sqlite:///{self.path}"

    def exists(self) -> bool:
        if DATABASE == "postgres":
            return bool(psql(f"SELECT 1 FROM pg_database WHERE datname = '{self.pg_name}'"))
        return self.path.exists()


DATASETS = [Dataset("demo", 0), Dataset("3 months", 3), Dataset("3 years", 36)]
# A large program, measured on request (--datasets "1000 partnerships"): the dashboard's bar.
LARGE = [
    Dataset("1000 partnerships", 3, 1000),
    Dataset("1000 partnerships 3 years", 36, 1000),
    # The large program (bench/large.py): the same shape per partnership at 10 and at 1,000.
    Dataset("program of 10", 36, 10, builder="large"),
    Dataset("program of 1000", 36, 1000, builder="large"),
]
# Data sets whose pages must cost the same (CPU per request within MAX_COST_GROWTH): more
# history, and a larger program.
SAME_COST = [("3 months", "3 years"), ("program of 10", "program of 1000")]


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- tools and environment ----------------------------------------------------------------
def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0:
        raise SystemExit("wrk is missing: install it with `sudo apt-get install wrk` and rerun.")
    log("Installing Debian's wrk")
    subprocess.run(["apt-get", "update", "-qq"], check=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        stdout=subprocess.DEVNULL,
    )
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("apt-get installed wrk but it is not on PATH.")
    return found


def server_env(dataset: Dataset, secret_key: str) -> dict[str, str]:
    """Production settings (DEBUG off) over plain HTTP on loopback, on the data set's file."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("TANDEM_", "DJANGO_")) and key != "DATABASE_URL"
    }
    env.update(
        DATABASE_URL=dataset.url,
        DEBUG="0",
        SECRET_KEY=secret_key,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SECURE_HSTS_SECONDS="0",
        STATIC_MANIFEST="1",  # hashed static files, as collectstatic leaves them in production
        AXES_ENABLED="0",  # the bench signs in often; lockouts are not what it measures
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    command = [sys.executable, "manage.py", *args]
    subprocess.run(command, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def psql(sql: str) -> str:
    """One statement on the PostgreSQL server's maintenance database; its output."""
    done = subprocess.run(
        ["psql", f"{PG_SERVER}/postgres", "-XAtq", "-c", sql],
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def remove_database(dataset: Dataset) -> None:
    if DATABASE == "postgres":
        psql(f"DROP DATABASE IF EXISTS {dataset.pg_name} WITH (FORCE)")
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{dataset.path}{suffix}").unlink(missing_ok=True)


def copy_database(source: Dataset, target: Dataset) -> None:
    """A data set starts as a copy of the demo's."""
    remove_database(target)
    if DATABASE == "postgres":
        psql(f"CREATE DATABASE {target.pg_name} TEMPLATE {source.pg_name}")
        return
    into, out = sqlite3.connect(source.path), sqlite3.connect(target.path)
    with out:
        into.backup(out)
    into.close()
    out.close()


def build_datasets(datasets: list[Dataset], secret_key: str, *, reuse: bool = False) -> None:
    VAR.mkdir(parents=True, exist_ok=True)
    demo = Dataset("demo", 0)
    if reuse and demo.exists():
        # The 1,000-partnership sets take minutes to generate: keep the files of an earlier
        # run, brought up to this code's migrations, and build only the missing ones.
        kept = [dataset for dataset in [demo, *datasets] if dataset.exists()]
        for dataset in kept:
            log(f"Reusing the {dataset.name!r} data set (migrated to this code)")
            manage(server_env(dataset, secret_key), "migrate", "--noinput")
        manage(server_env(demo, secret_key), "collectstatic", "--noinput")
        datasets = [dataset for dataset in datasets if dataset not in kept]
    else:
        remove_database(demo)
        if DATABASE == "postgres":
            psql(f"CREATE DATABASE {demo.pg_name}")
        env = server_env(demo, secret_key)
        log(f"Building the demo data set on {DATABASE}")
        manage(env, "migrate", "--noinput")
        manage(env, "load_demo")
        manage(env, "collectstatic", "--noinput")
    for dataset in datasets:
        if dataset.builder == "large":
            build_large(dataset, secret_key)
            continue
        if dataset.months == 0:
            continue
        copy_database(demo, dataset)
        log(f"Adding {dataset.months} months of history for the {dataset.name!r} data set")
        subprocess.run(
            [
                sys.executable,
                str(BENCH / "generate.py"),
                "--months",
                str(dataset.months),
                *(["--partnerships", str(dataset.partnerships)] if dataset.partnerships else []),
            ],
            cwd=ROOT,
            env=server_env(dataset, secret_key),
            check=True,
            stdout=subprocess.DEVNULL,
        )


def build_large(dataset: Dataset, secret_key: str) -> None:
    """A program made by bench/large.py on an empty database (it migrates and loads the demo
    data itself)."""
    remove_database(dataset)
    if DATABASE == "postgres":
        psql(f"CREATE DATABASE {dataset.pg_name}")
    log(f"Generating the {dataset.name!r} data set (bench/large.py)")
    subprocess.run(
        [
            sys.executable,
            str(BENCH / "large.py"),
            "--partnerships",
            str(dataset.partnerships),
            "--months",
            str(dataset.months),
        ],
        cwd=ROOT,
        env=server_env(dataset, secret_key),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def probe(dataset: Dataset, secret_key: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(BENCH / "probe.py")],
        cwd=ROOT,
        env=server_env(dataset, secret_key),
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


# --- the server ---------------------------------------------------------------------------
@dataclass(frozen=True)
class ServerConfig:
    port: int
    workers: int
    worker_class: str
    threads: int

    def describe(self) -> str:
        threads = f" x {self.threads} threads" if self.worker_class == "gthread" else ""
        return f"gunicorn, {self.workers} {self.worker_class} workers{threads}"


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((HOST, port)) == 0


@contextlib.contextmanager
def server(config: ServerConfig, env: dict[str, str], logfile: Path) -> Iterator[tuple[str, int]]:
    """The running server's base URL and process group."""
    if port_in_use(config.port):
        raise SystemExit(f"Port {config.port} is in use; pick another with --port.")
    command = [
        str(BIN / "gunicorn"),
        "tandem.wsgi:application",
        f"--bind={HOST}:{config.port}",
        f"--workers={config.workers}",
        f"--worker-class={config.worker_class}",
        f"--threads={config.threads}",
        "--backlog=2048",
        "--log-level=warning",
        f"--error-logfile={logfile}",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    base = f"http://{HOST}:{config.port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise SystemExit(f"The server exited ({process.returncode}); see {logfile}.")
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit(f"The server did not answer within 60 s; see {logfile}.")
            time.sleep(0.2)
        yield base, process.pid
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Stop gunicorn and its workers: they run in their own process group."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def login(base: str, email: str) -> str:
    """Sign in through the login form, as a browser would; the cookies a browser then sends
    (session and CSRF), for wrk."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=10) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise SystemExit("No CSRF token in the login form.")
    data = urllib.parse.urlencode(
        {"login": email, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)}
    ).encode()
    with opener.open(f"{base}/accounts/login/", data=data, timeout=10):
        pass
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise SystemExit(f"Could not sign in as {email}.")
    return "; ".join(
        f"{name}={cookies[name]}" for name in ("sessionid", "csrftoken") if name in cookies
    )


def check_page(base: str, path: str, page: Page, cookie: str | None) -> None:
    """Measure only the page itself: not a redirect to the login form, not an error page."""
    request = urllib.request.Request(base + path, headers={"Cookie": cookie} if cookie else {})
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=10) as response:
            status, body = response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        status, body = error.code, ""
    if status != 200 or page.expect not in body:
        raise SystemExit(f"{page.name}: GET {path} answered {status}, not the page; not measuring.")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


# --- CPU accounting -----------------------------------------------------------------------
TICK = os.sysconf("SC_CLK_TCK")


def busy_seconds() -> float:
    """CPU time all processes on the machine have used (since boot), in seconds."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / TICK  # guest time is already counted in user


def stat_seconds(field: int, value: int) -> float:
    """CPU time, in seconds, of the processes whose /proc stat ``field`` (after the command
    name) is ``value``: 2 their process group, 3 their session."""
    total = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[field]) == value:
            total += sum(int(part) for part in fields[11:15])  # utime stime cutime cstime
    return total / TICK


def group_seconds(pgid: int) -> float:
    """CPU time of one process group (the server: gunicorn and its workers), in seconds."""
    return stat_seconds(2, pgid)


def children_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    own = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime + own.ru_utime + own.ru_stime


class QuietWaiter:
    """Before each measurement, wait (within a budget for the whole run) until the rest of
    the machine is quiet: on a small shared box, other work steals the server's CPU."""

    def __init__(self, budget_s: float, threshold_cores: float) -> None:
        self.budget_s = budget_s
        self.threshold = threshold_cores
        self.waited_s = 0.0

    def background(self, seconds: float = 1.0) -> float:
        busy, wall = busy_seconds(), time.monotonic()
        time.sleep(seconds)
        return (busy_seconds() - busy) / (time.monotonic() - wall)

    def wait(self) -> float:
        started, samples = time.monotonic(), 0
        while True:
            load = self.background()
            samples += 1
            if load <= self.threshold or self.waited_s >= self.budget_s:
                return load
            if samples == 3:
                log(f"  waiting for other work on the machine ({load:.1f} CPUs busy)")
            self.waited_s += time.monotonic() - started
            started = time.monotonic()


@contextlib.contextmanager
def cpu_meter(pgid: int) -> Iterator[dict[str, float]]:
    """Where the CPU went while the block ran: the server, the load tool (and this script),
    and everything else on the machine (other people's work makes the figures noisy)."""
    found: dict[str, float] = {}
    wall, busy, server_cpu, ours = (
        time.monotonic(),
        busy_seconds(),
        group_seconds(pgid),
        children_seconds(),
    )
    yield found
    wall = time.monotonic() - wall
    busy = busy_seconds() - busy
    server_cpu = group_seconds(pgid) - server_cpu
    ours = children_seconds() - ours
    found.update(
        wall_s=wall,
        server_cpu_s=server_cpu,
        load_tool_cpu_s=ours,
        background_cores=max(0.0, busy - server_cpu - ours) / wall,
    )


# --- the load -----------------------------------------------------------------------------
def wrk(
    wrk_bin: str, url: str, cookie: str | None, seconds: int, threads: int, raw: Path | None
) -> dict[str, Any]:
    command = [
        wrk_bin,
        f"--threads={threads}",
        f"--connections={CONNECTIONS}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={BENCH / 'latency.lua'}",
    ]
    if cookie:
        command += ["--header", f"Cookie: {cookie}"]
    out = subprocess.run(
        [*command, url], check=True, capture_output=True, text=True, timeout=seconds + 30
    )
    if raw is not None:
        raw.write_text(out.stdout + out.stderr)
    line = next((ln for ln in out.stdout.splitlines() if ln.startswith("BENCH_JSON ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no result for {url}:\n{out.stdout}{out.stderr}")
    return json.loads(line.removeprefix("BENCH_JSON "))


def summarise(
    page: Page, path: str, stats: dict[str, Any], info: dict[str, Any], cpu: dict[str, float]
) -> dict[str, Any]:
    seconds = stats["duration_us"] / 1e6
    ok = stats["statuses"].get("200", 0)
    errors = sum(stats["errors"].values()) + (stats["requests"] - ok)
    return {
        "page": page.name,
        "path": path,
        "user": page.user,
        "queries": info["queries"],
        "bytes": info["bytes"],
        "in_process_ms": info["in_process_ms"],
        "requests": stats["requests"],
        "errors": errors,
        "statuses": stats["statuses"],
        "rps": round(stats["requests"] / seconds, 1),
        "p50_ms": round(stats["p50_us"] / 1000, 2),
        "p95_ms": round(stats["p95_us"] / 1000, 2),
        "p99_ms": round(stats["p99_us"] / 1000, 2),
        "mean_ms": round(stats["mean_us"] / 1000, 2),
        "max_ms": round(stats["max_us"] / 1000, 2),
        # Server CPU per request: the cost of a page, much steadier than req/s on a busy box.
        "server_cpu_ms_per_request": round(
            cpu["server_cpu_s"] * 1000 / max(stats["requests"], 1), 2
        ),
        "server_cpu_cores": round(cpu["server_cpu_s"] / cpu["wall_s"], 2),
        "load_tool_cpu_cores": round(cpu["load_tool_cpu_s"] / cpu["wall_s"], 2),
        "background_cpu_cores": round(cpu["background_cores"], 2),
    }


def judge(row: dict[str, Any], floor_rps: float) -> None:
    row["floor_ratio"] = round(row["rps"] / floor_rps, 3) if floor_rps else None
    failures = []
    if row["errors"]:
        failures.append(f"{row['errors']} errors")
    if row["page"] != FLOOR.name:
        if row["p95_ms"] > P95_BAR_MS:
            failures.append(f"p95 > {P95_BAR_MS:g} ms")
        if row["floor_ratio"] is not None and row["floor_ratio"] < MIN_FLOOR_RATIO:
            failures.append(f"< {MIN_FLOOR_RATIO:.0%} of floor req/s")
    row["failures"] = failures
    row["passed"] = not failures


def measure(
    dataset: Dataset,
    args: argparse.Namespace,
    wrk_bin: str,
    secret_key: str,
    quiet: QuietWaiter,
) -> dict[str, Any]:
    if args.live_only:
        return measure_live_only(dataset, args, secret_key, quiet)
    log(f"Data set {dataset.name!r}: probing pages in process")
    info = probe(dataset, secret_key)
    for page in PAGES:
        if not info["pages"][page.name]["ok"]:
            found = info["pages"][page.name]
            raise SystemExit(f"{page.name}: {found['path']} answered {found['status']} in process.")
    tag = dataset.name.replace(" ", "-")
    (RAW / f"probe-{tag}.json").write_text(json.dumps(info, indent=2))  # with each page's SQL
    rows = []
    logfile = RAW / f"server-{tag}.log"
    with server(args.config, server_env(dataset, secret_key), logfile) as (base, pgid):
        cookies = {user: login(base, user) for user in {p.user for p in PAGES if p.user}}
        targets = []
        for page in PAGES:
            path = info["pages"][page.name]["path"]
            cookie = cookies.get(page.user) if page.user else None
            check_page(base, path, page, cookie)
            targets.append((page, path, cookie))
        for _page, path, cookie in targets:  # warm every worker on every page
            wrk(wrk_bin, base + path, cookie, args.warmup, args.threads, None)
        for page, path, cookie in targets:
            log(f"  {page.name}: {args.duration} s at {CONNECTIONS} connections")
            raw = RAW / f"wrk-{tag}-{re.sub(r'[^a-z0-9]+', '-', page.name).strip('-')}.txt"
            settle(base, pgid)
            quiet.wait()
            with cpu_meter(pgid) as cpu:
                stats = wrk(wrk_bin, base + path, cookie, args.duration, args.threads, raw)
            rows.append(summarise(page, path, stats, info["pages"][page.name], cpu))
        meeting = measure_live(dataset, args, secret_key, quiet, base, pgid)
    floor_rps = next(row["rps"] for row in rows if row["page"] == FLOOR.name)
    for row in rows:
        judge(row, floor_rps)
    found = {"name": dataset.name, "months": dataset.months, "size": info["size"], "pages": rows}
    return found | ({"live_meeting": meeting} if meeting else {})


def settle(base: str, pgid: int, *, limit_s: float = 180) -> None:
    """Wait until the server has worked off what the last load left queued: wrk stops after
    its seconds, but up to CONNECTIONS requests of a slow page are still being rendered and
    would be counted against the next page. Settled: the floor answers within 50 ms and the
    server's processes used under 5% of a core over the last 0.3 s (one idle worker answers
    the floor while the others may still be busy)."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(f"{base}{FLOOR.path}", timeout=limit_s) as response:
                response.read()
        except OSError:
            pass
        if time.monotonic() - started >= 0.05:
            continue
        before = group_seconds(pgid)
        time.sleep(0.3)
        if group_seconds(pgid) - before < 0.015:
            return
    log(f"  the server was still busy after {limit_s:.0f} s")


def measure_live(
    dataset: Dataset,
    args: argparse.Namespace,
    secret_key: str,
    quiet: QuietWaiter,
    base: str,
    pgid: int,
) -> dict[str, Any] | None:
    """The live meeting with its attendees connected (bench/live.py), on the running server."""
    if not args.live_seconds:
        return None
    return live.measure(
        base,
        pgid,
        server_env(dataset, secret_key),
        login=login,
        cpu_meter=cpu_meter,
        wait_quiet=quiet.wait,
        seconds=args.live_seconds,
        raw=RAW / f"live-probe-{dataset.name.replace(' ', '-')}.json",
        log=log,
    )


def measure_live_only(
    dataset: Dataset, args: argparse.Namespace, secret_key: str, quiet: QuietWaiter
) -> dict[str, Any]:
    log(f"Data set {dataset.name!r}: the live meeting only")
    logfile = RAW / f"server-{dataset.name.replace(' ', '-')}.log"
    with server(args.config, server_env(dataset, secret_key), logfile) as (base, pgid):
        meeting = measure_live(dataset, args, secret_key, quiet, base, pgid)
    return {"name": dataset.name, "months": dataset.months, "pages": [], "live_meeting": meeting}


# --- reports ------------------------------------------------------------------------------
def pick(data: dict[str, Any], page: Page, key: str) -> Any:
    return next(row[key] for row in data["pages"] if row["page"] == page.name)


def same_cost(datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """A page costs the same with 3 months or 3 years of history, and in a program of 10 or
    of 1,000 partnerships: its query count never grows with the data (from the first data
    set of each SAME_COST pair measured to the second, the larger), and
    its server CPU per request stays within MAX_COST_GROWTH between the two data sets of
    each SAME_COST pair measured (without a pair, between the data sets with history: the
    demo alone is smaller than any real program)."""
    report = {}
    names = {data["name"] for data in datasets}
    pairs = [pair for pair in SAME_COST if set(pair) <= names]
    if not pairs:
        history = [data["name"] for data in datasets if data["months"]] or sorted(names)
        pairs = [tuple(history)]
    for page in PAGES:
        queries = {data["name"]: pick(data, page, "queries") for data in datasets}
        cpu = {data["name"]: pick(data, page, "server_cpu_ms_per_request") for data in datasets}
        size = {data["name"]: pick(data, page, "bytes") for data in datasets}
        growth, worst = 1.0, pairs[0]
        for pair in pairs:
            costs = [cpu[name] for name in pair]
            ratio = round(max(costs) / min(costs), 2) if min(costs) else 1.0
            if ratio > growth:
                growth, worst = ratio, pair
        problems = []
        # More data must not mean more queries; fewer is fine (an empty list skips reading
        # what its rows would show).
        grown = [
            pair for pair in pairs
            if len(pair) > 1 and (queries[pair[-1]] or 0) > (queries[pair[0]] or 0)
        ]  # fmt: skip
        if grown:
            problems.append(f"query count grows between {' and '.join(grown[0])}")
        if page != FLOOR and growth > MAX_COST_GROWTH:
            problems.append(f"CPU per request x{growth:g} between {' and '.join(worst)}")
        report[page.name] = {
            "queries": queries,
            "server_cpu_ms_per_request": cpu,
            "bytes": size,
            "cpu_growth": growth,
            "problems": problems,
            "same": not problems,
        }
    return report


def markdown(results: dict[str, Any]) -> str:
    config = results["config"]
    names = [data["name"] for data in results["datasets"]]
    lines = [
        "# Benchmark results",
        "",
        f"Measured {results['measured_at']} on {results['machine']['cpus']} CPUs "
        f"({results['machine']['platform']}); {config['server']}, "
        f"{LABELS[config['database']]}, DEBUG off; "
        f"{results['machine']['wrk']} with {config['connections']} connections and "
        f"{config['wrk_threads']} threads for {config['duration_s']} s per page, from a "
        f"second process on {HOST}. Command: `{config['command']}`.",
        "",
        f"Bar for every page: p95 ≤ {P95_BAR_MS:g} ms, and at least {MIN_FLOOR_RATIO:.0%} of "
        "the requests per second of the floor (`/_floor`: no database, no template) in the "
        "same run; and the same cost with 3 months or 3 years of history, and in a program "
        "of 10 or of 1,000 partnerships.",
        "",
        "| Data set | Page | Queries | p50 ms | p95 ms | p99 ms | req/s | × floor "
        "| CPU ms/req | Bar |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    noisy = False
    for data in results["datasets"]:
        for row in data["pages"]:
            ratio = "—" if row["page"] == FLOOR.name else f"{row['floor_ratio']:.1%}"
            verdict = "pass" if row["passed"] else "**FAIL**: " + ", ".join(row["failures"])
            mark = ""
            if row["background_cpu_cores"] > NOISY_CORES:
                noisy, mark = True, " †"
            lines.append(
                f"| {data['name']} | {row['page']} | {row['queries']} | {row['p50_ms']:.1f} "
                f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['rps']:.0f}{mark} "
                f"| {ratio} | {row['server_cpu_ms_per_request']:.1f} | {verdict} |"
            )
    lines += [
        "",
        "CPU ms/req: CPU time the server processes spent per request (all workers), the "
        "page's cost independent of concurrency and of other work on the machine.",
        "",
        "Queries: what one render costs. Every request is rendered afresh: there is no page cache.",
    ]
    if noisy:
        lines.append(
            f"† Other work on the machine used more than {NOISY_CORES:g} CPUs during this "
            "measurement: its latency and req/s are pessimistic (see background_cpu_cores in "
            "results.json)."
        )
    header = " / ".join(names)
    lines += [
        "",
        "## Same cost with more history and a larger program",
        "",
        f"| Page | Queries ({header}) | CPU ms/req ({header}) | KB ({header}) | Same cost |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, cost in results["same_cost"].items():
        queries = " / ".join(str(cost["queries"][data]) for data in names)
        cpu = " / ".join(f"{cost['server_cpu_ms_per_request'][data]:.1f}" for data in names)
        size = " / ".join(f"{cost['bytes'][data] / 1024:.1f}" for data in names)
        verdict = "yes" if cost["same"] else "**NO**: " + ", ".join(cost["problems"])
        lines.append(f"| {name} | {queries} | {cpu} | {size} | {verdict} |")
    lines += [
        "",
        f"Query counts must not grow from the smaller to the larger data set; CPU per request"
        f" may differ by at most "
        f"x{MAX_COST_GROWTH:g} between "
        + " and between ".join(" and ".join(pair) for pair in SAME_COST)
        + " (the pairs measured).",
        "",
        *live.markdown(results["datasets"], results["live_same_cost"], NOISY_CORES),
        "Data sets: " + "; ".join(describe_size(data) for data in results["datasets"]) + ".",
        "",
        f"Overall: {'pass' if results['passed'] else '**FAIL**'}.",
        "",
    ]
    return "\n".join(lines)


def live_markdown(results: dict[str, Any]) -> str:
    """`--live-only`: the live meeting's section alone."""
    lines = [
        "# Live meeting results",
        "",
        f"Measured {results['measured_at']} on {results['machine']['cpus']} CPUs; "
        f"{results['config']['server']}, {LABELS[results['config']['database']]}, "
        "DEBUG off. Command: "
        "`.venv/bin/python bench/run.py --live-only`.",
        "",
        *live.markdown(results["datasets"], results["live_same_cost"], NOISY_CORES),
        f"Overall: {'pass' if results['passed'] else '**FAIL**'}.",
        "",
    ]
    return "\n".join(lines)


def describe_size(data: dict[str, Any]) -> str:
    size = data["size"]
    return (
        f"**{data['name']}**: {size['partnerships']} partnerships, "
        f"{size['activity_entries']} activity entries, {size['notes']} notes, "
        f"{size['contacts']} contacts (Northwind: {size['northwind']['activity_entries']} "
        f"activity entries, {size['northwind']['notes']} notes, "
        f"{size['northwind']['contacts']} contacts)"
    )


def wrk_version(wrk_bin: str) -> str:
    out = subprocess.run([wrk_bin, "--version"], capture_output=True, text=True)
    return (out.stdout + out.stderr).splitlines()[0].split(" Copyright")[0].strip()


# --- main ---------------------------------------------------------------------------------
def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--warmup", type=int, default=1, help="seconds of warm-up per page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--database",
        default="sqlite",
        choices=["sqlite", "postgres"],
        help="where the data sets live: SQLite files under var/bench/ (the embedded default)"
        " or databases on PostgreSQL (BENCH_PG_SERVER, default the local server)",
    )
    parser.add_argument(
        "--quiet-budget",
        type=float,
        default=90,
        help="seconds the whole run may wait for other work on the machine to finish",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=(os.cpu_count() or 1) + 1,
        help="gunicorn worker processes (default: CPUs + 1, the best measured on 2 CPUs)",
    )
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--worker-threads", type=int, default=1, help="threads per gthread worker")
    parser.add_argument(
        "--datasets",
        default=",".join(data.name for data in DATASETS),
        help="comma-separated subset of: "
        + ", ".join(data.name for data in DATASETS + LARGE)
        + " (the large ones only when named)",
    )
    parser.add_argument(
        "--reuse-data",
        action="store_true",
        help="keep the data set files of an earlier run (var/bench/), migrated, and build"
        " only the missing ones",
    )
    parser.add_argument(
        "--output", type=Path, default=None, help="where results.json/.md go (default: bench/)"
    )
    parser.add_argument(
        "--live-seconds",
        type=float,
        default=20,
        help="seconds of changes in the live meeting (bench/live.py); 0 leaves it out",
    )
    parser.add_argument(
        "--live-only",
        action="store_true",
        help="measure only the live meeting; writes bench/results/live-only.json/.md",
    )
    parser.add_argument(
        "--pages",
        help="comma-separated words: measure only the pages whose name holds one (and the"
        " floor); writes bench/results/pages-subset.json/.md unless --output says",
    )
    args = parser.parse_args()
    if args.pages:
        words = [word.strip() for word in args.pages.split(",") if word.strip()]
        PAGES[:] = [page for page in PAGES if page.floor or any(w in page.name for w in words)]
        if len(PAGES) == 1:
            parser.error(f"No page name holds any of {words}.")
    if args.output is None:
        if args.live_only:
            args.output = RAW / "live-only"
        else:
            args.output = RAW / "pages-subset" if args.pages else BENCH / "results"
    if args.live_only and not args.live_seconds:
        parser.error("--live-only needs --live-seconds above 0")
    args.config = ServerConfig(args.port, args.workers, args.worker_class, args.worker_threads)
    return args


def main() -> int:
    args = parse_args()
    global DATABASE
    DATABASE = args.database
    names = [name.strip() for name in args.datasets.split(",")]
    datasets = [data for data in DATASETS + LARGE if data.name in names]
    if not datasets or len(datasets) != len(names):
        raise SystemExit(f"Unknown data set in {args.datasets!r}.")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # run the `finally` blocks
    wrk_bin = ensure_wrk()
    RAW.mkdir(exist_ok=True)
    secret_key = secrets.token_urlsafe(40)
    started = time.monotonic()
    build_datasets(datasets, secret_key, reuse=args.reuse_data)
    quiet = QuietWaiter(args.quiet_budget, NOISY_CORES)
    measured = [measure(dataset, args, wrk_bin, secret_key, quiet) for dataset in datasets]
    results = {
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {
            "cpus": os.cpu_count(),
            "platform": f"{platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}",
            "wrk": wrk_version(wrk_bin),
        },
        "config": {
            "server": args.config.describe(),
            "database": DATABASE,
            "command": " ".join([".venv/bin/python bench/run.py", *map(shlex.quote, sys.argv[1:])]),
            "connections": CONNECTIONS,
            "wrk_threads": args.threads,
            "duration_s": args.duration,
            "waited_for_quiet_s": round(quiet.waited_s),
        },
        "bar": {"p95_ms": P95_BAR_MS, "min_floor_ratio": MIN_FLOOR_RATIO},
        "datasets": measured,
        "same_cost": {} if args.live_only else same_cost(measured),
        "live_same_cost": live.same_cost(measured),
    }
    results["passed"] = (
        all(row["passed"] for data in measured for row in data["pages"])
        and all(cost["same"] for cost in results["same_cost"].values())
        and live.passed(measured, results["live_same_cost"])
    )
    table = live_markdown(results) if args.live_only else markdown(results)
    output = args.output
    (output.with_suffix(".json")).write_text(json.dumps(results, indent=2) + "\n")
    (output.with_suffix(".md")).write_text(table)
    print()
    print(table)
    log(f"Done in {time.monotonic() - started:.0f} s; wrote {output.with_suffix('.json')}")
    return 0 if results["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
