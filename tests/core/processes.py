"""Tandem's own commands as separate processes on a file SQLite database, for the tests that
start the real task worker: the environment they run in, and `manage.py` run to completion."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def process_env(
    database: Path, *, settings: str = "tandem.settings", **extra: str
) -> dict[str, str]:
    """This process's environment for a command on ``database`` (no mail or task backend
    inherited from the test run; ``extra`` on top)."""
    env = dict(os.environ)
    for inherited in ("EMAIL_URL", "TASKS_BACKEND"):
        env.pop(inherited, None)
    env.update(
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SETTINGS_MODULE=settings,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        TANDEM_TESTING="0",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def manage(env: dict[str, str], *args: str) -> str:
    """``manage.py args`` run to its end in ``env``; its output (it must succeed)."""
    result = subprocess.run(  # noqa: S603 - our own command line
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout
