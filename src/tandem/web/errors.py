"""Error pages in the product's own layout; JSON problems for the API."""

from __future__ import annotations

import sys
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.core.problems import problem_or_page
from tandem.core.unavailable import database_unavailable, unavailable_response


def _problem_or_page(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    return problem_or_page(
        request, status, title, detail, page=lambda: _page(request, status, title, detail)
    )


def _page(request: HttpRequest, status: int, title: str, detail: str) -> HttpResponse:
    try:
        return render(
            request,
            "errors/error.html",
            {"status": status, "title": title, "detail": detail},
            status=status,
        )
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        return HttpResponse(f"{status} {title}", status=status, content_type="text/plain")


def bad_request(request: HttpRequest, exception: Any = None) -> HttpResponse:
    # A session that could not be saved because the database went away reads as a 400.
    if database_unavailable(exception):
        return unavailable_response(request)
    return _problem_or_page(request, 400, "Bad request", "The request could not be understood.")


def permission_denied(request: HttpRequest, exception: Any = None) -> HttpResponse:
    detail = str(exception) if exception and str(exception) else "You don't have permission."
    return _problem_or_page(request, 403, "Not allowed", detail)


def page_not_found(request: HttpRequest, exception: Any = None) -> HttpResponse:
    return _problem_or_page(
        request, 404, "Not found", "This page doesn't exist, or you don't have access to it."
    )


def server_error(request: HttpRequest) -> HttpResponse:
    # Django calls this inside its ``except`` block: the exception is the one being handled.
    if database_unavailable(sys.exc_info()[1]):
        return unavailable_response(request)
    return _problem_or_page(
        request, 500, "Something went wrong", "We have been told. Please try again in a moment."
    )
