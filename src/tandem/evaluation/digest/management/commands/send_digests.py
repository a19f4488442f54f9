"""Run the hourly digest look-up now, through the task worker: ``manage.py send_digests``
(the current hour) or ``--at 2026-12-07T09:00:00+00:00`` (an hour the scheduler missed,
say after an outage; or an hour to come, to check who would get one). Nobody gets a week's
digest twice, however often it runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tandem.core.schedule import period_start
from tandem.evaluation.digest.tasks import send_digests


class Command(BaseCommand):
    help = "Enqueue the weekly digests due at an hour (default: the current one)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--at", help="an ISO 8601 moment with its offset; its hour is used")

    def handle(self, *args: Any, **options: Any) -> None:
        at = timezone.now()
        if options["at"]:
            try:
                at = dt.datetime.fromisoformat(options["at"])
            except ValueError as error:
                raise CommandError(f"--at: {error}") from error
            if timezone.is_naive(at):
                raise CommandError("--at needs an offset, e.g. 2026-12-07T09:00:00+00:00")
        hour = period_start("hour", at)
        result = send_digests.enqueue(hour.isoformat())
        self.stdout.write(f"Enqueued the digests due at {hour.isoformat()} (task {result.id}).")
