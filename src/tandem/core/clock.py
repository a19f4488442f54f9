"""The partnership's clock: the days a partnership's people mean are days in its own time
zone (its meeting schedule's, ``Partnership.zone``); the program level keeps the server's."""

from __future__ import annotations

from datetime import date

from django.utils import timezone

from tandem.core.scope import Scope


def local_today(scope: Scope) -> date:
    """Today on the scope's clock."""
    if scope.is_program:
        return timezone.localdate()
    return timezone.now().astimezone(scope.zone).date()
