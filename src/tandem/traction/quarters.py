"""Which quarter a page shows: ``?quarter=2026-4``, and the quarters either side of it."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone

from tandem.traction.models import quarter_of


def requested_quarter(request: HttpRequest) -> tuple[int, int]:
    """``?quarter=2026-4``, within ten years; this quarter otherwise."""
    today = timezone.localdate()
    try:
        year, quarter = (int(part) for part in request.GET.get("quarter", "").split("-"))
    except ValueError:
        return quarter_of(today)
    if 1 <= quarter <= 4 and abs(year - today.year) <= 10:
        return year, quarter
    return quarter_of(today)


def shift_quarter(year: int, quarter: int, step: int) -> str:
    """The ``?quarter=`` value ``step`` quarters away."""
    index = year * 4 + quarter - 1 + step
    return f"{index // 4}-{index % 4 + 1}"
