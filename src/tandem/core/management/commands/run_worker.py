"""``manage.py run_worker``: the task worker under a supervisor, as production runs it.

manage.py run_worker                          # task_worker with its defaults
manage.py run_worker -- --queue-name='*'      # options after -- go to task_worker
manage.py run_worker --schedule-every 0       # without the scheduler (tandem.core.schedule)
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.core.mailinfo import where_mails_go
from tandem.core.schedule import registered
from tandem.core.worker import Scheduler, supervise


class Command(BaseCommand):
    help = (
        "Run the task worker (manage.py task_worker) and start it again whenever it exits;"
        " enqueue the scheduled tasks as their hour or week comes."
    )

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument(
            "--restart-delay",
            type=float,
            default=1.0,
            help="seconds before the first restart; doubled while the worker keeps dying",
        )
        parser.add_argument(
            "--max-restart-delay", type=float, default=60.0, help="the longest wait, seconds"
        )
        parser.add_argument(
            "--schedule-every",
            type=float,
            default=30.0,
            help="seconds between looks for scheduled tasks that are due; 0 turns it off",
        )
        parser.add_argument("worker_args", nargs=argparse.REMAINDER, help="task_worker options")

    def handle(
        self,
        *,
        restart_delay: float,
        max_restart_delay: float,
        schedule_every: float,
        worker_args: list[str],
        **options: Any,
    ) -> None:
        if worker_args[:1] == ["--"]:
            worker_args = worker_args[1:]
        if schedule_every < 0:
            raise CommandError("--schedule-every is a number of seconds, or 0 for no scheduler.")
        self.stdout.write(where_mails_go())
        scheduler = None
        if schedule_every:
            names = ", ".join(scheduled.name for scheduled in registered()) or "none"
            self.stdout.write(
                f"Scheduler: looks for due tasks every {schedule_every:g} s (registered: {names})."
            )
            scheduler = Scheduler(schedule_every)
            scheduler.start()
        command = [sys.executable, "-m", "django", "task_worker", *worker_args]
        try:
            code = supervise(command, first_delay=restart_delay, max_delay=max_restart_delay)
        finally:
            if scheduler is not None:
                scheduler.stop()
        sys.exit(code)
