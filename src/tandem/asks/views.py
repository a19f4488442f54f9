"""Asks and requests pages (placeholder until the feature lands)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.core.decorators import access


@access("partnership")
def ask_list(request: HttpRequest, partnership: Any) -> HttpResponse:
    return render(
        request,
        "partners/placeholder.html",
        {"partnership": partnership, "title": "Asks and requests"},
    )
