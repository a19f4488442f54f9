"""Scorecard pages: the grid with inline entry (htmx), measurables, one-period goals. Every
view takes the scope (a partnership or the program level) as ``partnership``."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import reswap, retarget

from tandem.core import exports
from tandem.core.decorators import access
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.params import query_date
from tandem.core.scope import NOT_FOUND, Scope
from tandem.core.views import confirm_delete, page_context, refusal
from tandem.scorecard import selectors, services, units
from tandem.scorecard.forms import CellForm, MeasurableForm, PeriodGoalForm
from tandem.scorecard.models import Comparator, Entry, Measurable, Unit, period_label

PER_PAGE = 25
STATUS_WORDS = {"on": "On track", "off": "Off track", "missing": "Missing", "open": "Open"}


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored value as typed: 7, not 7.0000."""
    return value.normalize() if value is not None else None


# One line per measurable and period of the grid (the 13 periods the page shows).
SCORECARD_COLUMNS = [
    exports.Column("Measurable", lambda line: line[0].measurable.title),
    exports.Column("Frequency", lambda line: line[0].measurable.get_frequency_display()),
    exports.Column("Owner", lambda line: line[0].owner_name),
    exports.Column("Goal", lambda line: line[0].goal_shown),
    exports.Column("Period", lambda line: line[1].period_start),
    exports.Column("Value", lambda line: _plain(line[1].value)),
    exports.Column("Shown as", lambda line: line[1].shown),
    exports.Column("Goal this period", lambda line: line[1].goal_shown),
    exports.Column("Status", lambda line: STATUS_WORDS.get(line[1].status, "")),
]
GRID = "scorecard/scorecard.html"
# What a cell of these units takes, as its placeholder.
HINTS: dict[str, str] = {Unit.YES_NO: "yes / no", Unit.DURATION: "h:mm", Unit.PERCENT: "%"}


@access("partnership", program=True)
def scorecard(request: TandemRequest, partnership: Scope) -> HttpResponse:
    actor = request.actor
    end = query_date(request, "to")  # ``?to=2025-03-03``: the last period holds this day
    anchor = end or timezone.localdate()
    page = Paginator(selectors.measurable_list(actor, partnership), PER_PAGE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    later = anchor + timedelta(weeks=13)
    context = page_context(
        request,
        partnership,
        ("scorecard", ""),
        page=page,
        query=query.urlencode(),
        sections=selectors.grid(actor, partnership, page.object_list, end=end),
        earlier=(anchor - timedelta(weeks=13)).isoformat(),
        later=later.isoformat() if later <= timezone.localdate() else "",
        shifted=end is not None,
        editable=not partnership.is_archived,
        export_query=f"to={end.isoformat()}" if end else "",
    )
    return render(request, GRID, context)


@access("partnership", program=True)
@require_GET
def scorecard_export(request: TandemRequest, partnership: Scope) -> Any:
    """The grid as lines: each measurable the reader sees, with its value for each period
    (``?to=``: the periods ending with that day's, as on the page)."""
    actor = request.actor
    measurables = selectors.measurable_list(actor, partnership)
    sections = selectors.grid(actor, partnership, measurables, end=query_date(request, "to"))
    lines = [
        (row, cell)
        for section in sections
        for row in section.rows
        for cell in row.cells
        if cell.status != "ahead"
    ]
    return exports.download(request, partnership, "scorecard", SCORECARD_COLUMNS, lines)


@access("partnership", program=True)
def measurable_form(
    request: TandemRequest, partnership: Scope, measurable_id: str = ""
) -> HttpResponse:
    """Add a measurable, or (with ``measurable_id``) change one."""
    actor = request.actor
    measurable = (
        selectors.measurable_for(request.actor, partnership, measurable_id)
        if measurable_id
        else None
    )
    initial = MeasurableForm.initial_for(measurable) if measurable else None
    form = MeasurableForm.for_request(request, partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        values, version = form.values(), form.cleaned_data.get("version")

        def save() -> Measurable:
            if measurable is None:
                return services.measurable_create(actor=actor, partnership=partnership, **values)
            return services.measurable_update(measurable, actor=actor, version=version, **values)

        saved = run_service(form, save)
        if saved is not None:
            said = f"“{saved.title}” saved." if measurable else f"Measurable added: {saved.title}."
            messages.success(request, said)
            return redirect("scorecard", partnership.pk)
    return render(
        request,
        "scorecard/measurable_form.html",
        {"form": form, "partnership": partnership, "measurable": measurable, "tab": "scorecard"},
        status=400 if form.is_bound and form.errors else 200,
    )


@access("partnership", program=True)
def measurable_delete(
    request: TandemRequest, partnership: Scope, measurable_id: str
) -> HttpResponse:
    return confirm_delete(
        request,
        partnership=partnership,
        item=selectors.measurable_for(request.actor, partnership, measurable_id),
        label="measurable",
        delete=services.measurable_delete,
        back=reverse("scorecard", args=[partnership.pk]),
    )


@access("partnership", program=True)
@require_POST
def measurable_move(request: TandemRequest, partnership: Scope, measurable_id: str) -> HttpResponse:
    measurable = selectors.measurable_for(request.actor, partnership, measurable_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.measurable_move(measurable, actor=request.actor, step=step)
    except InvalidInput as error:
        messages.error(request, error.detail)
    return redirect(reverse("scorecard", args=[partnership.pk]) + f"#m-{measurable.pk}")


# --- One period of a measurable: inline entry, and a goal of its own --------------------------


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
        "hint": HINTS.get(measurable.unit, ""),
    }


def _rows_response(
    request: TandemRequest, partnership: Scope, measurable: Measurable
) -> HttpResponse:
    """The measurable's row, and (out of band) the rows of formulas that use it."""
    actor = request.actor
    end = query_date(request, "to")
    row = selectors.row_for(actor, partnership, measurable, end=end)
    context = {"partnership": partnership, "editable": not partnership.is_archived}
    html = render(request, GRID + "#sc-row", {**context, "row": row}).content.decode()
    for other in selectors.dependent_rows(actor, partnership, measurable, end=end):
        oob = {**context, "row": other, "oob": True}
        html += render(request, GRID + "#sc-row", oob).content.decode()
    return HttpResponse(html)


def _cell_page(
    request: TandemRequest, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    """The cell's editor (htmx), or a small page with it."""
    template = "scorecard/cell_edit.html" if request.htmx else "scorecard/cell_page.html"
    return render(request, template, {**context, "tab": "scorecard"}, status=status)


@access("partnership", program=True)
def scorecard_cell(
    request: TandemRequest, partnership: Scope, measurable_id: str, period: str
) -> HttpResponse:
    """GET: the cell's editor (htmx) or a small page with it. POST: save the value, answer
    the row with its new colour and totals; a refusal answers 400 (409 for an edit that
    crossed someone else's) with the editor and the reason, in the cell."""
    measurable = selectors.measurable_for(request.actor, partnership, measurable_id)
    start = _period(measurable, period)
    htmx = bool(request.htmx)
    cancel = request.method == "GET" and request.GET.get("cancel")
    if htmx and request.method != "POST" and (cancel or measurable.takes_no_values):
        return _rows_response(request, partnership, measurable)
    entry = Entry.objects.filter(measurable=measurable, period_start=start).first()
    if request.method != "POST":
        return _cell_page(request, _cell_context(partnership, measurable, start, entry))
    form = CellForm(request.POST)
    error, status, typed = "", 400, request.POST.get("value", "")[:40]
    if not form.is_valid():
        error = "Enter a value of at most 40 characters."
    else:
        try:
            services.value_set(
                measurable, actor=request.actor, period_start=start, **form.cleaned_data
            )
        except InvalidInput as refused:
            error = refusal(refused)
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
    if not htmx:
        return _cell_page(request, context, status=status)
    # The refusal goes back into the cell being edited, with the reason. htmx swaps a 200 as
    # it is told (HX-Retarget); the status of the refusal travels in a header.
    response = retarget(_cell_page(request, context), f"#c-{measurable.pk}-{start.isoformat()}")
    return reswap(response, "innerHTML")


@access("partnership", program=True)
def scorecard_goal(
    request: TandemRequest, partnership: Scope, measurable_id: str, period: str
) -> HttpResponse:
    """A goal for one period only, with a note (a holiday week, a launch month)."""
    measurable = selectors.measurable_for(request.actor, partnership, measurable_id)
    start = _period(measurable, period)
    entry = Entry.objects.filter(measurable=measurable, period_start=start).first()
    initial = {
        "goal": units.as_input(measurable.unit, entry.goal) if entry else "",
        "goal_high": units.as_input(measurable.unit, entry.goal_high) if entry else "",
        "goal_note": entry.goal_note if entry else "",
        "version": entry.version if entry else None,
    }
    form = PeriodGoalForm(request.POST or None, initial=initial)
    label = period_label(start, measurable.frequency)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            lambda: services.period_goal_set(
                measurable,
                actor=request.actor,
                period_start=start,
                goal=data["goal"],
                goal_high=data["goal_high"],
                note=data["goal_note"],
                version=data.get("version"),
            ),
        )
        if saved is not None:
            messages.success(request, f"Goal for {label} saved: {measurable.title}.")
            return redirect("scorecard", partnership.pk)
    return render(
        request,
        "scorecard/period_goal.html",
        {
            "form": form,
            "partnership": partnership,
            "measurable": measurable,
            "period": label,
            "usual": selectors.goal_words(measurable, measurable.goal, measurable.goal_high),
            "range": measurable.comparator == Comparator.BETWEEN,
            "tab": "scorecard",
        },
        status=400 if form.is_bound and form.errors else 200,
    )
