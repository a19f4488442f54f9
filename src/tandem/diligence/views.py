"""Due diligence pages (placeholder until the feature lands)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.core.decorators import access


@access("partnership_manage", program=True)
def diligence(request: HttpRequest, partnership: Any) -> HttpResponse:
    return render(
        request, "partners/placeholder.html", {"partnership": partnership, "title": "Due diligence"}
    )
