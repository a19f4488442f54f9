"""A 1,000,000-row CSV export of opportunities imported through the import's task code, on
SQLite and on PostgreSQL: the time of each pass (check, write) and the peak memory of the
process that ran it, then the pages' latency while the same import runs beside a live server.
The bar (issue 17): under 60 seconds and under 500 MB, and the app keeps serving meanwhile.

    .venv/bin/python bench/import_csv.py                   # both databases, 1,000,000 rows
    .venv/bin/python bench/import_csv.py --rows 100000 --databases sqlite --output /tmp/b
    .venv/bin/python bench/import_csv.py --no-pages        # the import's own timing only

For each database:
1. the import alone: a fresh database (a SQLite file in a temporary folder; the database
   ``tandem_bench_import`` on 127.0.0.1:5432 as user postgres), migrated; ``prepare`` (a
   process of its own: the workspace "acme", the lead lead@acme.example with the bench
   password, the partnership Northwind, the upload and its mapping) prints the job's id;
   ``run <job id>`` (another process, so its peak memory is the import's plus Django's,
   nothing else's) runs the task's own code (``tasks.execute``) as the worker calls it;
2. with ``--pages`` (the default): a second fresh database, prepared the same way; gunicorn
   (SERVER_WORKERS sync workers) on it, the lead signed in; CLIENTS threads request a few
   pages a person would use meanwhile, in turn, for BASELINE_S with no import, then while
   ``run <job id>`` runs, then AFTER_S more; one more person adds a note to Northwind
   every WRITE_EVERY_S (on SQLite it waits for the import's write lock). Each request is
   kept as (start, latency, status) and counted in the window it started in: baseline,
   checking (from the import's launch to the end of its check pass, which it reports),
   writing (to its end), after.

The file has HubSpot-like columns: an external id (the key), account, domain, amount with a
currency sign, close date, stage and owner. Writes results-import.json and results-import.md
to ``--output`` (bench/ by default: the committed figures).

In process, against DATABASE_URL (what the steps above run as subprocesses):
    python bench/import_csv.py prepare <csv file>   |   python bench/import_csv.py run <job id>
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import live  # noqa: E402
import run as harness  # noqa: E402
from pages import LEAD, PASSWORD  # noqa: E402

ROOT = BENCH.parent
PG_URL = "postgres://postgres@127.0.0.1:5432/tandem_bench_import"
BAR_SECONDS = 60
BAR_MB = 500
STAGES = ("Registered", "Qualified", "Proposal", "Negotiation", "Won", "Lost")

# The page load during the import. Two sync workers: the machine has 2 cores, and the import
# itself takes one of them; the clients are people with the pages open, not a stress test.
SERVER_WORKERS = 2
CLIENTS = 4
THINK_S = 0.1  # each client's pause between two requests
# And one person who writes meanwhile: a note added to Northwind every WRITE_EVERY_S (the
# form's POST, answered by a redirect). On SQLite it waits for the import's write lock.
WRITE_EVERY_S = 2.0
WRITE = "add a note (POST)"
BASELINE_S = 10.0
AFTER_S = 5.0
SAMPLE_S = 1.0  # how often the machine's and the server's CPU time are read
WINDOWS = ("baseline", "checking", "writing", "after")


def generate(path: Path, rows: int) -> None:
    """HubSpot's deal export, more or less: a million deals of one partner."""
    rng = random.Random(17)  # noqa: S311 - test data
    start = date(2026, 1, 1)
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["Record ID", "Deal Name", "Domain", "Amount", "Close Date", "Deal Stage", "Owner"]
        )
        for n in range(rows):
            writer.writerow(
                [
                    f"{9_000_000 + n}",
                    f"Account {n} GmbH",
                    f"account{n}.example" if n % 3 else "",
                    f"${rng.randint(100, 900_000):,}.{rng.randint(0, 99):02d}",
                    (start + timedelta(days=n % 700)).isoformat(),
                    STAGES[n % len(STAGES)],
                    LEAD if n % 2 else "",
                ]
            )


# --- in process, against DATABASE_URL ---------------------------------------------------------
def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()


def prepare(csv_path: Path) -> dict[str, Any]:
    """A workspace, its lead (who can sign in with the bench password), a partnership; the
    upload and its mapping. The job is left mapped, for ``run``."""
    _django()
    from allauth.account.models import EmailAddress
    from django.core.files import File
    from django.urls import reverse

    from tandem.accounts.actors import actor_for
    from tandem.accounts.models import Membership, User, Workspace
    from tandem.partners.models import Partnership
    from tandem.transfer.imports import services

    workspace = Workspace.objects.create(name="Acme Analytics", slug="acme")
    lead = User.objects.create_user(email=LEAD, password=PASSWORD)
    EmailAddress.objects.create(user=lead, email=LEAD, verified=True, primary=True)
    Membership.objects.create(workspace=workspace, user=lead, role="owner")
    northwind = Partnership.objects.create(workspace=workspace, name="Northwind")
    actor = actor_for(lead)
    began = time.monotonic()
    with csv_path.open("rb") as handle:
        job = services.upload(
            actor=actor,
            workspace_id=workspace.pk,
            target="opportunities",
            source="HubSpot",
            file=File(handle, name=csv_path.name),  # type: ignore[arg-type]
            partnership_id=northwind.pk,
        )
    uploaded = time.monotonic() - began
    job = services.set_mapping(
        actor=actor,
        job=job,
        version=job.version,
        mapping={
            "external_id": "Record ID",
            "account_name": "Deal Name",
            "account_domain": "Domain",
            "amount": "Amount",
            "expected_close": "Close Date",
            "stage": "Deal Stage",
            "owner": "Owner",
        },
        key=["external_id"],
    )
    return {
        "job": job.pk,
        "upload_s": round(uploaded, 1),
        # What a person follows the import with, and does meanwhile (GET, as the lead).
        "pages": {
            "dashboard": reverse("dashboard"),  # where "/" sends a member
            "portfolio": reverse("portfolio"),
            "pipeline": reverse("opportunity_list", args=[northwind.pk]),
            "import page": reverse("import_detail", args=[job.pk]),
            "import progress": reverse("import_progress", args=[job.pk]),
        },
        "write": reverse("item_create", args=[northwind.pk, "notes"]),
    }


def run(job_id: int) -> dict[str, Any]:
    """The task's code on a prepared job, as the worker calls it once it has claimed the job.
    The times it reports are ``time.monotonic()``: one clock for every process on the
    machine (CLOCK_MONOTONIC), so the page load can be split by them."""
    _django()
    from django.utils import timezone

    from tandem.exchange.pipeline.models import Opportunity
    from tandem.transfer.imports import tasks
    from tandem.transfer.imports.models import ImportJob, Status

    ImportJob.objects.filter(pk=job_id).update(status=Status.RUNNING, started_at=timezone.now())
    job = ImportJob.objects.select_related("created_by").get(pk=job_id)
    seen: dict[str, float] = {}
    original = tasks.Reporter.save

    def timed(self: tasks.Reporter) -> None:
        if self.state["phase"] == "writing" and "check_done" not in seen:
            seen["check_done"] = time.monotonic()
        original(self)

    tasks.Reporter.save = timed  # type: ignore[method-assign]
    started = time.monotonic()
    answer = tasks.execute(job)
    finished = time.monotonic()
    job.refresh_from_db()
    check_done = seen.get("check_done", finished)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {
        "answer": answer,
        "status": job.status,
        "rows": job.total_rows,
        "created": job.created_rows,
        "check_s": round(check_done - started, 1),
        "write_s": round(finished - check_done, 1),
        "import_s": round(finished - started, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),
        "opportunities": Opportunity.objects.count(),
        "peak_mb": round(usage.ru_maxrss / 1024),
        "clock": {"started": started, "check_done": check_done, "finished": finished},
    }


# --- from the outside: the databases, the processes, the page load ----------------------------
def _database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'bench.sqlite3'}"
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as db:
        db.execute("DROP DATABASE IF EXISTS tandem_bench_import")
        db.execute("CREATE DATABASE tandem_bench_import")
    return PG_URL


def _environment(kind: str, folder: Path, secret_key: str) -> dict[str, str]:
    """A fresh, migrated database; the environment the server, ``prepare`` and ``run`` share:
    the production settings of bench/run.py (DEBUG off, no sign-in throttle) on it, with the
    uploads in the folder."""
    folder.mkdir(parents=True)
    # server_env takes a data set only for its SQLite path, replaced here.
    env = harness.server_env(harness.Dataset("import", 0), secret_key)
    env.pop("TASKS_BACKEND", None)
    env.update(
        DATABASE_URL=_database(kind, folder),
        TANDEM_VAR_DIR=str(folder / "var"),
        # Plain static URLs: the hashed ones need a collectstatic of this tree, and pages
        # render the same either way.
        STATIC_MANIFEST="0",
    )
    subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return env


def _in_process(env: dict[str, str], *args: str) -> dict[str, Any]:
    done = subprocess.run(  # noqa: S603 - our own command
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(kind: str, csv_path: Path, folder: Path, secret_key: str) -> dict[str, Any]:
    """The import alone on a fresh database: nothing else asks the database meanwhile."""
    env = _environment(kind, folder, secret_key)
    prepared = _in_process(env, "prepare", str(csv_path))
    result = _in_process(env, "run", str(prepared["job"]))
    result.pop("clock")
    return {"database": kind, "upload_s": prepared["upload_s"], **result}


@dataclass
class Hit:
    page: str
    started: float  # time.monotonic()
    ms: float
    status: int  # 0: no answer (refused, reset, or none within live.Browser's 10 s)

    @property
    def ok(self) -> bool:
        """The page, or for the note, the redirect that follows its creation."""
        return self.status == (302 if self.page == WRITE else 200)


class Load:
    """CLIENTS people with the pages open: each asks for the next page in turn, waits for it,
    pauses THINK_S, and so on (one connection per request: gunicorn's sync workers close
    them). The progress fragment is asked as the page's htmx poll asks it. And one more
    person adds a note every WRITE_EVERY_S."""

    def __init__(self, base: str, cookie: str, pages: dict[str, str], write: str) -> None:
        self.browser = live.Browser(base)
        self.cookie = cookie
        self.csrf = live._cookie_value(cookie, "csrftoken")
        self.pages = list(pages.items())
        self.write_path = write
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self._client, args=(n,), daemon=True) for n in range(CLIENTS)
        ]
        self.threads.append(threading.Thread(target=self._writer, daemon=True))

    def get(self, name: str, path: str) -> int:
        headers = {"Cookie": self.cookie}
        if name == "import progress":
            headers["HX-Request"] = "true"
        try:
            status, _ = self.browser.request("GET", path, headers)
        except OSError:
            return 0
        return status

    def write(self, n: int) -> int:
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": self.csrf,
                "title": f"Bench note {n}",
                "body": "Written while the import runs.",
                "visibility": "internal",
            }
        )
        headers = {"Cookie": self.cookie, "Content-Type": "application/x-www-form-urlencoded"}
        try:
            status, _ = self.browser.request("POST", self.write_path, headers, body)
        except OSError:
            return 0
        return status

    def _record(self, name: str, started: float, status: int) -> None:
        hit = Hit(name, started, (time.monotonic() - started) * 1000, status)
        with self.lock:
            self.hits.append(hit)

    def _writer(self) -> None:
        n = 1
        while not self.stopping.wait(WRITE_EVERY_S):
            started = time.monotonic()
            self._record(WRITE, started, self.write(n))
            n += 1

    def _client(self, n: int) -> None:
        turn = n  # the clients start on different pages
        while not self.stopping.is_set():
            name, path = self.pages[turn % len(self.pages)]
            turn += 1
            started = time.monotonic()
            self._record(name, started, self.get(name, path))
            self.stopping.wait(THINK_S)

    def __enter__(self) -> Load:
        for name, path in self.pages:  # each page once, before anything is measured
            status = self.get(name, path)
            if status != 200:
                raise SystemExit(f"{name}: GET {path} answered {status}, not the page.")
        status = self.write(0)
        if status != 302:
            raise SystemExit(f"Adding a note answered {status}, not a redirect.")
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join()


class CpuSampler:
    """The machine's busy CPU time and the server's (its process group), read every SAMPLE_S,
    so that each window can say where the CPU went (others' work on a shared box included)."""

    def __init__(self, server_pgid: int) -> None:
        self.pgid = server_pgid
        self.samples: list[tuple[float, float, float]] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        at = time.monotonic()
        self.samples.append((at, harness.busy_seconds(), harness.group_seconds(self.pgid)))

    def _loop(self) -> None:
        self._sample()
        while not self.stopping.wait(SAMPLE_S):
            self._sample()
        self._sample()

    def __enter__(self) -> CpuSampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()

    def cores(self, start: float, end: float) -> dict[str, float | None]:
        """Busy CPUs on the machine and in the server between the samples nearest the window."""
        inside = [s for s in self.samples if start - SAMPLE_S / 2 <= s[0] <= end + SAMPLE_S / 2]
        if len(inside) < 2 or inside[-1][0] - inside[0][0] <= 0:
            return {"machine_cores": None, "server_cores": None}
        (t0, busy0, server0), (t1, busy1, server1) = inside[0], inside[-1]
        return {
            "machine_cores": round((busy1 - busy0) / (t1 - t0), 2),
            "server_cores": round((server1 - server0) / (t1 - t0), 2),
        }


def _window(
    hits: list[Hit], name: str, start: float, end: float, cpu: CpuSampler
) -> dict[str, Any]:
    mine = [hit for hit in hits if start <= hit.started < end]
    latency = live._latency([hit.ms for hit in mine])
    errors = Counter(f"{hit.page} {hit.status or 'no answer'}" for hit in mine if not hit.ok)
    per_page = {}
    for page in dict.fromkeys(hit.page for hit in mine):
        ms = [hit.ms for hit in mine if hit.page == page]
        per_page[page] = {
            "requests": len(ms),
            "p50_ms": round(live._percentile(ms, 0.50), 1),
            "p95_ms": round(live._percentile(ms, 0.95), 1),
            "max_ms": round(max(ms), 1),
        }
    return {
        "window": name,
        "seconds": round(end - start, 1),
        "requests": len(mine),
        "p50_ms": round(latency["p50_ms"], 1),
        "p95_ms": round(latency["p95_ms"], 1),
        "max_ms": round(latency["max_ms"], 1),
        "errors": dict(errors.most_common()),
        "pages": per_page,
        # The slowest requests, each with when it started (seconds into the window).
        "slowest": [
            {"page": hit.page, "at_s": round(hit.started - start, 2), "ms": round(hit.ms)}
            | ({} if hit.ok else {"status": hit.status})
            for hit in sorted(mine, key=lambda hit: hit.ms, reverse=True)[:5]
        ],
        **cpu.cores(start, end),
    }


def measure_pages(
    kind: str, csv_path: Path, folder: Path, secret_key: str, port: int
) -> dict[str, Any]:
    """The same import on a second fresh database while the lead uses the app."""
    env = _environment(kind, folder, secret_key)
    prepared = _in_process(env, "prepare", str(csv_path))
    config = harness.ServerConfig(port=port, workers=SERVER_WORKERS, worker_class="sync", threads=1)
    with harness.server(config, env, folder / "gunicorn.log") as (base, pgid):
        cookie = harness.login(base, LEAD)
        with (
            CpuSampler(pgid) as cpu,
            Load(base, cookie, prepared["pages"], prepared["write"]) as load,
        ):
            began = time.monotonic()
            time.sleep(BASELINE_S)
            launched = time.monotonic()
            harness.log(f"{kind}: importing while {CLIENTS} clients ask for pages")
            importing = subprocess.Popen(  # noqa: S603 - our own command
                [sys.executable, str(Path(__file__).resolve()), "run", str(prepared["job"])],
                cwd=ROOT,
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            out, err = importing.communicate()
            if importing.returncode:
                raise SystemExit(f"The import under load failed ({importing.returncode}):\n{err}")
            time.sleep(AFTER_S)
            ended = time.monotonic()
        result = dict(json.loads(out.strip().splitlines()[-1]))
    clock = result.pop("clock")
    bounds = [began, launched, clock["check_done"], clock["finished"], ended]
    windows = [
        _window(load.hits, name, bounds[n], bounds[n + 1], cpu) for n, name in enumerate(WINDOWS)
    ]
    return {
        "database": kind,
        "server": config.describe(),
        "clients": CLIENTS,
        "think_s": THINK_S,
        "pages": {**prepared["pages"], WRITE: prepared["write"]},
        "import": result,
        "windows": windows,
    }


# --- the report --------------------------------------------------------------------------------
def _errors(window: dict[str, Any]) -> str:
    if not window["errors"]:
        return "0"
    return ", ".join(f"{count} × {what}" for what, count in window["errors"].items())


def _slowest(window: dict[str, Any]) -> str:
    if not window["pages"]:
        return "–"
    page, figures = max(window["pages"].items(), key=lambda item: item[1]["p95_ms"])
    return f"{page} ({figures['p95_ms']:g})"


def _cores(window: dict[str, Any]) -> str:
    if window.get("machine_cores") is None:
        return "–"
    return f"{window['machine_cores']:.1f} ({window['server_cores']:.1f})"


def report(
    output: Path,
    results: list[dict[str, Any]],
    loaded: list[dict[str, Any]],
    rows: int,
    size: int,
) -> None:
    output.mkdir(parents=True, exist_ok=True)
    (output / "results-import.json").write_text(
        json.dumps({"rows": rows, "import": results, "pages": loaded}, indent=2) + "\n"
    )
    lines = [
        "# Import: a CSV file of opportunities through the task code (issue 17)",
        "",
        f"{rows:,} rows, {size / 1e6:.0f} MB (HubSpot-like columns, the external id as key);"
        f" bar: under {BAR_SECONDS} s and {BAR_MB} MB. `.venv/bin/python bench/import_csv.py`.",
        "",
        "The import alone (no page load, nothing else asking the database):",
        "",
        "| database | check (s) | write (s) | import (s) | upload (s) | peak memory (MB)"
        " | created | bar |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in results:
        ok = float(r["import_s"]) < BAR_SECONDS and int(r["peak_mb"]) < BAR_MB
        lines.append(
            f"| {r['database']} | {r['check_s']} | {r['write_s']} | {r['import_s']}"
            f" | {r['upload_s']} | {r['peak_mb']} | {int(r['created']):,}"
            f" | {'met' if ok else 'missed'} |"
        )
    lines += [
        "",
        "check: every row read, converted and checked, outside any transaction (the valid"
        " rows staged beside the upload); write: the one transaction that writes them (SQLite's"
        " write lock is held this long; executemany on SQLite, COPY on PostgreSQL); peak memory:"
        " the importing process's maximum resident size, Django included.",
        "",
    ]
    if loaded:
        first = loaded[0]
        lines += [
            "## The pages while it imports",
            "",
            f"{first['server']}, the lead signed in; {first['clients']} clients (threads,"
            " one connection per request), each asking in turn for the dashboard (where `/`"
            " sends a member), the portfolio, Northwind's pipeline, the import's page and its"
            f" progress fragment (as htmx polls it), {first['think_s']:g} s apart; and one"
            f" person adds a note to Northwind every {WRITE_EVERY_S:g} s (the form's POST)."
            f" Measured {BASELINE_S:g} s before the import (baseline), then while the same"
            " import runs in its own process on a second fresh database (checking: from its"
            " launch to the end of its check pass; writing: to its end), then"
            f" {AFTER_S:g} s after. A request counts in the window it started in; latency is"
            " until the whole answer is read; failed: an answer other than the page (200) or,"
            " for the note, its redirect (302), by page and status.",
            "",
            "| database | window | seconds | requests | p50 (ms) | p95 (ms) | max (ms)"
            " | slowest page (p95 ms) | failed | CPUs busy (server) |",
            "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | --- | ---: |",
        ]
        for r in loaded:
            for w in r["windows"]:
                lines.append(
                    f"| {r['database']} | {w['window']} | {w['seconds']} | {w['requests']}"
                    f" | {w['p50_ms']} | {w['p95_ms']} | {w['max_ms']} | {_slowest(w)}"
                    f" | {_errors(w)} | {_cores(w)} |"
                )
        lines += [
            "",
            "The import under this load (its own time, in the table above without it): "
            + "; ".join(
                f"{r['database']} check {r['import']['check_s']} s, write"
                f" {r['import']['write_s']} s, import {r['import']['import_s']} s"
                for r in loaded
            )
            + ". CPUs busy: the whole machine's (the import and anyone else's work included)"
            " and, in brackets, the server's; the machine has "
            f"{os.cpu_count()}.",
            "",
        ]
    (output / "results-import.md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument(
        "--pages",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure the pages during a second import (default: on)",
    )
    parser.add_argument("--port", type=int, default=8766, help="the server's, with --pages")
    parser.add_argument(
        "--output", type=Path, default=BENCH, help="where the results go (default: bench/)"
    )
    args = parser.parse_args()
    secret_key = secrets.token_urlsafe(50)
    with tempfile.TemporaryDirectory(prefix="tandem-import-") as name:
        folder = Path(name)
        csv_path = folder / "hubspot-deals.csv"
        generate(csv_path, args.rows)
        results, loaded = [], []
        for kind in args.databases.split(","):
            harness.log(f"{kind}: the import alone")
            result = measure(kind, csv_path, folder / kind, secret_key)
            print(json.dumps(result), flush=True)
            results.append(result)
            if args.pages:
                pages = measure_pages(
                    kind, csv_path, folder / f"{kind}-pages", secret_key, args.port
                )
                for window in pages["windows"]:
                    print(json.dumps({"database": kind, **window, "pages": None}), flush=True)
                loaded.append(pages)
        report(args.output, results, loaded, args.rows, csv_path.stat().st_size)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "prepare":
        print(json.dumps(prepare(Path(sys.argv[2]))))
    elif len(sys.argv) == 3 and sys.argv[1] == "run":
        print(json.dumps(run(int(sys.argv[2]))))
    else:
        main()
