"""A real OpenID Connect provider for browser tests, started on loopback.

It runs ``tests/browser/oidc/provider.mjs`` (the npm package ``oidc-provider``, installed
by ``npm ci --prefix tests/browser``) in a node process of its own: authorization code
flow with PKCE, its own sign-in and sign-out pages, and the accounts and clients given at
start. Usage::

    with OidcProvider.start(
        clients=[OidcClient("tandem", "secret", [callback_url], [login_url])],
        accounts=[OidcAccount("pat@northwind.example", "pw", "Pat Partner")],
        title="Northwind login",
        log_path=tmp_path / "oidc.log",
    ) as provider:
        provider.issuer  # "http://127.0.0.1:<port>"
"""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

BROWSER_TESTS = Path(__file__).resolve().parent
PROVIDER_SCRIPT = BROWSER_TESTS / "oidc" / "provider.mjs"
PACKAGE_DIR = BROWSER_TESTS / "node_modules" / "oidc-provider"
READY_DEADLINE = 30.0  # seconds for node to load oidc-provider and listen
STOP_DEADLINE = 5.0  # seconds to wait after SIGTERM before killing


@dataclass(frozen=True)
class OidcClient:
    """A confidential client registered with the provider (the relying party, Tandem)."""

    client_id: str
    client_secret: str
    redirect_uris: list[str]
    post_logout_redirect_uris: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OidcAccount:
    """A person who can sign in at the provider; ``refused`` ones are turned away."""

    email: str
    password: str
    name: str
    refused: bool = False


class OidcProviderError(RuntimeError):
    """The provider did not start; the message carries its log."""


def _as_dict(item: OidcClient | OidcAccount | Mapping[str, Any]) -> dict[str, Any]:
    # Callers may pass the dataclasses or plain dicts in the config's own shape.
    if isinstance(item, OidcClient | OidcAccount):
        return asdict(item)
    return dict(item)


class OidcProvider:
    """A running provider process. Make one with :meth:`start`; end it with :meth:`stop`."""

    def __init__(
        self,
        process: subprocess.Popen[str],
        issuer: str,
        log_path: Path,
        log_file: IO[str],
        config_dir: tempfile.TemporaryDirectory[str],
        reader: threading.Thread,
    ) -> None:
        self.process = process
        self.issuer = issuer
        self.log_path = log_path
        self._log_file = log_file
        self._config_dir = config_dir
        self._reader = reader

    @property
    def discovery_url(self) -> str:
        """Where the provider's OpenID configuration is served."""
        return f"{self.issuer}/.well-known/openid-configuration"

    @classmethod
    def start(
        cls,
        *,
        clients: Iterable[OidcClient | Mapping[str, Any]],
        accounts: Iterable[OidcAccount | Mapping[str, Any]],
        title: str = "Sign in",
        log_path: Path | None = None,
        port: int = 0,
    ) -> OidcProvider:
        """Start the provider and wait until it listens.

        ``port`` 0 lets node pick a free port itself and report it, so there is no race
        between choosing a port here and binding it there. The provider's stderr (one line
        per request, and any error) goes to ``log_path``, or to a temporary file.
        """
        node = shutil.which("node")
        if node is None:
            raise OidcProviderError("node is not installed")
        if not PACKAGE_DIR.is_dir():
            raise OidcProviderError(f"{PACKAGE_DIR} is missing: run npm ci --prefix tests/browser")

        config_dir = tempfile.TemporaryDirectory(prefix="oidc-peer-")
        config_path = Path(config_dir.name) / "config.json"
        config: dict[str, Any] = {
            "port": port,
            "title": title,
            "clients": [_as_dict(client) for client in clients],
            "accounts": [_as_dict(account) for account in accounts],
        }
        if port:
            config["issuer"] = f"http://127.0.0.1:{port}"
        config_path.write_text(json.dumps(config), encoding="utf-8")

        if log_path is None:
            log_path = Path(config_dir.name) / "provider.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_file = log_path.open("a", encoding="utf-8")

        # Twice at most: once in a few hundred starts, in a full test run, node has said
        # nothing for the whole deadline (its log empty but for its version warning). The
        # first time, what it was doing is written to the log (a node diagnostic report),
        # and a second process is started; a second silence fails the test.
        for attempt in (1, 2):
            process = _launch(node, config_path, Path(config_dir.name), log_file)
            issuer, reader = _wait_for_ready(process, READY_DEADLINE)
            if issuer is not None:
                break
            exited = process.poll()
            stuck = _report(process, Path(config_dir.name)) if exited is None else ""
            process.kill()
            process.wait()
            reader.join(timeout=STOP_DEADLINE)  # ends at end of file, now that node is gone
            for stream in (process.stdin, process.stdout):
                if stream is not None:
                    stream.close()
            if exited is None and attempt == 1:
                log_file.write(
                    f"oidc peer: no ready line within {READY_DEADLINE:.0f} s; where node was:\n"
                    f"{stuck}\noidc peer: started again\n"
                )
                log_file.flush()
                continue
            log_file.close()
            log = log_path.read_text(encoding="utf-8", errors="replace")
            config_dir.cleanup()
            why = (
                f"exited with code {exited}"
                if exited is not None
                else f"did not say ready within {READY_DEADLINE:.0f} s, twice"
            )
            raise OidcProviderError(f"the OpenID provider {why}; its log:\n{log}\n{stuck}")
        assert issuer is not None
        return cls(process, issuer, log_path, log_file, config_dir, reader)

    def stop(self) -> None:
        """End the provider process and remove its temporary config."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=STOP_DEADLINE)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        # The reader ends at end of file once node is gone; closing under it would race.
        self._reader.join(timeout=STOP_DEADLINE)
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._log_file.close()
        self._config_dir.cleanup()

    def log(self) -> str:
        """What the provider has written to its log so far."""
        self._log_file.flush()
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> OidcProvider:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


def _launch(
    node: str, config_path: Path, report_dir: Path, log_file: IO[str]
) -> subprocess.Popen[str]:
    """The provider's node process; SIGUSR2 makes it write a diagnostic report (its
    JavaScript stack and what its event loop waits on) into ``report_dir``."""
    # stdin stays an open pipe: the provider exits when it closes, so it cannot outlive
    # this process even if stop() is never called.
    return subprocess.Popen(
        [
            node,
            "--report-on-signal",
            "--report-signal=SIGUSR2",
            f"--report-directory={report_dir}",
            str(PROVIDER_SCRIPT),
            str(config_path),
        ],
        cwd=BROWSER_TESTS,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log_file,
        text=True,
    )


def _report(process: subprocess.Popen[str], report_dir: Path) -> str:
    """Where a silent node process is: the JavaScript stack and the handles its event loop
    holds, from the report it writes on SIGUSR2 (empty if none came within 5 s)."""
    process.send_signal(signal.SIGUSR2)
    end = time.monotonic() + 5
    while time.monotonic() < end:
        for path in report_dir.glob(f"report.*.{process.pid}.*.json"):
            try:
                report = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # still being written
            stack = report.get("javascriptStack", {})
            handles = [
                f"{h.get('type')} {h.get('localEndpoint') or h.get('filename') or ''}".strip()
                for h in report.get("libuv", [])
                if h.get("is_active")
            ]
            return "\n".join(
                [
                    f"JavaScript: {stack.get('message', '')}",
                    *stack.get("stack", []),
                    f"active handles: {', '.join(handles) or 'none'}",
                ]
            )
        time.sleep(0.1)
    return ""


def _wait_for_ready(
    process: subprocess.Popen[str], deadline: float
) -> tuple[str | None, threading.Thread]:
    """The issuer from the provider's ``ready <issuer>`` line (None if it never came),
    and the thread that reads its stdout."""
    assert process.stdout is not None
    stdout = process.stdout
    found: list[str] = []

    # readline() blocks, so it runs in a thread and the deadline is kept here; the thread
    # then keeps draining stdout so a stray write can never fill the pipe and block node.
    def read() -> None:
        for line in stdout:
            if not found and line.startswith("ready "):
                found.append(line.removeprefix("ready ").strip())

    reader = threading.Thread(target=read, name="oidc-peer-stdout", daemon=True)
    reader.start()
    end = time.monotonic() + deadline
    while time.monotonic() < end and not found and process.poll() is None:
        time.sleep(0.02)
    if not found and process.poll() is not None:
        reader.join(timeout=1.0)  # a line written just before exiting is still counted
    return (found[0] if found else None), reader
