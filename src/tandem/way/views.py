"""The Way pages (placeholder until the feature lands)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.core.decorators import access


@access("partnership", program=True)
def way(request: HttpRequest, partnership: Any) -> HttpResponse:
    return render(
        request, "partners/placeholder.html", {"partnership": partnership, "title": "The Way"}
    )
