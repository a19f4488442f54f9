"""My week: everything one person owns, across every partnership they can see; and one
person's rocks for a quarter, for the program lead checking who carries too much."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.core.middleware import current_workspace
from tandem.core.scope import NOT_FOUND
from tandem.exchange.pipeline.funnel import days_stalled, stalled_of
from tandem.issues.selectors import issues_owned_by
from tandem.personal.selectors import here, milestones_of, open_todos_of, person_in, rocks_of
from tandem.scorecard.selectors import measurables_to_fill
from tandem.traction.models import ROCKS_PER_PERSON, quarter_of
from tandem.traction.quarters import quarter_pages, requested_quarter
from tandem.traction.rocks import MILESTONES_SHOWN, quarter_summary

PER_PAGE = 25


@access("user")
def my_week(request: TandemRequest) -> HttpResponse:
    actor, me, workspace = request.actor, request.actor.user, current_workspace(request)
    assert me is not None  # the page is for signed-in people (access "user")
    year, quarter = quarter_of(timezone.localdate())
    my_rocks = here(rocks_of(actor, me, year, quarter), workspace)
    todos = here(open_todos_of(actor, me), workspace)
    issues = here(issues_owned_by(actor, me), workspace)
    stalled = list(here(stalled_of(actor, me), workspace)[:PER_PAGE])
    summary = quarter_summary(my_rocks)
    shown_rocks = list(my_rocks[:PER_PAGE])
    context = {
        "todos": Paginator(todos, PER_PAGE).get_page(request.GET.get("page")),
        "milestones": here(milestones_of(actor, me), workspace, via="rock__")[:MILESTONES_SHOWN],
        # More than seven is already too many (the page says so): the first 25 show.
        "rocks": shown_rocks,
        "more_rocks": summary.total - len(shown_rocks),
        "rock_summary": summary,
        "year": year,
        "quarter": quarter,
        "limit": ROCKS_PER_PERSON,
        "measurables": here(measurables_to_fill(actor, me), workspace)[:PER_PAGE],
        "issues": Paginator(issues, PER_PAGE).get_page(request.GET.get("issues")),
        "today": timezone.localdate(),
        "stalled": [(deal, days_stalled(deal)) for deal in stalled],
    }
    return render(request, "personal/my_week.html", context)


@access("member")
def person_rocks(request: TandemRequest, workspace: Any, user_id: str) -> HttpResponse:
    person = person_in(workspace, user_id)
    if person is None:
        raise Http404(NOT_FOUND)
    year, quarter = requested_quarter(request)
    their_rocks = rocks_of(request.actor, person, year, quarter, workspace_id=workspace.pk)
    summary = quarter_summary(their_rocks)
    page = Paginator(their_rocks, 50).get_page(request.GET.get("page"))
    context = {
        "person": person,
        "rocks": page.object_list,
        "page": page,
        "summary": summary,
        "active": summary.total - summary.dropped,
        "limit": ROCKS_PER_PERSON,
        **quarter_pages(year, quarter),
    }
    return render(request, "personal/person_rocks.html", context)
