"""A tiny app for tests/core/test_schedule.py's end-to-end tests: its ``ready()`` registers
``ping`` every hour, as a real app registers its tasks. The worker processes import it from
the project folder; ``schedule_probe_settings`` installs it. Tandem itself never does."""

from __future__ import annotations

from django.apps import AppConfig
from django_tasks import task


@task()
def ping(period_start: str) -> str:
    """Answer which period it ran for: the test reads it from the task's result."""
    return f"ran for {period_start}"


class ProbeConfig(AppConfig):
    name = "tests.core.schedule_probe"
    label = "schedule_probe"

    def ready(self) -> None:
        from tandem.core.schedule import every

        every("hour", ping)
