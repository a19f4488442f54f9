from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def current_record(instance: Any) -> dict[str, Any]:
    """The saved state of a versioned row, as a 409 problem shows it."""
    record: dict[str, Any] = {"id": instance.pk, "version": instance.version}
    for name in getattr(instance, "concurrency_fields", ()):
        record[name] = _plain(getattr(instance, name, None))
    return record
