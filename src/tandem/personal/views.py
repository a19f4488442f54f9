"""My week: everything one person owns, across every partnership they can see; and one
person's rocks for a quarter, for the program lead checking who carries too much."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.middleware import current_workspace
from tandem.core.scope import NOT_FOUND
from tandem.issues.selectors import issues_owned_by
from tandem.personal import selectors
from tandem.scorecard.selectors import measurables_to_fill
from tandem.traction import rocks
from tandem.traction.models import ROCKS_PER_PERSON, RockStatus, quarter_of
from tandem.traction.quarters import requested_quarter, shift_quarter

PER_PAGE = 25


@access("user")
def my_week(request: TandemRequest) -> HttpResponse:
    return render(request, "personal/my_week.html", _week(request))


def _week(request: TandemRequest) -> dict[str, Any]:
    actor = request.actor
    me = actor.user
    assert me is not None  # the page is for signed-in people (access "user")
    workspace = current_workspace(request)
    year, quarter = quarter_of(timezone.localdate())
    my_rocks = selectors.here(selectors.rocks_of(actor, me, year, quarter), workspace)
    todos = Paginator(
        selectors.here(selectors.open_todos_of(actor, me), workspace), PER_PAGE
    ).get_page(request.GET.get("page"))
    issues = Paginator(selectors.here(issues_owned_by(actor, me), workspace), PER_PAGE).get_page(
        request.GET.get("issues")
    )
    return {
        "todos": todos,
        "milestones": selectors.here(selectors.milestones_of(actor, me), workspace, via="rock__"),
        "rocks": my_rocks,
        "rock_summary": rocks.quarter_summary(my_rocks),
        "year": year,
        "quarter": quarter,
        "limit": ROCKS_PER_PERSON,
        "measurables": selectors.here(measurables_to_fill(actor, me), workspace)[:PER_PAGE],
        "issues": issues,
        "today": timezone.localdate(),
    }


def _person(request: TandemRequest, workspace: Any, user_id: str) -> User:
    """Someone of this workspace: a member, or a partner-side person of one of its
    partnerships. Anyone else is not there."""
    try:
        return (
            User.objects.filter(
                Q(memberships__workspace=workspace)
                | Q(partner_accesses__partnership__workspace=workspace),
                pk=parse_id(user_id),
            )
            .distinct()
            .get()
        )
    except User.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error


@access("member")
def person_rocks(request: TandemRequest, workspace: Any, user_id: str) -> HttpResponse:
    actor = request.actor
    person = _person(request, workspace, user_id)
    year, quarter = requested_quarter(request)
    their_rocks = selectors.rocks_of(actor, person, year, quarter, workspace_id=workspace.pk)
    summary = rocks.quarter_summary(their_rocks)
    page = Paginator(their_rocks, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "personal/person_rocks.html",
        {
            "person": person,
            "rocks": page.object_list,
            "page": page,
            "query": f"quarter={year}-{quarter}",
            "summary": summary,
            "active": summary.total - summary.dropped,
            "limit": ROCKS_PER_PERSON,
            "statuses": RockStatus.choices,
            "year": year,
            "quarter": quarter,
            "previous": shift_quarter(year, quarter, -1),
            "next": shift_quarter(year, quarter, 1),
        },
    )
