"""`make run PORT=8001`: the web server binds that port and e-mail links follow it, and the
console says where mails go."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from tandem.core.mailinfo import where_mails_go

ROOT = Path(__file__).resolve().parents[2]


def site_url(**env: str) -> str:
    """SITE_URL as a freshly started process with this environment sees it."""
    clean = {k: v for k, v in os.environ.items() if k not in {"PORT", "SITE_URL"}}
    clean.update(DJANGO_SETTINGS_MODULE="tandem.settings", DEBUG="1")
    code = "from django.conf import settings; print(settings.SITE_URL)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_links_in_mails_follow_the_port_the_app_runs_on() -> None:
    assert site_url() == "http://127.0.0.1:8000"
    assert site_url(PORT="8001") == "http://127.0.0.1:8001"


def test_a_site_url_that_is_set_wins_over_the_port() -> None:
    assert site_url(PORT="8001", SITE_URL="https://tandem.example.com/") == (
        "https://tandem.example.com"
    )


def test_the_web_server_binds_the_port_it_is_given() -> None:
    web = next(
        line for line in (ROOT / "Procfile").read_text().splitlines() if line.startswith("web:")
    )
    assert "--bind 127.0.0.1:$PORT" in web
    # make run hands the worker SITE_URL too: honcho gives each later process PORT+100.
    makefile = (ROOT / "Makefile").read_text()
    assert "run: export PORT ?= 8000" in makefile
    assert "run: export SITE_URL ?= http://127.0.0.1:$(PORT)" in makefile


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    SITE_URL="http://127.0.0.1:8001",
)
def test_without_a_mail_server_the_console_says_mails_are_printed_there() -> None:
    said = where_mails_go()
    assert "printed in this console" in said
    assert "http://127.0.0.1:8001" in said


@override_settings(
    EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
    EMAIL_HOST="mail.example.com",
    EMAIL_PORT=587,
)
def test_with_a_mail_server_the_console_names_it() -> None:
    assert "sent through mail.example.com:587" in where_mails_go()


@pytest.mark.django_db
def test_the_worker_says_where_mails_go_when_it_starts(monkeypatch, capsys) -> None:
    from django.core.management import call_command

    from tandem.core.management.commands import run_worker

    monkeypatch.setattr(run_worker, "supervise", lambda *args, **kwargs: 0)
    with pytest.raises(SystemExit):
        call_command("run_worker", schedule_every=0)
    assert "Mails go to" in capsys.readouterr().out  # the tests' in-memory outbox
