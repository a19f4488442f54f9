"""Rock pages: a partnership's rocks for a quarter, their statuses and milestones."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import Scope, item_for
from tandem.core.views import confirm_delete
from tandem.traction import rocks
from tandem.traction.forms import MilestoneForm, RockForm
from tandem.traction.models import ROCKS_PER_PERSON, Milestone, Rock, RockStatus
from tandem.traction.quarters import requested_quarter, shift_quarter

PER_PAGE = 50  # a quarter has a handful of rocks per person; this is a bound, not a view


def _list_context(
    request: TandemRequest, partnership: Scope, form: RockForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    year, quarter = requested_quarter(request)
    quarter_rocks = rocks.rocks_for(actor, partnership, year, quarter)
    page = Paginator(quarter_rocks, PER_PAGE).get_page(request.GET.get("page"))
    return {
        "partnership": partnership,
        "tab": "rocks",
        "can_manage": actor.is_member(partnership.workspace_id),
        "year": year,
        "quarter": quarter,
        "previous": shift_quarter(year, quarter, -1),
        "next": shift_quarter(year, quarter, 1),
        "rocks": page.object_list,
        "page": page,
        "query": f"quarter={year}-{quarter}",
        "summary": rocks.quarter_summary(quarter_rocks),
        "overloaded": rocks.overloaded_owners(actor, year, quarter),
        "limit": ROCKS_PER_PERSON,
        "statuses": RockStatus.choices,
        "form": form or RockForm.for_request(request, partnership),
    }


@access("partnership", program=True)
def rock_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return render(request, "traction/rock_list.html", _list_context(request, partnership))


@access("partnership", program=True)
@require_POST
def rock_create(request: TandemRequest, partnership: Scope) -> HttpResponse:
    form = RockForm.for_request(request, partnership)
    year, quarter = requested_quarter(request)
    if form.is_valid():
        values = form.values()
        values.pop("status", None)
        rock = run_service(
            form,
            lambda: rocks.rock_create(
                actor=request.actor,
                partnership=partnership,
                year=year,
                quarter=quarter,
                **values,
            ),
        )
        if rock is not None:
            messages.success(request, f"Rock added for {rock.quarter_label}: {rock.title}.")
            return redirect(_list_url(partnership, rock))
    response = render(request, "traction/rock_list.html", _list_context(request, partnership, form))
    response.status_code = 400
    return response


def _list_url(partnership: Scope, rock: Rock) -> str:
    return reverse("rock_list", args=[partnership.pk]) + f"?quarter={rock.year}-{rock.quarter}"


@access("partnership", program=True)
@require_POST
def rock_status(request: TandemRequest, partnership: Scope, rock_id: str) -> HttpResponse:
    actor = request.actor
    rock = item_for(Rock.objects.all(), actor, partnership, rock_id)
    form = ConfirmForm(request.POST)
    status = request.POST.get("status", "")
    if status not in RockStatus.values:
        messages.error(request, "Choose on track, off track, done or dropped.")
    elif form.is_valid():
        saved = run_service(
            form,
            lambda: rocks.rock_update(
                rock, actor=actor, version=form.cleaned_data.get("version"), status=status
            ),
        )
        if saved is None:
            messages.error(request, f"“{rock.title}” was changed meanwhile; here it is as saved.")
        else:
            messages.success(request, f"“{rock.title}” is {rock.get_status_display().lower()}.")
    return redirect(_list_url(partnership, rock))


@access("partnership", program=True)
def rock_edit(request: TandemRequest, partnership: Scope, rock_id: str) -> HttpResponse:
    actor = request.actor
    rock = item_for(Rock.objects.all(), actor, partnership, rock_id)
    initial = {name: getattr(rock, name) for name in Rock.concurrency_fields}
    initial["version"] = rock.version
    form = RockForm.for_request(request, partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.values().items() if k in Rock.concurrency_fields}
        values["due_on"] = values.get("due_on") or rock.due_on
        saved = run_service(
            form,
            lambda: rocks.rock_update(
                rock, actor=actor, version=form.cleaned_data.get("version"), **values
            ),
        )
        if saved is not None:
            messages.success(request, "Rock saved.")
            return redirect(_list_url(partnership, rock))
    return render(
        request,
        "traction/rock_form.html",
        {
            "form": form,
            "partnership": partnership,
            "rock": rock,
            "milestones": rock.milestones.all(),
            "milestone_form": MilestoneForm(),
        },
    )


@access("partnership", program=True)
def rock_delete(request: TandemRequest, partnership: Scope, rock_id: str) -> HttpResponse:
    rock = item_for(Rock.objects.all(), request.actor, partnership, rock_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=rock,
        label="rock",
        delete=rocks.rock_delete,
        back=_list_url(partnership, rock),
    )


def _milestone(
    request: TandemRequest, partnership: Scope, rock_id: str, milestone_id: str
) -> tuple[Rock, Milestone]:
    rock = item_for(Rock.objects.all(), request.actor, partnership, rock_id)
    return rock, get_object_or_404(rock.milestones.all(), pk=parse_id(milestone_id))


@access("partnership", program=True)
@require_POST
def milestone_add(request: TandemRequest, partnership: Scope, rock_id: str) -> HttpResponse:
    actor = request.actor
    rock = item_for(Rock.objects.all(), actor, partnership, rock_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        added = run_service(
            form, lambda: rocks.milestone_add(rock, actor=actor, **form.cleaned_data)
        )
        if added is not None:
            messages.success(request, f"Milestone added: {added.title}.")
            return redirect("rock_edit", partnership.pk, rock.pk)
    for errors in form.errors.values():
        messages.error(request, " ".join(map(str, errors)))
    return redirect("rock_edit", partnership.pk, rock.pk)


@access("partnership", program=True)
@require_POST
def milestone_done(
    request: TandemRequest, partnership: Scope, rock_id: str, milestone_id: str
) -> HttpResponse:
    rock, milestone = _milestone(request, partnership, rock_id, milestone_id)
    rocks.milestone_set_done(
        milestone,
        actor=request.actor,
        done=request.POST.get("done") == "1",
    )
    if request.POST.get("next") == "todos":
        return redirect("todo_list", partnership.pk)
    return redirect("rock_edit", partnership.pk, rock.pk)


@access("partnership", program=True)
@require_POST
def milestone_delete(
    request: TandemRequest, partnership: Scope, rock_id: str, milestone_id: str
) -> HttpResponse:
    rock, milestone = _milestone(request, partnership, rock_id, milestone_id)
    rocks.milestone_delete(milestone, actor=request.actor)
    messages.success(request, f"Milestone removed: {milestone.title}.")
    return redirect("rock_edit", partnership.pk, rock.pk)
