"""Values pages. At the program level: the program's vision — values, how its goals serve the
company's goals, the 3-year picture — and how aligned each partnership is. In a partnership:
the partner's stated values beside the program's, and which are shared (seed 004)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Program, Scope, item_for
from tandem.core.views import confirm_delete, edit_item
from tandem.vision import selectors
from tandem.vision.models import CompanyGoal, Horizon, Value
from tandem.vision.values import selectors as values_selectors
from tandem.vision.values import services as values_services
from tandem.vision.values.forms import CompanyGoalForm, ValueForm

if TYPE_CHECKING:
    from tandem.accounts.models import Workspace


def _program_context(
    request: TandemRequest,
    program: Program,
    form: ValueForm | None = None,
    goal_form: CompanyGoalForm | None = None,
) -> dict[str, Any]:
    actor = request.actor
    goals = list(selectors.goals_with_rocks(actor, program))
    company_goals = list(values_selectors.company_goals(program.workspace_id))
    one_year = [goal for goal in goals if goal.horizon == Horizon.ONE_YEAR]
    for company_goal in company_goals:
        company_goal.serving = [g for g in one_year if g.company_goal_id == company_goal.pk]  # type: ignore[attr-defined]
    table = values_selectors.alignment_table(program.workspace_id)
    return {
        "partnership": program,
        "tab": "values",
        "can_manage": True,
        "values": values_selectors.program_values(actor, program.workspace_id),
        "company_goals": company_goals,
        "unlinked_goals": [goal for goal in one_year if goal.company_goal_id is None],
        "three_year": [goal for goal in goals if goal.horizon == Horizon.THREE_YEARS],
        "alignment_rows": table,
        "unaligned": [row for row in table if not row["shared"]],
        "form": form or ValueForm.for_request(request, program),
        "goal_form": goal_form or CompanyGoalForm.for_request(request, program),
    }


def _partnership_context(
    request: TandemRequest, partnership: Scope, form: ValueForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    return {
        "partnership": partnership,
        "tab": "relationship",
        "subtab": "values",
        "can_manage": actor.is_member(partnership.workspace_id),
        "alignment": values_selectors.alignment(actor, partnership),
        "form": form or ValueForm.for_request(request, partnership),
    }


def _page(request: TandemRequest, scope: Scope, **forms: Any) -> HttpResponse:
    if isinstance(scope, Program):
        return render(
            request, "vision/program_vision.html", _program_context(request, scope, **forms)
        )
    return render(request, "vision/values.html", _partnership_context(request, scope, **forms))


@access("partnership", program=True)
def values(request: TandemRequest, partnership: Scope) -> HttpResponse:
    if isinstance(partnership, Program):
        return render(request, "vision/program_vision.html", _program_context(request, partnership))
    return render(request, "vision/values.html", _partnership_context(request, partnership))


@access("partnership", program=True)
def value_create(request: TandemRequest, partnership: Scope) -> HttpResponse:
    form = ValueForm.for_request(request, partnership)
    if request.method == "POST" and form.is_valid():
        value = run_service(
            form,
            lambda: values_services.value_create(
                actor=request.actor,
                partnership=partnership,
                **form.values(),
            ),
        )
        if value is not None:
            messages.success(request, f"Value added: {value.name}.")
            return redirect("values", partnership.pk)
    response = _page(request, partnership, form=form)
    response.status_code = 400 if request.method == "POST" else 200
    return response


def _form_context(
    scope: Scope, item: Value | CompanyGoal, heading: str, delete_url: str
) -> dict[str, Any]:
    return {
        "item": item,
        "heading": heading,
        "crumb": "Vision & values" if scope.is_program else "Values",
        "back_url": reverse("values", args=[scope.pk]),
        "delete_url": delete_url,
    }


@access("partnership", program=True)
def value_edit(request: TandemRequest, partnership: Scope, value_id: str) -> HttpResponse:
    value = item_for(Value.objects.all(), request.actor, partnership, value_id)
    return edit_item(
        request,
        partnership=partnership,
        item=value,
        form_class=ValueForm,
        update=values_services.value_update,
        template="vision/item_form.html",
        back=reverse("values", args=[partnership.pk]),
        label="Value",
        context=_form_context(
            partnership,
            value,
            "Edit value",
            reverse("value_delete", args=[partnership.pk, value.pk]),
        ),
    )


@access("partnership", program=True)
def value_delete(request: TandemRequest, partnership: Scope, value_id: str) -> HttpResponse:
    value = item_for(Value.objects.all(), request.actor, partnership, value_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=value,
        label="value",
        delete=values_services.value_delete,
        back=reverse("values", args=[partnership.pk]),
    )


def _company_goal(request: TandemRequest, program: Program, company_goal_id: str) -> CompanyGoal:
    return item_for(CompanyGoal.objects.all(), request.actor, program, company_goal_id)


@access("member")
def company_goal_create(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    program = Program(workspace)
    form = CompanyGoalForm.for_request(request, program)
    if request.method == "POST" and form.is_valid():
        goal = run_service(
            form,
            lambda: values_services.company_goal_create(
                actor=request.actor,
                program=program,
                **form.values(),
            ),
        )
        if goal is not None:
            messages.success(request, f"Company goal added: {goal.title}.")
            return redirect("values", program.pk)
    response = _page(request, program, goal_form=form)
    response.status_code = 400 if request.method == "POST" else 200
    return response


@access("member")
def company_goal_edit(
    request: TandemRequest, workspace: Workspace, company_goal_id: str
) -> HttpResponse:
    program = Program(workspace)
    goal = _company_goal(request, program, company_goal_id)
    return edit_item(
        request,
        partnership=program,
        item=goal,
        form_class=CompanyGoalForm,
        update=values_services.company_goal_update,
        template="vision/item_form.html",
        back=reverse("values", args=[program.pk]),
        label="Company goal",
        context=_form_context(
            program, goal, "Edit company goal", reverse("company_goal_delete", args=[goal.pk])
        ),
    )


@access("member")
def company_goal_delete(
    request: TandemRequest, workspace: Workspace, company_goal_id: str
) -> HttpResponse:
    program = Program(workspace)
    goal = _company_goal(request, program, company_goal_id)
    return confirm_delete(
        request,
        partnership=program,
        item=goal,
        label="company goal",
        delete=values_services.company_goal_delete,
        back=reverse("values", args=[program.pk]),
    )
