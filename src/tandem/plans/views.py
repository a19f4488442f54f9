"""The joint quarterly plan's page: the quarter's plan, each side's signature, what changed
since signing, the sign button and the history. Both sides reach it; the program level has
no plan (404)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.clock import local_today
from tandem.core.dates import quarter_of
from tandem.core.decorators import access
from tandem.core.errors import Conflict, DomainError
from tandem.core.http import TandemRequest
from tandem.core.params import EARLIEST, LATEST
from tandem.core.scope import Scope
from tandem.core.sides import side_name, sides_for
from tandem.core.views import page_context, refusal
from tandem.plans import selectors, services
from tandem.plans.content import quarter_key, readable
from tandem.plans.notify import plan_url

TAB = ("rocks", "plan")
QUARTER = re.compile(r"^(\d{4})-[Qq]?([1-4])$")


def parse_quarter(text: str | None) -> tuple[int, int] | None:
    """``2026-Q3`` (or ``2026-3``, as the rocks page writes it) as (2026, 3); None when it
    is not a quarter of the years Tandem takes."""
    found = QUARTER.match((text or "").strip())
    if found is None:
        return None
    year, quarter = int(found.group(1)), int(found.group(2))
    return (year, quarter) if EARLIEST.year <= year <= LATEST.year else None


def shift(year: int, quarter: int, step: int) -> str:
    index = year * 4 + quarter - 1 + step
    return quarter_key(index // 4, index % 4 + 1)


@access("partnership")
def plan(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """One quarter's plan (this quarter's unless ``?quarter=2026-Q3``)."""
    actor = request.actor
    asked = request.GET.get("quarter")
    found = parse_quarter(asked)
    if asked and found is None:
        messages.error(request, "Choose a quarter such as 2026-Q3; this quarter is shown.")
    year, quarter = found or quarter_of(local_today(partnership))
    state = selectors.plan_state(actor, partnership, year, quarter)
    side = selectors.side_of(actor, partnership)
    mine = state.sides[side] if side else None
    context = page_context(
        request,
        partnership,
        TAB,
        plan=state,
        mine=mine,
        my_side=side_name(side, actor, partnership) if side else None,
        history=[
            {"signature": signature, "shown": readable(signature.content)}
            for signature in selectors.history(partnership, year, quarter)
        ],
        quarters=selectors.quarters(partnership, around=(year, quarter)),
        previous=shift(year, quarter, -1),
        next=shift(year, quarter, 1),
        sides=sides_for(actor, partnership),
        shown=readable(state.content),
    )
    return render(request, "plans/plan.html", context)


@access("partnership")
@require_POST
def plan_sign(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """Sign the plan as read (its hash) for the signer's side."""
    found = parse_quarter(request.POST.get("quarter"))
    if found is None:
        messages.error(request, "Choose the quarter whose plan you sign.")
        return redirect("plan", partnership.pk)
    year, quarter = found
    back = plan_url(partnership, year, quarter)
    if request.POST.get("agree") != "yes":
        messages.error(request, "Tick the sentence that says you agree to the plan, then sign.")
        return redirect(back)
    try:
        services.sign(
            actor=request.actor,
            partnership=partnership,
            year=year,
            quarter=quarter,
            content_hash=str(request.POST.get("content_hash", "")),
        )
    except Conflict:
        messages.error(request, services.CHANGED)
        return redirect(back)
    except DomainError as error:
        messages.error(request, refusal(error))
        return redirect(back)
    side = selectors.side_of(request.actor, partnership)
    name = side_name(side, request.actor, partnership).name if side else ""
    messages.success(request, f"You signed the Q{quarter} {year} plan on behalf of {name}.")
    return redirect(back + "#plan-status")
