"""Turn a domain error that escaped a page view into a readable page, never a 500; and the
API router's plain-text "method not allowed" into a problem."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.core.errors import DomainError
from tandem.core.problems import PROBLEM_TYPE, is_api_request, problem_response


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code == 405 and is_api_request(request):
            return _method_not_allowed(request, response)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DomainError):
            return render(
                request,
                "errors/domain.html",
                {"title": exception.title, "detail": exception.detail},
                status=exception.status,
            )
        return None


def _method_not_allowed(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """The API's router answers a wrong method with plain text: the same refusal as a
    problem, like every other the API gives, keeping the Allow header."""
    if response.get("Content-Type", "").startswith(PROBLEM_TYPE):
        return response
    allowed = response.get("Allow", "")
    problem = problem_response(
        405,
        "Method not allowed",
        f"{request.method} is not an operation of {request.path_info}."
        + (f" It takes {allowed}." if allowed else ""),
    )
    if allowed:
        problem["Allow"] = allowed
    return problem
