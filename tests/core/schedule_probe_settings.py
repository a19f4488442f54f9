"""Tandem's settings plus the probe app (tests/core/schedule_probe.py), for the worker
processes of tests/core/test_schedule.py."""

from tandem.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "tests.core.schedule_probe.ProbeConfig"]  # noqa: F405
