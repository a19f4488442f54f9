"""``manage.py run_worker``: the task worker under a supervisor, as production runs it.

manage.py run_worker                          # task_worker with its defaults
manage.py run_worker -- --queue-name='*'      # options after -- go to task_worker
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from django.core.management.base import BaseCommand

from tandem.core.mailinfo import where_mails_go
from tandem.core.worker import supervise


class Command(BaseCommand):
    help = "Run the task worker (manage.py task_worker) and start it again whenever it exits."

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
        parser.add_argument("worker_args", nargs=argparse.REMAINDER, help="task_worker options")

    def handle(
        self,
        *,
        restart_delay: float,
        max_restart_delay: float,
        worker_args: list[str],
        **options: Any,
    ) -> None:
        if worker_args[:1] == ["--"]:
            worker_args = worker_args[1:]
        self.stdout.write(where_mails_go())
        command = [sys.executable, "-m", "django", "task_worker", *worker_args]
        code = supervise(command, first_delay=restart_delay, max_delay=max_restart_delay)
        sys.exit(code)
