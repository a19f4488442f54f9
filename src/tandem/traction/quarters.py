"""Which quarter a page shows: ``?quarter=2026-4``, and the quarters either side of it."""

from __future__ import annotations

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
