"""Goal pages: a partnership's (or the program's) 1-year goals and 3-year picture, and the
rocks that serve each goal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import item_for
from tandem.core.views import confirm_delete, edit_item
from tandem.vision import selectors, services
from tandem.vision.forms import GoalForm
from tandem.vision.models import Goal


def _context(request: TandemRequest, scope: Any, form: GoalForm | None = None) -> dict[str, Any]:
    actor = request.actor
    goals = Paginator(selectors.goals_with_rocks(actor, scope), 50).get_page(
        request.GET.get("page")
    )
    return {
        "partnership": scope,
        "tab": "goals",
        "can_manage": actor.is_member(scope.workspace_id),
        "page": goals,
        "query": "",
        "form": form or GoalForm.for_request(request, scope),
    }


@access("partnership", program=True)
def goal_list(request: TandemRequest, partnership: Any) -> HttpResponse:
    return render(request, "vision/goal_list.html", _context(request, partnership))


@access("partnership", program=True)
def goal_create(request: TandemRequest, partnership: Any) -> HttpResponse:
    form = GoalForm.for_request(request, partnership)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        if values.get("owner") is None:
            values.pop("owner", None)
        goal = run_service(
            form,
            lambda: services.goal_create(
                actor=request.actor,
                partnership=partnership,
                **values,
            ),
        )
        if goal is not None:
            messages.success(request, f"Goal added: {goal.title}.")
            return redirect("goal_list", partnership.pk)
    response = render(request, "vision/goal_list.html", _context(request, partnership, form))
    response.status_code = 400 if request.method == "POST" else 200
    return response


@access("partnership", program=True)
def goal_edit(request: TandemRequest, partnership: Any, goal_id: str) -> HttpResponse:
    goal = item_for(Goal.objects.all(), request.actor, partnership, goal_id)
    return edit_item(
        request,
        partnership=partnership,
        item=goal,
        form_class=GoalForm,
        update=services.goal_update,
        template="vision/goal_form.html",
        back=reverse("goal_list", args=[partnership.pk]),
        label="Goal",
        context={"goal": goal, "tab": "goals"},
    )


@access("partnership", program=True)
def goal_delete(request: TandemRequest, partnership: Any, goal_id: str) -> HttpResponse:
    goal = item_for(Goal.objects.all(), request.actor, partnership, goal_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=goal,
        label="goal",
        delete=services.goal_delete,
        back=reverse("goal_list", args=[partnership.pk]),
    )
