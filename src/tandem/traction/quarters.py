"""Which quarter a page shows: ``?quarter=2026-4``, and the quarters either side of it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from tandem.core.params import query_quarter
from tandem.traction.models import quarter_of


def requested_quarter(request: HttpRequest) -> tuple[int, int]:
    """``?quarter=2026-4`` (a year the API's ``Year`` accepts too); this quarter otherwise."""
    return query_quarter(request) or quarter_of(timezone.localdate())


def shift_quarter(year: int, quarter: int, step: int) -> str:
    """The ``?quarter=`` value ``step`` quarters away."""
    index = year * 4 + quarter - 1 + step
    return f"{index // 4}-{index % 4 + 1}"


def quarter_pages(year: int, quarter: int) -> dict[str, Any]:
    """What a page of one quarter shows around it: the quarter, the quarters either side
    (``previous`` / ``next``), and itself as the query its pages keep."""
    return {
        "year": year,
        "quarter": quarter,
        "previous": shift_quarter(year, quarter, -1),
        "next": shift_quarter(year, quarter, 1),
        "query": f"quarter={year}-{quarter}",
    }
