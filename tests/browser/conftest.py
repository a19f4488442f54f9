"""A real Tandem for browser tests: its own database, gunicorn, the task worker, an SMTP
server and headless Chromium, started the way people start them.

Nothing here uses pytest-django's test database or live server: the browser talks to a
separate server process over HTTP, and e-mails travel over SMTP on the loopback interface.
"""

from __future__ import annotations

import email
import os
import secrets
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from aiosmtpd.controller import Controller
from playwright.sync_api import Browser, BrowserContext, expect, sync_playwright

REPO_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STARTUP_DEADLINE = 60.0  # seconds for gunicorn to answer /healthz
MAIL_DEADLINE = 30.0  # seconds for the worker to deliver an e-mail

# Log files of the processes started for this session, attached to a failing test's report.
_LOGS: dict[str, Path] = {}

expect.set_options(timeout=10_000)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and _LOGS:
        for name, path in _LOGS.items():
            text = path.read_text(errors="replace") if path.exists() else ""
            report.sections.append((f"{name} (last 200 lines)", _tail(text, 200)))


def _tail(text: str, lines: int) -> str:
    return "\n".join(text.splitlines()[-lines:]) or "(empty)"


# --- Database ------------------------------------------------------------------------------


def _with_database(url: str, name: str) -> str:
    return urlsplit(url)._replace(path="/" + name).geturl()


@pytest.fixture(scope="session")
def e2e_database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A fresh, migrated database with the demo data, for the server under test only."""
    base_url = os.environ.get("DATABASE_URL", "")
    if base_url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"tandem_e2e_{os.getpid()}"
        admin = _with_database(base_url, "postgres")
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        url = _with_database(base_url, name)
        try:
            _prepare(url)
            yield url
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path_factory.mktemp("e2e-db") / "e2e.sqlite3"
        url = f"sqlite:///{path}"
        _prepare(url)
        yield url


def _prepare(url: str) -> None:
    """Migrate and load the demo data, as a person setting up Tandem would."""
    env = _server_env(url, site_url="http://127.0.0.1", smtp_port=25)
    for command in (["migrate", "--noinput"], ["load_demo"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO_ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        if result.returncode != 0:
            pytest.fail(
                f"manage.py {' '.join(command)} failed ({result.returncode}):\n"
                f"{result.stdout}\n{result.stderr}"
            )


def _server_env(database_url: str, *, site_url: str, smtp_port: int) -> dict[str, str]:
    env = dict(os.environ)
    for inherited in ("EMAIL_URL", "TASKS_BACKEND", "STATIC_MANIFEST", "CSRF_TRUSTED_ORIGINS"):
        env.pop(inherited, None)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="tandem.settings",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        SITE_URL=site_url,
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_port),
        AXES_ENABLED="0",
        TANDEM_TESTING="0",
        # Its peers (the OpenID providers, receivers) listen on loopback over plain http.
        LOOPBACK_HTTP_ALLOWED="1",
        PYTHONUNBUFFERED="1",
    )
    return env


# --- SMTP ----------------------------------------------------------------------------------


@dataclass
class Mailbox:
    """Every message the SMTP server accepted, in order of arrival."""

    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    _arrived: threading.Condition = field(default_factory=threading.Condition)

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=policy.default)  # type: ignore[attr-defined]
        recipients = [address.lower() for address in envelope.rcpt_tos]  # type: ignore[attr-defined]
        with self._arrived:
            self.messages.append((recipients, message))  # type: ignore[arg-type]
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    def wait_for(self, address: str, timeout: float = MAIL_DEADLINE) -> EmailMessage:
        """The first message to ``address``, waiting for it to arrive if need be."""
        address = address.lower()
        deadline = time.monotonic() + timeout
        with self._arrived:
            while True:
                for recipients, message in self.messages:
                    if address in recipients:
                        return message
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    seen = [recipients for recipients, _ in self.messages]
                    pytest.fail(f"No e-mail to {address} within {timeout:.0f} s; got {seen}")
                self._arrived.wait(remaining)


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield mailbox, port
    finally:
        controller.stop()


@pytest.fixture(scope="session")
def mailbox(smtp_server: tuple[Mailbox, int]) -> Mailbox:
    return smtp_server[0]


# --- Server and worker ---------------------------------------------------------------------


@dataclass
class Server:
    base_url: str

    def url(self, path: str) -> str:
        return self.base_url + path


def _start(name: str, command: list[str], env: dict[str, str], logs: Path) -> subprocess.Popen:
    log = logs / f"{name}.log"
    _LOGS[name] = log
    with log.open("wb") as out:
        return subprocess.Popen(
            command, cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _wait_healthy(base_url: str, web: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_DEADLINE
    while True:
        if web.poll() is not None:
            pytest.fail(f"gunicorn exited with {web.returncode}:\n{_tail(log.read_text(), 50)}")
        try:
            with urllib.request.urlopen(base_url + "/healthz", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"{base_url}/healthz did not answer 200:\n{_tail(log.read_text(), 50)}")
        time.sleep(0.2)  # polling for start-up, not an assertion


@pytest.fixture(scope="session")
def server(
    e2e_database_url: str,
    smtp_server: tuple[Mailbox, int],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Server]:
    """gunicorn and the task worker, as `make run` / a Procfile would start them."""
    logs = tmp_path_factory.mktemp("e2e-logs")
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _server_env(e2e_database_url, site_url=base_url, smtp_port=smtp_server[1])
    web = _start(
        "gunicorn",
        [
            sys.executable,
            *("-m", "gunicorn", "tandem.wsgi:application"),
            *("-b", f"127.0.0.1:{port}", "-w", "2"),
            # gunicorn 27's control socket defaults to one path per user (~/.gunicorn): two
            # test runs at once would fight over it, and nothing here uses it.
            "--no-control-socket",
        ],
        env,
        logs,
    )
    worker = _start("run_worker", [sys.executable, "manage.py", "run_worker"], env, logs)
    try:
        _wait_healthy(base_url, web, logs / "gunicorn.log")
        yield Server(base_url=base_url)
    finally:
        _stop(web)
        _stop(worker)


# --- Browser -------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_context(browser: Browser):  # type: ignore[no-untyped-def]
    """A fresh browser context (cookies, storage) per person; all closed after the test."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()
