"""Communication plan pages: who hears what, how often, and whether it happened. The add,
edit and delete pages follow from the declaration (``services.PLAN``); marking a touch is
this app's own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.clock import local_today
from tandem.core.decorators import access
from tandem.core.errors import DomainError
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.views import page_context, refusal
from tandem.relationship.communication import selectors, services
from tandem.relationship.communication.forms import PlanEntryForm, TouchForm
from tandem.relationship.communication.models import PlanEntry
from tandem.relationship.communication.services import PLAN

TAB = ("relationship", "communication")
LIST = "communication/plan_entry_list.html"


def context(request: TandemRequest, partnership: Scope, form: PlanEntryForm) -> dict[str, Any]:
    actor = request.actor
    today = local_today(partnership)
    page = Paginator(selectors.entries_with_touches(actor, partnership, today), 50).get_page(
        request.GET.get("page")
    )
    rows = selectors.entry_rows(page.object_list, today)
    # The overview's card judges the whole plan: so does the page, past its first 50.
    health = (
        selectors.plan_health(actor, partnership, today=today)
        if page.has_other_pages()
        else selectors.health_of(rows)
    )
    return page_context(
        request, partnership, TAB, page=page, rows=rows, today=today, health=health, form=form
    )


def created(entry: PlanEntry) -> str:
    return f"Added to the plan: {entry.topic}."


def edit_context(request: TandemRequest, entry: PlanEntry) -> dict[str, Any]:
    return {"touches": selectors.touches_for(request.actor, entry)[:200]}


@access("partnership")
@require_POST
def plan_touch(request: TandemRequest, partnership: Scope, plan_entry_id: str) -> HttpResponse:
    """Mark one planned touch of an entry happened or missed."""
    entry = PLAN.one(request.actor, partnership, plan_entry_id)
    form = TouchForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Name a planned day and whether the touch happened."
    else:
        try:
            touch = services.touch_mark(entry, actor=request.actor, **form.cleaned_data)
        except DomainError as refused:
            error = refusal(refused)
    if error is not None:
        messages.error(request, error)
        add = PlanEntryForm.for_request(request, partnership)
        return render(request, LIST, context(request, partnership, add), status=400)
    verdict = "happened" if touch.happened else "missed"
    messages.success(request, f"“{entry.topic}” on {touch.planned_on:%-d %b}: marked {verdict}.")
    return redirect(reverse("plan_entry_list", args=[partnership.pk]) + f"#entry-{entry.pk}")
