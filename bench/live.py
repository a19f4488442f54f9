"""The live meeting with 50 attendees connected: what its once-a-second updates cost the server.

Since issue 19 a meeting page holds a stream open and asks for its region only when told of
a change (bench/live_push.py measures that, beside this poll). What this file measures is the
once-a-second poll meeting.js falls back to: with no EventSource, or on a server that gives a
process one request at a time (the sync workers run.py starts decline streams).

bench/run.py calls `measure` for each data set while the server is up, after the pages:
1. `prepare` (in process, as a subprocess): 50 attendees who can see Northwind (every other
   one a workspace member, the rest partner-side people of Northwind; password tandem-demo)
   and a running weekly pulse started by the program lead,
2. over HTTP: each attendee signs in and opens the meeting page (which joins them), then
   polls `live/?v=<the version their page shows>` once a second, as meeting.js does: 204
   while nothing changed, else their live region (200) whose `data-version` they keep,
3. FLOOR_S seconds of the same pages asking `/_floor` (what any request costs at that rate),
   then IDLE_S seconds with nobody changing anything (the cost of 50 people merely connected),
4. `seconds` with a headline added every CHANGE_EVERY_S by the next attendee in turn (htmx
   POST, which answers the region): each change makes every attendee fetch a fresh region,
5. `probe` (in process): the SQL query count of a 204 poll and of a region render.

Reported: polls served per second, latency of the 204 polls and of the region fetches, the
propagation delay (from a change's POST returning to an attendee's page holding the new
version), and the server's CPU, as % of one core and ms per request, idle and with changes.

In process, against a data set's database (the server's environment):
    DATABASE_URL=sqlite:////abs/path.sqlite3 python bench/live.py prepare|probe|profile
"""

from __future__ import annotations

import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

from pages import LEAD, PASSWORD  # noqa: E402

ATTENDEES = 50
POLL_S = 1.0  # meeting.js: POLL_MS
IDLE_S = 10.0  # everyone connected, nobody changing anything
FLOOR_S = 5.0  # the same 50 pages asking `/_floor` instead: what any request costs at this rate
SETTLE_S = 3.0  # after the joins (each moves the version), before measuring
DRAIN_S = 3.0  # after the last change, so every attendee can catch up
CHANGE_EVERY_S = 2.0
PROPAGATION_BAR_MS = 2000.0  # the issue: every attendee sees a change within 2 s
POLL_P95_BAR_MS = 50.0  # a 204 poll meets the pages' bar
MEMBER_DOMAIN = "acme.example"
PARTNER_DOMAIN = "northwind.example"
VERSION = re.compile(r'class="meeting-state" data-version="(\d+)"')


def attendee_email(n: int) -> str:
    domain = MEMBER_DOMAIN if n % 2 == 0 else PARTNER_DOMAIN
    return f"bench-attendee-{n:02d}@{domain}"


# --- in process: the attendees, the meeting, the query counts ----------------------------------
def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
    import django

    django.setup()


def _northwind() -> Any:
    from tandem.partners.models import Partnership

    return Partnership.objects.get(workspace__slug="acme-analytics", name="Northwind")


def _meeting(partnership: Any) -> Any:
    from tandem.accounts.actors import actor_for
    from tandem.accounts.models import User
    from tandem.meetings import selectors

    return selectors.live_meeting(actor_for(User.objects.get(email=LEAD)), partnership)


def prepare() -> dict[str, Any]:
    """The attendees (members and partner-side people of Northwind) and the running meeting;
    running it again keeps what is there."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.db import transaction
    from django.urls import reverse

    from tandem.accounts.actors import actor_for
    from tandem.accounts.models import Membership, PartnerAccess, User
    from tandem.core.access import Role
    from tandem.meetings import services

    northwind = _northwind()
    lead = User.objects.get(email=LEAD)
    password = make_password(PASSWORD)  # one hash for all: signing in still checks it
    with transaction.atomic():
        for n in range(ATTENDEES):
            email = attendee_email(n)
            user, created = User.objects.get_or_create(
                email=email, defaults={"name": f"Attendee {n:02d}", "password": password}
            )
            if not created:
                continue
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            if n % 2 == 0:
                Membership.objects.create(
                    workspace_id=northwind.workspace_id, user=user, role=Role.MEMBER
                )
            else:
                PartnerAccess.objects.create(partnership=northwind, user=user, invited_by=lead)
    meeting = _meeting(northwind) or services.meeting_start(
        actor=actor_for(lead), partnership=northwind
    )
    return {
        "meeting": reverse("meeting_detail", args=[northwind.pk, meeting.pk]),
        "live": reverse("meeting_live", args=[northwind.pk, meeting.pk]),
        "headlines": reverse("meeting_headline_add", args=[northwind.pk, meeting.pk]),
        "attendees": [attendee_email(n) for n in range(ATTENDEES)],
    }


def _clients() -> tuple[Any, str, int, dict[str, Any]]:
    from django.test import Client
    from django.urls import reverse

    from tandem.accounts.models import User

    northwind = _northwind()
    meeting = _meeting(northwind)
    if meeting is None:
        raise SystemExit("No running meeting at Northwind: run `live.py prepare` first.")
    clients = {}
    for n in (0, 1):  # a member and a partner-side attendee
        client = Client(SERVER_NAME="127.0.0.1")
        client.force_login(User.objects.get(email=attendee_email(n)))
        clients["member" if n == 0 else "partner side"] = client
    northwind.refresh_from_db()
    path = reverse("meeting_live", args=[northwind.pk, meeting.pk])
    return northwind, path, meeting.attendees.count(), clients


def probe() -> dict[str, Any]:
    """SQL queries and single-request time of a 204 poll and of a region render, for a member
    and a partner-side attendee, with the meeting as the HTTP run left it."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    northwind, path, attendees, clients = _clients()
    found: dict[str, Any] = {"attendees": attendees}
    for who, client in clients.items():
        for kind, version in (("poll", northwind.data_version), ("region", -1)):
            url = f"{path}?v={version}"
            client.get(url, HTTP_HX_REQUEST="true")  # warm per-process caches
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url, HTTP_HX_REQUEST="true")
            sql = [query["sql"] for query in queries.captured_queries]
            expected = 204 if kind == "poll" else 200
            if response.status_code != expected:
                raise SystemExit(f"live {kind} ({who}) answered {response.status_code}.")
            timings = []
            for _ in range(20):
                started = time.perf_counter()
                client.get(url, HTTP_HX_REQUEST="true")
                timings.append((time.perf_counter() - started) * 1000)
            found[f"{kind} ({who})"] = {
                "queries": len(sql),
                "sql": sql,
                "bytes": len(response.content),
                "in_process_ms": round(statistics.median(timings), 2),
            }
    return found


def profile() -> None:
    """Where a 204 poll's time goes, in process (for a person reading, not for the report)."""
    import cProfile
    import pstats

    northwind, path, _, clients = _clients()
    client = clients["member"]
    url = f"{path}?v={northwind.data_version}"
    client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(500):
        client.get(url, HTTP_HX_REQUEST="true")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(40)
    pstats.Stats(profiler).sort_stats("tottime").print_stats(15)


def in_process(env: dict[str, str], what: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(BENCH / "live.py"), what],
        cwd=BENCH.parent,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout)


# --- over HTTP: 50 browsers --------------------------------------------------------------------
@dataclass
class Attendee:
    email: str
    cookie: str
    csrf: str
    phase: float  # when in the second this page's poll timer fires
    version: int = -1
    seen: list[tuple[float, int]] = field(default_factory=list)  # (when, version) as it moved
    lock: threading.Lock = field(default_factory=threading.Lock)

    def holds(self, version: int, at: float) -> None:
        with self.lock:
            if version > self.version:
                self.version = version
                self.seen.append((at, version))


@dataclass
class Result:
    phase: str
    kind: str  # "poll" or "change"
    started: float
    ms: float
    status: int


class Browser:
    """Plain HTTP requests, one connection each (gunicorn's sync workers close them)."""

    def __init__(self, base: str) -> None:
        parts = urllib.parse.urlsplit(base)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80

    def request(
        self, method: str, path: str, headers: dict[str, str], body: str | None = None
    ) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            return response.status, response.read().decode("utf-8", "replace")
        finally:
            connection.close()


class Meeting:
    def __init__(self, base: str, paths: dict[str, Any], attendees: list[Attendee]) -> None:
        self.browser = Browser(base)
        self.paths = paths
        self.attendees = attendees
        self.phase = "settle"
        self.stopping = threading.Event()
        self.results: list[Result] = []
        self.errors: list[str] = []
        self.lock = threading.Lock()

    def join(self, attendee: Attendee) -> None:
        status, body = self.browser.request("GET", self.paths["meeting"], self.headers(attendee))
        found = VERSION.search(body)
        if status != 200 or found is None:
            raise SystemExit(f"{attendee.email}: the meeting page answered {status}.")
        attendee.holds(int(found.group(1)), time.monotonic())

    def headers(self, attendee: Attendee, **extra: str) -> dict[str, str]:
        return {"Cookie": attendee.cookie, **extra}

    def poll_loop(self, attendee: Attendee, start: float) -> None:
        """meeting.js: a timer every POLL_S; a tick is skipped while a poll is in flight."""
        tick = start + attendee.phase
        while not self.stopping.is_set():
            wait = tick - time.monotonic()
            if wait > 0 and self.stopping.wait(wait):
                return
            self.poll(attendee)
            now = time.monotonic()
            while tick <= now:
                tick += POLL_S

    def poll(self, attendee: Attendee) -> None:
        phase, started = self.phase, time.monotonic()
        path = "/_floor" if phase == "floor" else f"{self.paths['live']}?v={attendee.version}"
        try:
            status, body = self.browser.request(
                "GET", path, self.headers(attendee, **{"HX-Request": "true"})
            )
        except OSError as error:
            with self.lock:
                self.errors.append(f"poll: {error!r}")
            return
        done = time.monotonic()
        if status == 200 and phase != "floor":
            found = VERSION.search(body)
            if found:
                attendee.holds(int(found.group(1)), done)
        with self.lock:
            kind = "floor" if phase == "floor" else "poll"
            self.results.append(Result(phase, kind, started, (done - started) * 1000, status))
            if status not in (200, 204):
                self.errors.append(f"poll answered {status}")

    def change(self, attendee: Attendee, n: int) -> tuple[float, int]:
        """One attendee adds a headline; their page takes the region the POST answers."""
        phase, started = self.phase, time.monotonic()
        body = urllib.parse.urlencode({"kind": "good_news", "text": f"Bench headline {n}"})
        headers = self.headers(
            attendee,
            **{
                "HX-Request": "true",
                "X-CSRFToken": attendee.csrf,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        status, html = self.browser.request("POST", self.paths["headlines"], headers, body)
        done = time.monotonic()
        found = VERSION.search(html)
        if status != 200 or found is None or "Bench headline" not in html:
            raise SystemExit(f"Adding a headline answered {status}, not the live region.")
        with self.lock:
            self.results.append(Result(phase, "change", started, (done - started) * 1000, status))
        version = int(found.group(1))
        attendee.holds(version, done)
        return done, version

    def settled(self) -> bool:
        versions = {attendee.version for attendee in self.attendees}
        return len(versions) == 1


def _cookie_value(cookie: str, name: str) -> str:
    for part in cookie.split("; "):
        key, _, value = part.partition("=")
        if key == name:
            return value
    raise SystemExit(f"No {name} cookie after signing in.")


def _percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _latency(values: list[float]) -> dict[str, Any]:
    return {
        "count": len(values),
        "p50_ms": round(_percentile(values, 0.50), 2),
        "p95_ms": round(_percentile(values, 0.95), 2),
        "p99_ms": round(_percentile(values, 0.99), 2),
        "max_ms": round(max(values, default=0.0), 2),
    }


def _window(meeting: Meeting, phase: str, cpu: dict[str, float]) -> dict[str, Any]:
    rows = [row for row in meeting.results if row.phase == phase]
    polls = [row for row in rows if row.kind != "change" and row.status in (200, 204)]
    requests = len(rows)
    wall = cpu["wall_s"]
    return {
        "seconds": round(wall, 1),
        "requests": requests,
        "polls_per_s": round(len(polls) / wall, 1),
        "polls_204": len([row for row in polls if row.status == 204]),
        "regions_200": len([row for row in polls if row.status == 200]),
        "server_cpu_core_pct": round(100 * cpu["server_cpu_s"] / wall, 1),
        "server_cpu_ms_per_request": round(1000 * cpu["server_cpu_s"] / requests, 2)
        if requests
        else None,
        "load_tool_cpu_cores": round(cpu["load_tool_cpu_s"] / wall, 2),
        "background_cpu_cores": round(cpu["background_cores"], 2),
    }


def _propagation(meeting: Meeting, changes: list[tuple[float, int, Attendee]]) -> dict[str, Any]:
    delays, missed = [], 0
    for posted, version, actor in changes:
        for attendee in meeting.attendees:
            if attendee is actor:
                continue
            when = next((at for at, held in attendee.seen if held >= version), None)
            if when is None:
                missed += 1
            else:
                delays.append(max(0.0, when - posted) * 1000)
    return {
        "changes": len(changes),
        "deliveries": len(delays),
        "missed": missed,
        "p50_ms": round(_percentile(delays, 0.50)),
        "p95_ms": round(_percentile(delays, 0.95)),
        "max_ms": round(max(delays, default=0.0)),
    }


def measure(
    base: str,
    pgid: int,
    env: dict[str, str],
    *,
    login: Callable[[str, str], str],
    cpu_meter: Callable[[int], Any],
    wait_quiet: Callable[[], Any],
    seconds: float,
    raw: Path,
    log: Callable[[str], None],
) -> dict[str, Any]:
    log(f"  live meeting: {ATTENDEES} attendees sign in and join")
    paths = in_process(env, "prepare")
    with ThreadPoolExecutor(max_workers=4) as pool:  # signing in checks an Argon2 hash
        cookies = list(pool.map(lambda email: login(base, email), paths["attendees"]))
    attendees = [
        Attendee(email, cookie, _cookie_value(cookie, "csrftoken"), phase=n / ATTENDEES)
        for n, (email, cookie) in enumerate(zip(paths["attendees"], cookies, strict=True))
    ]
    meeting = Meeting(base, paths, attendees)
    wait_quiet()  # before the pages poll: their own load would count as other work
    for attendee in attendees:
        meeting.join(attendee)
    threads = [
        threading.Thread(target=meeting.poll_loop, args=(attendee, time.monotonic()), daemon=True)
        for attendee in attendees
    ]
    for thread in threads:
        thread.start()
    changes: list[tuple[float, int, Attendee]] = []
    try:
        deadline = time.monotonic() + SETTLE_S + 10
        time.sleep(SETTLE_S)
        while not meeting.settled() and time.monotonic() < deadline:
            time.sleep(0.2)
        meeting.phase = "floor"
        with cpu_meter(pgid) as floor_cpu:
            time.sleep(FLOOR_S)
        log(f"  live meeting: {IDLE_S:g} s connected, nobody changing anything")
        meeting.phase = "idle"
        with cpu_meter(pgid) as idle_cpu:
            time.sleep(IDLE_S)
        log(f"  live meeting: {seconds:g} s with a change every {CHANGE_EVERY_S:g} s")
        meeting.phase = "changes"
        with cpu_meter(pgid) as busy_cpu:
            started = time.monotonic()
            for n in range(round(seconds / CHANGE_EVERY_S)):
                wait = started + n * CHANGE_EVERY_S - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                actor = attendees[n % ATTENDEES]
                posted, version = meeting.change(actor, n)
                changes.append((posted, version, actor))
            time.sleep(max(0.0, started + seconds - time.monotonic()))
        meeting.phase = "drain"
        time.sleep(DRAIN_S)
    finally:
        meeting.stopping.set()
        for thread in threads:
            thread.join(timeout=15)
    found = in_process(env, "probe")
    raw.write_text(json.dumps(found, indent=2))  # with each request's SQL
    measured = [
        row for row in meeting.results if row.phase in ("idle", "changes") and row.kind == "poll"
    ]
    report = {
        "attendees": ATTENDEES,
        "poll_interval_s": POLL_S,
        "change_every_s": CHANGE_EVERY_S,
        "floor": _window(meeting, "floor", floor_cpu),
        "idle": _window(meeting, "idle", idle_cpu),
        "changes": _window(meeting, "changes", busy_cpu),
        "poll_204": _latency([row.ms for row in measured if row.status == 204]),
        "region_200": _latency([row.ms for row in measured if row.status == 200]),
        "change_post": _latency([row.ms for row in meeting.results if row.kind == "change"]),
        "propagation": _propagation(meeting, changes),
        "queries": {
            key: {name: value[name] for name in ("queries", "bytes", "in_process_ms")}
            for key, value in found.items()
            if isinstance(value, dict)
        },
        "errors": meeting.errors[:20],
        "error_count": len(meeting.errors),
    }
    judge(report)
    return report


def judge(report: dict[str, Any]) -> None:
    failures = []
    if report["error_count"]:
        failures.append(f"{report['error_count']} errors")
    if report["poll_204"]["p95_ms"] > POLL_P95_BAR_MS:
        failures.append(f"poll p95 > {POLL_P95_BAR_MS:g} ms")
    propagation = report["propagation"]
    if propagation["missed"]:
        failures.append(f"{propagation['missed']} changes never reached an attendee")
    if propagation["p95_ms"] > PROPAGATION_BAR_MS:
        failures.append(f"propagation p95 > {PROPAGATION_BAR_MS:g} ms")
    report["failures"] = failures
    report["passed"] = not failures


def same_cost(datasets: list[dict[str, Any]]) -> dict[str, Any]:
    """A poll and a region render make the same queries whatever the history."""
    measured = [data for data in datasets if "live_meeting" in data]
    counts: dict[str, dict[str, int]] = {}
    for data in measured:
        for key, value in data["live_meeting"]["queries"].items():
            counts.setdefault(key, {})[data["name"]] = value["queries"]
    problems = [key for key, found in counts.items() if len(set(found.values())) > 1]
    return {"queries": counts, "problems": problems, "same": not problems}


def passed(datasets: list[dict[str, Any]], cost: dict[str, Any]) -> bool:
    return cost["same"] and all(
        data["live_meeting"]["passed"] for data in datasets if "live_meeting" in data
    )


def markdown(datasets: list[dict[str, Any]], cost: dict[str, Any], noisy_cores: float) -> list[str]:
    measured = [data for data in datasets if "live_meeting" in data]
    if not measured:
        return []
    first = measured[0]["live_meeting"]
    lines = [
        "## The live meeting",
        "",
        f"{first['attendees']} attendees (every other one partner-side) have Northwind's "
        f"running weekly pulse open; each page polls `live/?v=<version>` every "
        f"{first['poll_interval_s']:g} s as meeting.js does. *Idle*: "
        f"{first['idle']['seconds']:g} s with nobody changing anything. *Changes*: "
        f"{first['changes']['seconds']:g} s with one attendee adding a headline every "
        f"{first['change_every_s']:g} s, after which every attendee fetches a fresh region. "
        "Propagation: from a change's POST returning until another attendee's page holds the "
        "new version.",
        "",
        f"Bar: 204 poll p95 ≤ {POLL_P95_BAR_MS:g} ms, propagation p95 ≤ "
        f"{PROPAGATION_BAR_MS:g} ms, no errors, the same query counts in every data set.",
        "",
        "| Data set | Polls/s | 204 p50 / p95 / p99 ms | Region p50 / p95 / p99 ms "
        "| Propagation p95 / max ms | CPU idle: % core, ms/poll "
        "| CPU with changes: % core, ms/req | Floor at 50/s: ms/req | Bar |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    noisy = False
    for data in measured:
        live = data["live_meeting"]
        mark = ""
        if max(live[key]["background_cpu_cores"] for key in ("idle", "changes")) > noisy_cores:
            noisy, mark = True, " †"
        poll, region, spread = live["poll_204"], live["region_200"], live["propagation"]
        idle, busy, floor = live["idle"], live["changes"], live["floor"]
        verdict = "pass" if live["passed"] else "**FAIL**: " + ", ".join(live["failures"])
        lines.append(
            f"| {data['name']}{mark} | {busy['polls_per_s']:.0f} "
            f"| {poll['p50_ms']:.1f} / {poll['p95_ms']:.1f} / {poll['p99_ms']:.1f} "
            f"| {region['p50_ms']:.1f} / {region['p95_ms']:.1f} / {region['p99_ms']:.1f} "
            f"| {spread['p95_ms']} / {spread['max_ms']} "
            f"| {idle['server_cpu_core_pct']:.0f}%, {idle['server_cpu_ms_per_request']:.2f} "
            f"| {busy['server_cpu_core_pct']:.0f}%, {busy['server_cpu_ms_per_request']:.2f} "
            f"| {floor['server_cpu_ms_per_request']:.2f} | {verdict} |"
        )
    names = [data["name"] for data in measured]
    lines += [
        "",
        f"| Request | Queries ({' / '.join(names)}) | In process ms | KB | Same cost |",
        "| --- | --- | ---: | ---: | --- |",
    ]
    for key, found in cost["queries"].items():
        queries = " / ".join(str(found.get(name, "—")) for name in names)
        last = measured[-1]["live_meeting"]["queries"][key]
        same = "**NO**" if key in cost["problems"] else "yes"
        lines.append(
            f"| {key} | {queries} | {last['in_process_ms']:.1f} "
            f"| {last['bytes'] / 1024:.1f} | {same} |"
        )
    lines += [
        "",
        "CPU: the server processes' CPU time over the window, as a share of one core and per "
        "request served (polls, region fetches and the changes' POSTs). Floor at 50/s: the "
        f"same {first['attendees']} pages asking `/_floor` (no database) once a second for "
        f"{first['floor']['seconds']:g} s, what any request costs the server at this rate "
        "(worker wake-ups, a connection per request). In process ms and KB: the "
        f"{measured[-1]['name']} data set, one request at a time.",
        "",
    ]
    if noisy:
        lines += [
            f"† Other work on the machine used more than {noisy_cores:g} CPUs while this data "
            "set's meeting ran: its latencies and propagation are pessimistic; its CPU figures "
            "hold (see background_cpu_cores in results.json).",
            "",
        ]
    return lines


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else ""
    if command not in ("prepare", "probe", "profile"):
        raise SystemExit("usage: live.py prepare|probe|profile (see bench/run.py)")
    _django()
    if command == "profile":
        profile()
    else:
        json.dump(prepare() if command == "prepare" else probe(), sys.stdout, indent=2)
        sys.stdout.write("\n")
