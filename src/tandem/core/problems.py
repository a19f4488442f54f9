"""Refusals as JSON problems (RFC 9457) for the API, as pages for people.

Every refusal the API gives, and every one the framework gives before a view runs (a bad
address, a lost database, Django's own 400/403/404/500), is written here, so they all
carry the same fields: those of ``tandem.api.schemas.Problem``, which documents them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

# The API's own encoder, so a problem's extra fields are written as any API answer is.
from ninja.responses import NinjaJSONEncoder

PROBLEM_TYPE = "application/problem+json"
API_PREFIX = "/api/"


def problem_response(status: int, title: str, detail: str, **extra: Any) -> HttpResponse:
    """A JSON problem; ``extra`` adds fields such as ``errors`` (per field) or ``current``."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return JsonResponse(body, status=status, content_type=PROBLEM_TYPE, encoder=NinjaJSONEncoder)


def is_api_request(request: HttpRequest) -> bool:
    # path_info: the address as the URLconf sees it, whatever prefix the site is mounted at.
    return request.path_info.startswith(API_PREFIX)


def problem_or_page(
    request: HttpRequest,
    status: int,
    title: str,
    detail: str,
    *,
    page: Callable[[], HttpResponse],
    **extra: Any,
) -> HttpResponse:
    """A JSON problem for a request to the API; ``page()`` for anyone else. Each caller
    draws its own page, since an error page may not ask what is failing (the database)."""
    if is_api_request(request):
        return problem_response(status, title, detail, **extra)
    return page()
