"""Communication plan pages: who hears what, how often, and whether it happened."""

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
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import item_for
from tandem.core.views import confirm_delete, edit_item
from tandem.relationship.communication import selectors, services
from tandem.relationship.communication.forms import PlanEntryForm, TouchForm
from tandem.relationship.communication.models import PlanEntry


def _context(
    request: TandemRequest, partnership: Any, form: PlanEntryForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    today = local_today(partnership)
    page = Paginator(selectors.entries_with_touches(actor, partnership, today), 50).get_page(
        request.GET.get("page")
    )
    rows = selectors.entry_rows(page.object_list, today)
    return {
        "partnership": partnership,
        "tab": "relationship",
        "subtab": "communication",
        "can_manage": actor.is_member(partnership.workspace_id),
        "page": page,
        "rows": rows,
        "today": today,
        # The overview's card judges the whole plan: so does the page, past its first 50.
        "health": selectors.plan_health(actor, partnership, today=today)
        if page.has_other_pages()
        else selectors.health_of(rows),
        "form": form or PlanEntryForm.for_request(request, partnership),
    }


@access("partnership")
def communication_plan(request: TandemRequest, partnership: Any) -> HttpResponse:
    return render(request, "communication/plan.html", _context(request, partnership))


@access("partnership")
def plan_entry_create(request: TandemRequest, partnership: Any) -> HttpResponse:
    form = PlanEntryForm.for_request(request, partnership)
    if request.method == "POST" and form.is_valid():
        entry = run_service(
            form,
            lambda: services.entry_create(
                actor=request.actor,
                partnership=partnership,
                **form.values(),
            ),
        )
        if entry is not None:
            messages.success(request, f"Added to the plan: {entry.topic}.")
            return redirect("communication_plan", partnership.pk)
    response = render(request, "communication/plan.html", _context(request, partnership, form))
    response.status_code = 400 if request.method == "POST" else 200
    return response


def _entry(request: TandemRequest, partnership: Any, entry_id: str) -> PlanEntry:
    return item_for(
        PlanEntry.objects.select_related("owner"),
        request.actor,
        partnership,
        entry_id,
    )


@access("partnership")
def plan_entry_edit(request: TandemRequest, partnership: Any, entry_id: str) -> HttpResponse:
    entry = _entry(request, partnership, entry_id)
    actor = request.actor
    return edit_item(
        request,
        partnership=partnership,
        item=entry,
        form_class=PlanEntryForm,
        update=services.entry_update,
        template="communication/entry_form.html",
        back=reverse("communication_plan", args=[partnership.pk]),
        label="Plan entry",
        context={
            "entry": entry,
            "touches": selectors.touches_for(actor, entry)[:200],
            "tab": "relationship",
            "subtab": "communication",
        },
    )


@access("partnership")
def plan_entry_delete(request: TandemRequest, partnership: Any, entry_id: str) -> HttpResponse:
    entry = _entry(request, partnership, entry_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=entry,
        label="plan entry",
        delete=services.entry_delete,
        back=reverse("communication_plan", args=[partnership.pk]),
    )


@access("partnership")
@require_POST
def plan_touch(request: TandemRequest, partnership: Any, entry_id: str) -> HttpResponse:
    """Mark one planned touch of an entry happened or missed."""
    entry = _entry(request, partnership, entry_id)
    form = TouchForm(request.POST)
    error = None
    if not form.is_valid():
        error = "Name a planned day and whether the touch happened."
    else:
        try:
            touch = services.touch_mark(
                entry,
                actor=request.actor,
                **form.cleaned_data,
            )
        except DomainError as refusal:
            details = [message for found in refusal.errors.values() for message in found]
            error = " ".join(details) or refusal.detail
    if error is not None:
        messages.error(request, error)
        response = render(request, "communication/plan.html", _context(request, partnership))
        response.status_code = 400
        return response
    verdict = "happened" if touch.happened else "missed"
    messages.success(request, f"“{entry.topic}” on {touch.planned_on:%-d %b}: marked {verdict}.")
    return redirect(reverse("communication_plan", args=[partnership.pk]) + f"#entry-{entry.pk}")
