"""``manage.py enqueue_due``: one look at the schedule (tandem.core.schedule), for those who
run it from cron instead of ``run_worker``'s scheduler, and for tests."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from tandem.core.schedule import enqueue_due


class Command(BaseCommand):
    help = "Enqueue the scheduled tasks whose hour or week has no run yet; print their names."

    def handle(self, **options: Any) -> None:
        enqueued = enqueue_due()
        for name in enqueued:
            self.stdout.write(f"Enqueued {name}.")
        if not enqueued:
            self.stdout.write("Nothing due.")
