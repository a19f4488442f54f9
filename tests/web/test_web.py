"""Health, settings, security headers and error pages."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

from django.db.utils import OperationalError
from django.test import Client

from tests.conftest import World

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_answers_200_when_the_database_answers(db) -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "up"}


def test_healthz_answers_503_when_the_database_does_not(db) -> None:
    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute",
        side_effect=OperationalError("connection refused"),
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503


def test_deploy_check_is_clean_with_production_settings() -> None:
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "a-production-secret-" + "k" * 50,
        "ALLOWED_HOSTS": "tandem.example.com",
        "TANDEM_TESTING": "0",
        "STATIC_MANIFEST": "1",
        "SECURE_HSTS_PRELOAD": "1",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG"}}
    env.update({"DEBUG": "0", "TANDEM_TESTING": "0"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Set SECRET_KEY" in result.stderr


def test_pages_carry_a_content_security_policy(world: World, as_maria) -> None:
    response = as_maria.get("/partnerships/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"


def test_assets_are_served_by_the_app_itself(world: World, as_maria) -> None:
    page = as_maria.get("/partnerships/").content.decode()
    assert "https://" not in page.split("<body")[0]  # no CDN in the head
    assert Client().get("/static/tandem/app.css").status_code == 200
    assert Client().get("/static/django_htmx/htmx-2.min.js").status_code == 200


def test_unknown_page_is_a_friendly_404(world: World, as_maria) -> None:
    response = as_maria.get("/no-such-page/")
    assert response.status_code == 404
    assert "doesn&#x27;t exist, or you don&#x27;t have access" in response.content.decode()


def test_forms_without_csrf_are_refused(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.maria, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post("/partnerships/new/", {"name": "Sneaky", "kind": "referral"})
    assert response.status_code == 403


def test_malformed_ids_in_pages_are_404_not_500(world: World, as_maria) -> None:
    for bad in ("abc", "0", "-3", "9" * 40, "1;DROP"):
        assert as_maria.get(f"/partnerships/{bad}/").status_code == 404, bad
        assert (
            as_maria.get(f"/partnerships/{world.northwind.pk}/notes/{bad}/edit/").status_code == 404
        )
    # A control character is refused before any page looks at it (tandem.core.params).
    for url in ("/partnerships/%00/", f"/partnerships/{world.northwind.pk}/notes/%00/edit/"):
        response = as_maria.get(url)
        assert response.status_code == 400 and b"control character" in response.content
    assert as_maria.get(f"/partnerships/{world.northwind.pk}/widgets/new/").status_code == 404


def test_partner_side_person_lands_on_their_partnership(world: World, as_pat) -> None:
    response = as_pat.get("/")
    assert response["Location"] == f"/partnerships/{world.northwind.pk}/"


def test_the_favicon_is_where_browsers_look(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/favicon.ico")
    # Not permanent: the icon's URL carries a content hash that changes with it.
    assert response.status_code == 302 and response["Location"].endswith(".svg")
