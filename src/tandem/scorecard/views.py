"""Scorecard pages: the grid with inline entry (htmx), measurables, one-period goals.

Every view takes ``partnership``, which is a Partnership or the program stand-in
(``tandem.partners.scope.Program``): only ``pk``, ``id``, ``workspace_id``, ``name``,
``is_archived`` and ``data_version`` are used.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_htmx.http import reswap, retarget

from tandem.core.decorators import access
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.params import query_date
from tandem.core.scope import NOT_FOUND, Scope, item_for
from tandem.core.views import confirm_delete
from tandem.scorecard import selectors, services, units
from tandem.scorecard.forms import CellForm, MeasurableForm, PeriodGoalForm
from tandem.scorecard.models import (
    Comparator,
    Entry,
    Measurable,
    Unit,
    period_label,
)

PER_PAGE = 25
GRID = "scorecard/scorecard.html"


def _end(request: TandemRequest) -> date | None:
    """``?to=2025-03-03``: the grid's last period holds this day (today unless given)."""
    return query_date(request, "to")


def _grid_context(request: TandemRequest, partnership: Scope) -> dict[str, Any]:
    actor = request.actor
    end = _end(request)
    anchor = end or timezone.localdate()
    page = Paginator(selectors.measurable_list(actor, partnership), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    later = anchor + timedelta(weeks=13)
    return {
        "partnership": partnership,
        "tab": "scorecard",
        "can_manage": actor.is_member(partnership.workspace_id),
        "page": page,
        "query": query.urlencode(),
        "sections": selectors.grid(actor, partnership, page.object_list, end=end),
        "earlier": (anchor - timedelta(weeks=13)).isoformat(),
        "later": later.isoformat() if later <= timezone.localdate() else "",
        "shifted": end is not None,
        "editable": not partnership.is_archived,
    }


@access("partnership", program=True)
def scorecard(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return render(request, GRID, _grid_context(request, partnership))


def _measurable(request: TandemRequest, partnership: Scope, measurable_id: str) -> Measurable:
    return item_for(
        Measurable.objects.select_related("owner", "partnership", "workspace"),
        request.actor,
        partnership,
        measurable_id,
    )


def _form_page(
    request: TandemRequest, partnership: Scope, form: MeasurableForm, measurable: Measurable | None
) -> HttpResponse:
    return render(
        request,
        "scorecard/measurable_form.html",
        {
            "form": form,
            "partnership": partnership,
            "measurable": measurable,
            "tab": "scorecard",
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@access("partnership", program=True)
def measurable_create(request: TandemRequest, partnership: Scope) -> HttpResponse:
    form = MeasurableForm.for_request(request, partnership)
    if request.method == "POST" and form.is_valid():
        measurable = run_service(
            form,
            lambda: services.measurable_create(
                actor=request.actor,
                partnership=partnership,
                **form.values(),
            ),
        )
        if measurable is not None:
            messages.success(request, f"Measurable added: {measurable.title}.")
            return redirect("scorecard", partnership.pk)
    return _form_page(request, partnership, form, None)


@access("partnership", program=True)
def measurable_edit(request: TandemRequest, partnership: Scope, measurable_id: str) -> HttpResponse:
    actor = request.actor
    measurable = _measurable(request, partnership, measurable_id)
    form = MeasurableForm.for_request(
        request, partnership, initial=MeasurableForm.initial_for(measurable)
    )
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.values().items() if k in Measurable.concurrency_fields}
        saved = run_service(
            form,
            lambda: services.measurable_update(
                measurable, actor=actor, version=form.cleaned_data.get("version"), **values
            ),
        )
        if saved is not None:
            messages.success(request, f"“{measurable.title}” saved.")
            return redirect("scorecard", partnership.pk)
    return _form_page(request, partnership, form, measurable)


@access("partnership", program=True)
def measurable_delete(
    request: TandemRequest, partnership: Scope, measurable_id: str
) -> HttpResponse:
    measurable = _measurable(request, partnership, measurable_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=measurable,
        label="measurable",
        delete=services.measurable_delete,
        back=reverse("scorecard", args=[partnership.pk]),
    )


@access("partnership", program=True)
@require_POST
def measurable_move(request: TandemRequest, partnership: Scope, measurable_id: str) -> HttpResponse:
    measurable = _measurable(request, partnership, measurable_id)
    try:
        services.measurable_move(
            measurable,
            actor=request.actor,
            step=-1 if request.POST.get("direction") == "up" else 1,
        )
    except InvalidInput as error:
        messages.error(request, error.detail)
    return redirect(reverse("scorecard", args=[partnership.pk]) + f"#m-{measurable.pk}")


# --- One cell: inline entry ------------------------------------------------------------------


def _period(measurable: Measurable, period: str) -> date:
    try:
        start = date.fromisoformat(period)
        services.check_period(measurable, start, future=True)
    except (ValueError, InvalidInput) as error:
        raise Http404(NOT_FOUND) from error
    return start


def _cell_context(
    partnership: Scope,
    measurable: Measurable,
    start: date,
    entry: Entry | None,
    *,
    typed: str | None = None,
    error: str = "",
) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "measurable": measurable,
        "start": start,
        "key": start.isoformat(),
        "period": period_label(start, measurable.frequency),
        "entry": entry,
        "version": entry.version if entry is not None else "",
        "typed": typed
        if typed is not None
        else units.as_input(measurable.unit, entry.value if entry else None),
        "error": error,
        "hint": {
            Unit.YES_NO: "yes / no",
            Unit.DURATION: "h:mm",
            Unit.PERCENT: "%",
        }.get(measurable.unit, ""),  # type: ignore[call-overload]
    }


def _rows_response(
    request: TandemRequest, partnership: Scope, measurable: Measurable, *, status: int = 200
) -> HttpResponse:
    """The measurable's row, and (out of band) the rows of formulas that use it."""
    actor = request.actor
    end = _end(request)
    row = selectors.row_for(actor, partnership, measurable, end=end)
    context = {"partnership": partnership, "editable": not partnership.is_archived}
    html = render(request, GRID + "#sc-row", {**context, "row": row}).content.decode()
    for other in selectors.dependent_rows(actor, partnership, measurable, end=end):
        html += render(
            request, GRID + "#sc-row", {**context, "row": other, "oob": True}
        ).content.decode()
    return HttpResponse(html, status=status)


@access("partnership", program=True)
def scorecard_cell(
    request: TandemRequest, partnership: Scope, measurable_id: str, period: str
) -> HttpResponse:
    """GET: the cell's editor (htmx) or a small page with it. POST: save the value, answer
    the row with its new colour and totals; a refusal answers 400 (409 for an edit that
    crossed someone else's) with the editor and the reason, in the cell."""
    actor = request.actor
    measurable = _measurable(request, partnership, measurable_id)
    start = _period(measurable, period)
    htmx = bool(request.htmx)
    if request.method == "GET" and request.GET.get("cancel") and htmx:
        return _rows_response(request, partnership, measurable)
    entry = Entry.objects.filter(measurable=measurable, period_start=start).first()
    if request.method != "POST":
        if measurable.is_formula and htmx:
            return _rows_response(request, partnership, measurable)
        return _cell_page(request, partnership, measurable, start, entry)
    form = CellForm(request.POST)
    error, status, typed = "", 400, request.POST.get("value", "")[:40]
    if not form.is_valid():
        error = "Enter a value of at most 40 characters."
    else:
        try:
            services.value_set(
                measurable,
                actor=actor,
                period_start=start,
                value=form.cleaned_data["value"],
                version=form.cleaned_data.get("version"),
            )
        except InvalidInput as refusal:
            error = " ".join(sum(refusal.errors.values(), [])) or refusal.detail
        except Conflict as conflict:
            entry = conflict.current
            shown = units.show(measurable.unit, entry.value, measurable.currency)
            error = f"Someone else saved {shown} meanwhile. Save again to replace it."
            status = 409
        else:
            if htmx:
                return _rows_response(request, partnership, measurable)
            messages.success(
                request, f"Saved: {measurable.title}, {period_label(start, measurable.frequency)}."
            )
            return redirect("scorecard", partnership.pk)
    context = _cell_context(partnership, measurable, start, entry, typed=typed, error=error)
    if htmx:
        # The refusal goes back into the cell being edited, with the reason. htmx swaps a
        # 200 as it is told (HX-Retarget); the status of the refusal travels in a header.
        htmx_status = 200
        response = render(request, "scorecard/cell_edit.html", context, status=htmx_status)
        response = retarget(response, f"#c-{measurable.pk}-{start.isoformat()}")
        return reswap(response, "innerHTML")
    return _cell_page(request, partnership, measurable, start, entry, context, status=status)


def _cell_page(
    request: TandemRequest,
    partnership: Scope,
    measurable: Measurable,
    start: date,
    entry: Entry | None,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    context = context or _cell_context(partnership, measurable, start, entry)
    template = "scorecard/cell_edit.html" if request.htmx else "scorecard/cell_page.html"
    return render(request, template, {**context, "tab": "scorecard"}, status=status)


@access("partnership", program=True)
def scorecard_goal(
    request: TandemRequest, partnership: Scope, measurable_id: str, period: str
) -> HttpResponse:
    """A goal for one period only, with a note (a holiday week, a launch month)."""
    actor = request.actor
    measurable = _measurable(request, partnership, measurable_id)
    start = _period(measurable, period)
    entry = Entry.objects.filter(measurable=measurable, period_start=start).first()
    initial = {
        "goal": units.as_input(measurable.unit, entry.goal) if entry else "",
        "goal_high": units.as_input(measurable.unit, entry.goal_high) if entry else "",
        "goal_note": entry.goal_note if entry else "",
        "version": entry.version if entry else None,
    }
    form = PeriodGoalForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.period_goal_set(
                measurable,
                actor=actor,
                period_start=start,
                goal=form.cleaned_data["goal"],
                goal_high=form.cleaned_data["goal_high"],
                note=form.cleaned_data["goal_note"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(
                request,
                f"Goal for {period_label(start, measurable.frequency)} saved: {measurable.title}.",
            )
            return redirect("scorecard", partnership.pk)
    return render(
        request,
        "scorecard/period_goal.html",
        {
            "form": form,
            "partnership": partnership,
            "measurable": measurable,
            "period": period_label(start, measurable.frequency),
            "usual": selectors.goal_words(measurable, measurable.goal, measurable.goal_high),
            "range": measurable.comparator == Comparator.BETWEEN,
            "tab": "scorecard",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
