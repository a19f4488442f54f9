"""PostgreSQL restarts while people are saving: nobody gets a 500, every save that was
acknowledged is kept, and Tandem serves again by itself once the database is back.

The test starts a PostgreSQL of its own - a throwaway cluster on a free port, made with
Debian's PostgreSQL tools - so stopping it disturbs no other test running beside it, and the
real server (gunicorn, DEBUG off, threads) as production runs it. It needs PostgreSQL's
programs, not the suite's database, and runs once: in the PostgreSQL pass of `make test`.
"""

from __future__ import annotations

import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest

pytestmark = [pytest.mark.database_restart, pytest.mark.postgresql]

REPO_ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4  # threads posting to-dos at once
MAX_REQUESTS_PER_WRITER = 3000  # bounds the load whatever happens
WRITES_BEFORE = 20  # acknowledged before the database goes away
WRITES_AFTER = 20  # acknowledged after it is back: recovered
DEADLINE = 60.0  # seconds for any phase; a bound, not an assertion about speed

# Migrate and make Lena, her partnership, an API token and a signed-in browser session, in one
# process: each Django start costs seconds on a busy machine.
SETUP = """
import json
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from tandem.accounts.services import token_create
from tandem.core.access import Role
from tests.factories import MembershipFactory, PartnershipFactory, UserFactory

call_command("migrate", interactive=False, verbosity=0)
lena = UserFactory(email="lena@acme.example", name="Lena Lead")
acme = MembershipFactory(user=lena, role=Role.OWNER, workspace__name="Acme Analytics").workspace
northwind = PartnershipFactory(workspace=acme, name="Northwind")
browser = Client()
browser.force_login(lena, backend="django.contrib.auth.backends.ModelBackend")
print(json.dumps({
    "partnership": northwind.pk,
    "token": token_create(user=lena, name="load")[1],
    "session": [settings.SESSION_COOKIE_NAME, browser.cookies[settings.SESSION_COOKIE_NAME].value],
}))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lasting_port() -> int:
    """A free port below the range the kernel hands out to outgoing connections, so that no
    connection (thousands are made here) takes it while the database is stopped."""
    ephemeral = Path("/proc/sys/net/ipv4/ip_local_port_range")
    low = int(ephemeral.read_text().split()[0]) if ephemeral.exists() else 32768
    for port in random.sample(range(min(20000, low // 2), low), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail("no free port for PostgreSQL below the ephemeral range")


def wait_for(condition: Callable[[], bool], what: str, log: Path | None = None) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-5000:] if log and log.exists() else ""
            pytest.fail(f"{what} did not happen within {DEADLINE:.0f} s\n{tail}")
        time.sleep(0.05)  # polling for progress, not an assertion


# --- A PostgreSQL of our own -----------------------------------------------------------------


def postgres_bin() -> Path:
    """Debian's PostgreSQL programs: version 15 where installed, else the newest."""
    installed = {
        path.parent.parent.name: path.parent
        for path in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")
        if path.parent.parent.name.isdigit()
    }
    if installed:
        return installed.get("15") or installed[max(installed, key=int)]
    if shutil.which("pg_config"):
        bindir = subprocess.run(
            ["pg_config", "--bindir"], capture_output=True, text=True, check=True
        ).stdout.strip()
        if (Path(bindir) / "pg_ctl").exists():
            return Path(bindir)
    pytest.fail("PostgreSQL's programs (initdb, pg_ctl) are needed: apt-get install postgresql")


@dataclass
class Cluster:
    """A PostgreSQL cluster in a temporary directory, listening on 127.0.0.1:<port>."""

    root: Path
    port: int
    bin: Path = field(default_factory=postgres_bin)

    @property
    def log(self) -> Path:
        return self.root / "postgres.log"

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, program: str, *args: str) -> None:
        # initdb and the server refuse to run as root: they run as the postgres user then.
        as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(
            [*as_owner, str(self.bin / program), *args],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            check=False,
        )
        if result.returncode != 0:
            pytest.fail(f"{program} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")

    def init(self) -> None:
        data = str(self.root / "data")
        self.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.root}"
        )
        self.run(
            "pg_ctl",
            *("-D", str(self.root / "data"), "-l", str(self.log), "-o", options),
            *("-w", "-t", str(int(DEADLINE)), "start"),
        )

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.root / "data"), "-m", mode, "-w", "stop")

    def running(self) -> bool:
        return (self.root / "data" / "postmaster.pid").exists()


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    root = Path(tempfile.mkdtemp(prefix="tandem-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
    cluster = Cluster(root=root, port=lasting_port())
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if cluster.running():
            subprocess.run(
                [
                    *(["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []),
                    *(str(cluster.bin / "pg_ctl"), "-D", str(root / "data")),
                    *("-m", "immediate", "-w", "stop"),
                ],
                capture_output=True,
                timeout=DEADLINE,
                check=False,
            )
        shutil.rmtree(root, ignore_errors=True)


# --- Tandem on it ----------------------------------------------------------------------------


@dataclass
class Tandem:
    base_url: str
    process: subprocess.Popen[bytes]
    log: Path
    partnership: int
    token: str
    session: tuple[str, str]


def server_env(database_url: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"EMAIL_URL", "TASKS_BACKEND", "STATIC_MANIFEST", "REDIS_URL"}
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="tandem.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        AXES_ENABLED="0",
        TANDEM_TESTING="0",
        PYTHONUNBUFFERED="1",
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"manage.py {args[0]} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


@pytest.fixture
def tandem(cluster: Cluster, tmp_path: Path) -> Iterator[Tandem]:
    with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
        conn.execute("CREATE DATABASE tandem")
    env = server_env(cluster.url("tandem"))
    port = free_port()
    log = tmp_path / "gunicorn.log"
    with log.open("wb") as out:
        # Booting touches no database: gunicorn starts while the schema is made.
        process = subprocess.Popen(
            [
                *(sys.executable, "-m", "gunicorn", "tandem.wsgi:application"),
                *("-b", f"127.0.0.1:{port}", "-w", "2", "--threads", "4"),
                "--no-control-socket",  # gunicorn 27: one path per user, shared by test runs
            ],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        made = json.loads(manage(env, "shell", "-c", SETUP).strip().splitlines()[-1])
        wait_for(lambda: call("GET", base_url + "/healthz").status == 200, "gunicorn start", log)
        yield Tandem(
            base_url=base_url,
            process=process,
            log=log,
            partnership=made["partnership"],
            token=made["token"],
            session=tuple(made["session"]),  # type: ignore[arg-type]
        )
    finally:
        process.send_signal(signal.SIGINT)  # quick shutdown: the test is over
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)
        # Shown only when the test fails: what the server and the database said.
        for name, path in (("gunicorn", log), ("postgres", cluster.log)):
            text = path.read_text(errors="replace") if path.exists() else ""
            print(f"--- {name} log (end) ---\n{text[-6000:]}")


@dataclass
class Answer:
    status: int | None  # None: no answer at all
    headers: dict[str, str]
    body: bytes
    after_restart: bool = False


def call(
    method: str, url: str, *, headers: dict[str, str] | None = None, body: bytes | None = None
) -> Answer:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return Answer(response.status, dict(response.headers), response.read())
    except urllib.error.HTTPError as error:
        return Answer(error.code, dict(error.headers), error.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return Answer(None, {}, str(error).encode())


# --- The load --------------------------------------------------------------------------------


@dataclass
class Load:
    """Writers posting to-dos through the API until told to stop."""

    tandem: Tandem
    answers: list[Answer] = field(default_factory=list)
    restarted: threading.Event = field(default_factory=threading.Event)
    stopping: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def write(self, writer: int) -> None:
        url = f"{self.tandem.base_url}/api/partnerships/{self.tandem.partnership}/todos"
        headers = {
            "Authorization": f"Bearer {self.tandem.token}",
            "Content-Type": "application/json",
        }
        for number in range(MAX_REQUESTS_PER_WRITER):
            if self.stopping.is_set():
                return
            after_restart = self.restarted.is_set()
            body = json.dumps({"title": f"Writer {writer}, save {number}"}).encode()
            answer = call("POST", url, headers=headers, body=body)
            answer.after_restart = after_restart
            with self.lock:
                self.answers.append(answer)
            if answer.status == 503:
                time.sleep(0.1)  # a polite client backs off (Retry-After asks for longer)

    def count(self, status: int, *, after_restart: bool | None = None) -> int:
        with self.lock:
            return sum(
                1
                for answer in self.answers
                if answer.status == status
                and (after_restart is None or answer.after_restart == after_restart)
            )

    @property
    def acknowledged(self) -> dict[int, str]:
        """The to-dos the server said it saved: id → title."""
        with self.lock:
            saved = [json.loads(a.body) for a in self.answers if a.status == 201]
        return {todo["id"]: todo["title"] for todo in saved}


def test_a_postgresql_restart_under_load_loses_nothing_and_needs_no_app_restart(
    cluster: Cluster, tandem: Tandem
) -> None:
    load = Load(tandem)
    writers = [threading.Thread(target=load.write, args=(n,)) for n in range(WRITERS)]
    for writer in writers:
        writer.start()
    try:
        wait_for(lambda: load.count(201) >= WRITES_BEFORE, "the first saves", tandem.log)

        cluster.stop("fast")  # in-flight transactions are cut off mid-request
        during = load.count(503)
        wait_for(lambda: load.count(503) > during, "a save refused while down", tandem.log)
        name, value = tandem.session
        page = call(
            "GET", tandem.base_url + "/partnerships/", headers={"Cookie": f"{name}={value}"}
        )
        problem = call(
            "GET",
            tandem.base_url + "/api/partnerships",
            headers={"Authorization": f"Bearer {tandem.token}"},
        )

        cluster.start()
        load.restarted.set()
        wait_for(
            lambda: load.count(201, after_restart=True) >= WRITES_AFTER,
            "saves after the restart",
            tandem.log,
        )
    finally:
        load.stopping.set()
        for writer in writers:
            writer.join(timeout=DEADLINE)

    # Lena, in her browser while the database is away: a page that says to try again.
    assert page.status == 503, page.body[:2000]
    assert page.headers.get("Retry-After") == "5"
    assert "can&#x27;t reach its database right now — try again" in page.body.decode()
    # Her script: a problem it can act on.
    assert problem.status == 503
    assert problem.headers.get("Retry-After") == "5"
    assert problem.headers.get("Content-Type") == "application/problem+json"
    assert json.loads(problem.body)["status"] == 503

    statuses = [answer.status for answer in load.answers]
    unexpected = [(a.status, a.body[:300]) for a in load.answers if a.status not in {201, 503}]
    assert not unexpected, f"answers other than 201 or 503: {unexpected[:5]}"
    refused = [answer for answer in load.answers if answer.status == 503]
    assert all(answer.headers.get("Retry-After") == "5" for answer in refused)
    assert all(a.headers.get("Content-Type") == "application/problem+json" for a in refused)
    # Once the database is back, every save works: no stale connection survives.
    late = [(a.status, a.body[:300]) for a in load.answers if a.after_restart and a.status != 201]
    assert not late, f"refused after the restart: {late[:5]}"

    acknowledged = load.acknowledged
    with psycopg.connect(cluster.url("tandem")) as conn:
        kept = dict(
            conn.execute(
                "SELECT id, title FROM traction_todo WHERE id = ANY(%s)", [list(acknowledged)]
            ).fetchall()
        )
    assert kept == acknowledged, f"{len(acknowledged) - len(kept)} acknowledged saves lost"

    # The same server, never restarted: the master runs on, no worker was replaced.
    assert tandem.process.poll() is None
    assert tandem.log.read_text(errors="replace").count("Booting worker") == 2

    print(  # the figures for the record (pytest -s shows them)
        f"\nPostgreSQL restart under load: {len(statuses)} requests,"
        f" {len(refused)} answered 503 with Retry-After, {statuses.count(500)} answered 500,"
        f" {len(acknowledged)} acknowledged writes, {len(kept)} of them kept"
    )
