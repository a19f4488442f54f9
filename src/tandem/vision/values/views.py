"""Values pages. At the program level: the program's vision — values, how its goals serve the
company's goals, the 3-year picture — and how aligned each partnership is. In a partnership:
the partner's stated values beside the program's, and which are shared (seed 004)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.items import ItemType
from tandem.core.scope import Program, Scope
from tandem.core.views import confirm_delete, edit_item, page_context
from tandem.vision import selectors
from tandem.vision.models import CompanyGoal, Horizon
from tandem.vision.values import selectors as values_selectors
from tandem.vision.values import services as values_services
from tandem.vision.values.forms import CompanyGoalForm, ValueForm

ALIGNMENT_PAGE = 25  # partnerships a page in the program's values alignment table

View = Callable[..., HttpResponse]


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
    # A program of hundreds of partnerships: 25 a page, and their counts alone (the flag
    # above the table counts them all in the database, with the table's size).
    total, unaligned = values_selectors.alignment_counts(actor, program.workspace_id)
    paginator = Paginator(
        values_selectors.alignment_partnerships(actor, program.workspace_id), ALIGNMENT_PAGE
    )
    paginator.count = total  # counted above
    partnerships = paginator.get_page(request.GET.get("page"))
    return page_context(
        request,
        program,
        ("values", ""),
        values=values_selectors.program_values(actor, program.workspace_id),
        company_goals=company_goals,
        unlinked_goals=[goal for goal in one_year if goal.company_goal_id is None],
        three_year=[goal for goal in goals if goal.horizon == Horizon.THREE_YEARS],
        alignment_page=partnerships,
        alignment_rows=values_selectors.alignment_table(program.workspace_id, partnerships),
        unaligned=unaligned,
        form=form or ValueForm.for_request(request, program),
        goal_form=goal_form or CompanyGoalForm.for_request(request, program),
    )


def _partnership_context(
    request: TandemRequest, partnership: Scope, form: ValueForm | None = None
) -> dict[str, Any]:
    return page_context(
        request,
        partnership,
        ("relationship", "values"),
        alignment=values_selectors.alignment(request.actor, partnership),
        form=form or ValueForm.for_request(request, partnership),
    )


def _page(request: TandemRequest, scope: Scope, status: int = 200, **forms: Any) -> HttpResponse:
    if isinstance(scope, Program):
        context = _program_context(request, scope, **forms)
        return render(request, "vision/program_vision.html", context, status=status)
    context = _partnership_context(request, scope, **forms)
    return render(request, "vision/values.html", context, status=status)


@access("partnership", program=True)
def values(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return _page(request, partnership)


def _pages(kind: ItemType[Any], form_class: Any, name: str) -> tuple[View, View, View]:
    """The add, edit and delete pages of a value (a partnership's or the program level's) or
    of a company goal (the program level's only: its pages, under /workspace/, serve no other
    scope); all return to the values page. ``name``: the add form's name on that page, where
    a refusal shows it again as it was sent."""
    level, program = ("member", False) if kind.model is CompanyGoal else ("partnership", True)

    def scope_of(ids: dict[str, Any]) -> Scope:
        return Program(ids.pop("workspace")) if "workspace" in ids else ids.pop("partnership")

    @access(level, program=program)
    def create(request: TandemRequest, **ids: Any) -> HttpResponse:
        scope = scope_of(ids)
        form = form_class.for_request(request, scope)
        if request.method == "POST" and form.is_valid():
            item = run_service(
                form, lambda: kind.create(actor=request.actor, partnership=scope, **form.values())
            )
            if item is not None:
                messages.success(request, f"{kind.title} added: {item}.")
                return redirect("values", scope.pk)
        return _page(request, scope, 400 if request.method == "POST" else 200, **{name: form})

    @access(level, program=program)
    def edit(request: TandemRequest, **ids: Any) -> HttpResponse:
        scope = scope_of(ids)
        item = kind.one(request.actor, scope, ids[f"{kind.name}_id"])
        pks = [item.pk] if kind.model is CompanyGoal else [scope.pk, item.pk]  # under /workspace/
        return edit_item(
            request,
            partnership=scope,
            item=item,
            form_class=form_class,
            update=kind.update,
            template="vision/item_form.html",
            back=reverse("values", args=[scope.pk]),
            label=kind.title,
            context={
                "item": item,
                "heading": f"Edit {kind.label}",
                "crumb": "Vision & values" if scope.is_program else "Values",
                "back_url": reverse("values", args=[scope.pk]),
                "delete_url": reverse(f"{kind.name}_delete", args=pks),
            },
        )

    @access(level, program=program)
    def delete(request: TandemRequest, **ids: Any) -> HttpResponse:
        scope = scope_of(ids)
        return confirm_delete(
            request,
            partnership=scope,
            item=kind.one(request.actor, scope, ids[f"{kind.name}_id"]),
            label=kind.label,
            delete=kind.remove,
            back=reverse("values", args=[scope.pk]),
        )

    return create, edit, delete


value_create, value_edit, value_delete = _pages(values_services.VALUES, ValueForm, "form")
company_goal_create, company_goal_edit, company_goal_delete = _pages(
    values_services.COMPANY_GOALS, CompanyGoalForm, "goal_form"
)
