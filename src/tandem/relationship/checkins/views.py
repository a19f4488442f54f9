"""Check-in and event pages: what is planned, what was held, and how long since the last one
of each kind — with a warning when the monthly or quarterly rhythm lapses (seed 002). The
add, edit and delete pages follow from the declaration (``services.CHECKINS``)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator

from tandem.core.clock import local_today
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope, scope_of
from tandem.core.views import page_context
from tandem.relationship.checkins import selectors
from tandem.relationship.checkins.forms import CheckInForm
from tandem.relationship.checkins.models import CheckIn

TAB = ("relationship", "checkins")


def context(request: TandemRequest, partnership: Scope, form: CheckInForm) -> dict[str, Any]:
    actor = request.actor
    today = local_today(partnership)
    health = selectors.checkin_health(actor, partnership, today=today)
    held = selectors.held(actor, partnership, today)
    return page_context(
        request,
        partnership,
        TAB,
        today=today,
        health=health,
        figures=list(health.kinds.values()),
        upcoming=list(selectors.upcoming(actor, partnership, today)[:20]),
        page=Paginator(held, 20).get_page(request.GET.get("page")),
        query="",
        form=form,
    )


def created(checkin: CheckIn) -> str:
    planned = checkin.held_on > local_today(scope_of(checkin))
    return f"{'Planned' if planned else 'Recorded'}: {checkin.title}, {checkin.held_on:%-d %b %Y}."
