"""What every answer says about itself: nobody else's cache keeps a signed-in page, browser
features nobody uses are refused, production settings pass Django's deployment check, and
the access log never holds the secret in a calendar address."""

from __future__ import annotations

import datetime as dt
import io
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

from django.test import Client
from django.urls import reverse

from tandem.accounts.services import token_create
from tandem.core.serverlog import RedactedAccessLog
from tandem.meetings.calendar.services import feed_reset
from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]


def test_signed_in_pages_and_api_answers_are_kept_by_no_cache(world: World, as_pat) -> None:
    secret = token_create(user=world.pat, name="t")[1]
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    answers = {
        "overview": as_pat.get(f"/partnerships/{world.northwind.pk}/"),
        "to-dos": as_pat.get(f"/partnerships/{world.northwind.pk}/todos/"),
        "api list": api.get(f"/api/partnerships/{world.northwind.pk}/todos"),
        "api refusal": api.get("/api/partnerships/999999/todos"),
    }
    for name, response in answers.items():
        cache_control = response.headers.get("Cache-Control", "")
        assert "no-store" in cache_control and "private" in cache_control, name


def test_every_answer_refuses_browser_features_tandem_does_not_use(world: World, as_pat) -> None:
    for response in (
        Client().get("/accounts/login/"),
        as_pat.get(f"/partnerships/{world.northwind.pk}/"),
        Client().get("/api/openapi.json"),
    ):
        policy = response.headers["Permissions-Policy"]
        assert "camera=()" in policy and "geolocation=()" in policy and "microphone=()" in policy


def test_the_api_description_is_public_and_holds_no_data(world: World) -> None:
    """Decided: /api/docs and /api/openapi.json answer without signing in. They describe
    the same API to everyone (as the README does) and carry no workspace's data, so tools
    and integrators can read them before they hold a token; every operation they describe
    still asks for one."""
    schema = Client().get("/api/openapi.json")
    assert schema.status_code == 200
    text = schema.content.decode()
    for secret in (world.acme.name, world.northwind.name, world.pat.email, world.shared_note.title):
        assert secret not in text
    assert Client().get(f"/api/partnerships/{world.northwind.pk}/todos").status_code == 401


def test_production_settings_pass_the_deployment_check() -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "TANDEM_TESTING": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "tandem.example.com",
        "STATIC_MANIFEST": "1",
    }
    env.pop("DATABASE_URL", None)
    env["TANDEM_VAR_DIR"] = str(ROOT / "var")
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout, result.stdout + result.stderr


def _secret_routes() -> list[tuple[str, list[str]]]:
    """Every named URL pattern that carries a secret (a ``token`` or ``key`` in its path),
    walked from the URL configuration so a new one is held to the same rule."""
    from django.urls import get_resolver
    from django.urls.resolvers import URLPattern, URLResolver

    found = []

    def walk(patterns: list) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                groups = list(pattern.pattern.regex.groupindex)
                if {"token", "key"} & set(groups):
                    found.append((pattern.name, groups))

    walk(get_resolver().url_patterns)
    return found


def _logged(paths: list[str]) -> str:
    stream = io.StringIO()
    config = SimpleNamespace(
        accesslog="-", access_log_format='"%(r)s" %(s)s "%(f)s" %(U)s', errorlog="-",
        loglevel="info", logconfig=None, logconfig_dict={}, logconfig_json=None,
        syslog=False, capture_output=False, disable_redirect_access_to_syslog=False,
        user=0, group=0, umask=0, permit_unconventional_http_method=False,
    )  # fmt: skip
    logger = RedactedAccessLog(config)
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    for path in paths:
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path + "?from=mail",
            "PATH_INFO": path,
            "QUERY_STRING": "from=mail",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://tandem.example.com{path}",
        }
        response = SimpleNamespace(status="200 OK", sent=10, headers=[])
        logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=0))
    return stream.getvalue()


def test_the_access_log_never_holds_a_secret_from_an_address(world: World) -> None:
    """The calendar feed's address, an invitation, an e-mail confirmation and a password
    reset link each carry a secret: the access log writes ``[secret]`` in its place."""
    calendar_secret = feed_reset(user=world.pat)[1]
    routes = _secret_routes()
    names = {name for name, _ in routes}
    assert {"calendar_feed", "invitation_accept", "account_confirm_email"} <= names, names
    paths, secrets_sent = [], []
    for name, groups in routes:
        secret = calendar_secret if name == "calendar_feed" else "MQ:1tXyZ:" + secrets.token_hex(8)
        secrets_sent.append(secret)
        kwargs = {group: secret if group in {"token", "key"} else "3" for group in groups}
        paths.append(reverse(name, kwargs=kwargs))
    written = _logged(paths)
    for secret in secrets_sent:
        assert secret not in written
    assert written.count("[secret]") == 3 * len(paths)  # request line, referrer and path
    assert "/calendar/[secret].ics" in written


def test_gunicorn_started_here_uses_the_redacting_log() -> None:
    """`make run`, the README's command, the browser tests and the bench start gunicorn in
    the project folder, where it reads gunicorn.conf.py."""
    from gunicorn.config import Config

    config = Config()
    namespace: dict[str, object] = {}
    exec((ROOT / "gunicorn.conf.py").read_text(), namespace)  # as gunicorn does
    for key, value in namespace.items():
        if key in config.settings:
            config.set(key, value)
    assert config.logger_class is RedactedAccessLog
