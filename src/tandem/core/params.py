"""Query parameters — dates, search text, ids — read the same way by every page and endpoint.

Two layers. ``QueryParametersMiddleware`` refuses, once for every request, what no query
parameter or path may ever hold (null bytes and other control characters; PostgreSQL
cannot even compare text holding a null byte). Then each parameter has one type: pages
read theirs with ``query_date``, ``query_text`` and ``query_quarter``; API operations
declare ``Day``, ``SearchText``, ``Id`` (``tandem.core.ids``), ``Year`` and ``QuarterNumber``.
Dates sent in a body keep to the same window: ``Day`` in API schemas, ``DayField`` on
page forms (``tandem.core.forms``), and ``check_date`` in the services behind both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from pydantic import AfterValidator, Field, StringConstraints

from tandem.core.errors import InvalidInput
from tandem.core.problems import problem_or_page

# The dates a person may type or ask for. Wide enough for any partnership, and far enough
# from the ends of the calendar (0001-01-01, 9999-12-31) that date arithmetic around them
# (13 periods before, a quarter after) cannot overflow.
EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)
DATE_MESSAGE = "Choose a date between 2000 and 2100."
SEARCH_LIMIT = 200


def in_window(day: date) -> date:
    if not EARLIEST <= day <= LATEST:
        raise ValueError(DATE_MESSAGE)
    return day


Day = Annotated[
    date,
    AfterValidator(in_window),
    # The years as a pattern: JSON Schema bounds numbers, not dates.
    Field(
        description="A date between 2000-01-01 and 2100-12-31.",
        json_schema_extra={"pattern": "^(20[0-9][0-9]|2100)-"},
    ),
]
SearchText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, max_length=SEARCH_LIMIT),
    Field(description=f"Words to look for (at most {SEARCH_LIMIT} characters)."),
]
Year = Annotated[int, Field(ge=EARLIEST.year, le=LATEST.year)]
QuarterNumber = Annotated[int, Field(ge=1, le=4)]


def query_date(request: HttpRequest, name: str) -> date | None:
    """``?name=2026-03-02`` as a date in the window; None when absent or not such a date."""
    try:
        return in_window(date.fromisoformat(request.GET.get(name, "")))
    except ValueError:
        return None


def query_text(request: HttpRequest, name: str = "q") -> str:
    """Search words from ``?name=``, trimmed. Longer than ``SEARCH_LIMIT`` is refused (400),
    as the API's ``SearchText`` refuses it (422): a search box never sends that much, and a
    search quietly cut short would answer a question nobody asked."""
    words = request.GET.get(name, "").strip()
    if len(words) > SEARCH_LIMIT:
        raise InvalidInput(
            f"Keep a search to {SEARCH_LIMIT} characters.",
            errors={name: [f"Keep a search to {SEARCH_LIMIT} characters."]},
        )
    return words


def query_quarter(request: HttpRequest, name: str = "quarter") -> tuple[int, int] | None:
    """``?name=2026-4`` as (year, quarter), the year in the window (the API's ``Year``);
    None when absent or not such a quarter."""
    try:
        year, quarter = (int(part) for part in request.GET.get(name, "").split("-"))
    except ValueError:
        return None
    if 1 <= quarter <= 4 and EARLIEST.year <= year <= LATEST.year:
        return year, quarter
    return None


# Cc: C0 and C1 controls, among them NUL; Cs: halves of a character, which no database can
# store (Django replaces undecodable bytes, but a percent-encoded surrogate is not one). Tab
# and newlines are as useless in a query but harmless, yet refused alike: no search box sends
# them. A character class rather than a category per character: a long value costs microseconds.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def _control(text: str) -> bool:
    return _CONTROL.search(text) is not None


def refusal(request: HttpRequest) -> str | None:
    """The name of the query parameter (or "path") holding a control character, if any."""
    if _control(request.path_info):
        return "path"
    for name, values in request.GET.lists():
        if _control(name) or any(_control(value) for value in values):
            return name if not _control(name) else "query"
    return None


class QueryParametersMiddleware:
    """Answer 400 to a request whose address holds a control character, before any view
    can hand it to the database: a page for people, a JSON problem for the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        name = refusal(request)
        if name is None:
            return self.get_response(request)
        detail = (
            f"The address holds a control character (such as a null byte) in `{name}`;"
            " no page or search accepts one."
        )
        return problem_or_page(
            request,
            400,
            "Invalid input",
            detail,
            page=lambda: render(
                request,
                "errors/domain.html",
                {"title": "Invalid address", "detail": detail},
                status=400,
            ),
            errors={name: ["Remove the control character."]},
        )
