"""Past one process: what one app process counts or remembers, every other sees. With
REDIS_URL the cache (allauth's rate limits) and the sessions live in Redis; without it, on
one machine, the cache is a folder all its processes share and sessions are in the database.
"Another process" here is a real one, started for the test."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.test import Client

import tandem.settings
from tests.caches import WorkerRedisCache
from tests.conftest import World, client_for
from tests.core.processes import REPO_ROOT, process_env

needs_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"), reason="the pass with REDIS_URL (make test-postgres)"
)
PAT = "pat@northwind.example"


def settings_under(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict[str, Any]:
    """The settings a process started with this environment reads."""
    for name in ("REDIS_URL", "CACHE_KEY_PREFIX", "TANDEM_VAR_DIR"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(tandem.settings.__file__)


def in_another_process(code: str, tmp_path: Path) -> str:
    """What ``code`` prints, run in a new Django process with this test's cache (the same
    Redis and key prefix, or the same cache folder) and a database it never made: whatever
    it finds came through the cache."""
    location = settings.CACHES["default"]["LOCATION"]
    env = process_env(tmp_path / "never-made.sqlite3", CACHE_KEY_PREFIX=cache.key_prefix)
    if not os.environ.get("REDIS_URL"):
        env["TANDEM_VAR_DIR"] = str(Path(location).parent)  # the folder is <var>/cache
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", "import django\ndjango.setup()\n" + code],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_with_redis_url_the_cache_and_sessions_are_in_redis(monkeypatch) -> None:
    found = settings_under(monkeypatch, REDIS_URL="redis://redis.internal:6379/2")
    assert found["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert found["CACHES"]["default"]["LOCATION"] == "redis://redis.internal:6379/2"
    # Read from Redis, kept in the database as well (a restarted Redis signs nobody out).
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.cached_db"


def test_without_redis_one_machine_needs_no_other_service(monkeypatch, tmp_path) -> None:
    found = settings_under(monkeypatch, TANDEM_VAR_DIR=str(tmp_path))
    default = found["CACHES"]["default"]
    assert default["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"
    assert default["LOCATION"] == str(tmp_path / "cache")
    assert found["SESSION_ENGINE"] == "django.contrib.sessions.backends.db"
    assert "LocMemCache" not in str(found["CACHES"])  # no process counts on its own


def test_installations_sharing_a_redis_keep_apart_by_prefix(monkeypatch) -> None:
    found = settings_under(monkeypatch, REDIS_URL="redis://r:6379/0", CACHE_KEY_PREFIX="acme")
    assert found["CACHES"]["default"]["KEY_PREFIX"] == "acme"


def test_a_rate_limit_is_counted_once_for_every_process(world: World, tmp_path) -> None:
    """allauth lets five reset mails a minute go to one address: the five asked of this
    process count in another, while another address is still served there."""
    client = Client()
    for _ in range(5):
        assert client.post("/accounts/password/reset/", {"email": PAT}).status_code == 302
    assert client.post("/accounts/password/reset/", {"email": PAT}).status_code == 429
    answers = in_another_process(
        "from allauth.core import ratelimit\n"
        "from django.test import RequestFactory\n"
        "request = RequestFactory().post('/accounts/password/reset/', REMOTE_ADDR='10.0.0.9')\n"
        "for email in ['pat@northwind.example', 'lee@globex.example']:\n"
        "    print(ratelimit.consume(request, action='reset_password', key=email))\n",
        tmp_path,
    )
    assert answers.split() == ["False", "True"]


@needs_redis
def test_a_session_one_process_wrote_is_read_by_another(world: World, tmp_path) -> None:
    as_pat = client_for(world.pat)
    key = as_pat.cookies[settings.SESSION_COOKIE_NAME].value
    user_id = in_another_process(
        "from importlib import import_module\n"
        "from django.conf import settings\n"
        f"store = import_module(settings.SESSION_ENGINE).SessionStore({key!r})\n"
        "print(store.get('_auth_user_id'))\n",
        tmp_path,
    )
    assert user_id == str(world.pat.pk)


def test_a_cleared_cache_signs_nobody_out(world: World) -> None:
    as_pat = client_for(world.pat)
    assert as_pat.get("/week/").status_code == 200
    for each in caches.all():
        each.clear()
    assert as_pat.get("/week/").status_code == 200


@needs_redis
def test_test_processes_keep_their_cache_keys_apart() -> None:
    """Several test processes share one Redis database: clearing one's cache between tests
    leaves the others' keys."""
    default = settings.CACHES["default"]
    other = WorkerRedisCache(default["LOCATION"], {"KEY_PREFIX": "tests-another-process"})
    try:
        other.set("rate", 1)
        cache.set("rate", 2)
        cache.clear()
        assert (cache.get("rate"), other.get("rate")) == (None, 1)
    finally:
        other.clear()
