"""Check-in and event pages: what is planned, what was held, and how long since the last one
of each kind — with a warning when the monthly or quarterly rhythm lapses (seed 002)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.pagecache import render_cached
from tandem.meetings.schedule.dates import local_today
from tandem.partners.selectors import item_for
from tandem.partners.views import confirm_delete, edit_item
from tandem.relationship.checkins import selectors, services
from tandem.relationship.checkins.forms import CheckInForm
from tandem.relationship.checkins.models import CheckIn


def _context(
    request: HttpRequest, partnership: Any, form: CheckInForm | None = None
) -> dict[str, Any]:
    actor = request.actor  # type: ignore[attr-defined]
    today = local_today(partnership)
    health = selectors.checkin_health(actor, partnership, today=today)
    return {
        "partnership": partnership,
        "tab": "relationship",
        "subtab": "checkins",
        "can_manage": actor.is_member(partnership.workspace_id),
        "today": today,
        "health": health,
        "figures": list(health.kinds.values()),
        "upcoming": list(selectors.upcoming(actor, partnership, today)[:20]),
        "page": Paginator(selectors.held(actor, partnership, today), 20).get_page(
            request.GET.get("page")
        ),
        "query": "",
        "form": form or CheckInForm.for_request(request, partnership),
    }


@access("partnership")
def checkin_list(request: HttpRequest, partnership: Any) -> HttpResponse:
    return render_cached(
        request,
        "checkins/checkin_list.html",
        versions=(
            partnership.pk,
            partnership.data_version,
        ),  # the minute in the key covers a new day
        context=lambda: _context(request, partnership),
    )


@access("partnership")
def checkin_create(request: HttpRequest, partnership: Any) -> HttpResponse:
    form = CheckInForm.for_request(request, partnership)
    if request.method == "POST" and form.is_valid():
        checkin = run_service(
            form,
            lambda: services.checkin_create(
                actor=request.actor,  # type: ignore[attr-defined]
                partnership=partnership,
                **form.values(),
            ),
        )
        if checkin is not None:
            planned = checkin.held_on > local_today(partnership)
            messages.success(
                request,
                f"{'Planned' if planned else 'Recorded'}: {checkin.title}, "
                f"{checkin.held_on:%-d %b %Y}.",
            )
            return redirect("checkin_list", partnership.pk)
    return render(
        request,
        "checkins/checkin_list.html",
        _context(request, partnership, form),
        status=400 if request.method == "POST" else 200,
    )


@access("partnership")
def checkin_edit(request: HttpRequest, partnership: Any, checkin_id: str) -> HttpResponse:
    checkin = item_for(CheckIn.objects.all(), request.actor, partnership, checkin_id)  # type: ignore[attr-defined]
    return edit_item(
        request,
        partnership=partnership,
        item=checkin,
        form_class=CheckInForm,
        update=services.checkin_update,
        template="checkins/checkin_form.html",
        back=reverse("checkin_list", args=[partnership.pk]),
        label="Check-in",
        context={"checkin": checkin, "tab": "relationship", "subtab": "checkins"},
    )


@access("partnership_manage")
def checkin_delete(request: HttpRequest, partnership: Any, checkin_id: str) -> HttpResponse:
    checkin = item_for(CheckIn.objects.all(), request.actor, partnership, checkin_id)  # type: ignore[attr-defined]
    return confirm_delete(
        request,
        partnership=partnership,
        item=checkin,
        label="check-in",
        delete=services.checkin_delete,
        back=reverse("checkin_list", args=[partnership.pk]),
    )
