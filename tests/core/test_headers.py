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

from tandem.accounts.services import token_create
from tandem.core.serverlog import RedactedAccessLog
from tandem.meetings.calendar_services import feed_reset
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


def test_the_access_log_never_holds_the_calendar_secret(world: World) -> None:
    secret = feed_reset(user=world.pat)[1]
    stream = io.StringIO()
    config = SimpleNamespace(
        accesslog="-", access_log_format='"%(r)s" %(s)s "%(f)s" %(U)s', errorlog="-",
        loglevel="info", logconfig=None, logconfig_dict={}, logconfig_json=None,
        syslog=False, capture_output=False, disable_redirect_access_to_syslog=False,
        user=0, group=0, umask=0, permit_unconventional_http_method=False,
    )  # fmt: skip
    logger = RedactedAccessLog(config)
    handler = logging.StreamHandler(stream)
    logger.access_log.handlers = [handler]
    for path in (f"/calendar/{secret}.ics", "/invitations/inv_abcdef123/"):
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://tandem.example.com{path}",
        }
        response = SimpleNamespace(status="200 OK", sent=10, headers=[])
        logger.access(response, SimpleNamespace(headers=[]), environ, dt.timedelta(seconds=0))
    written = stream.getvalue()
    assert "/calendar/[secret].ics" in written and "/invitations/[secret]/" in written
    assert secret not in written and "inv_abcdef123" not in written
    # The Procfile, which `make run` starts, uses this logger.
    assert "tandem.core.serverlog.RedactedAccessLog" in (ROOT / "Procfile").read_text()
