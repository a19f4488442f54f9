"""Rock pages: a partnership's rocks for a quarter, their statuses and milestones. The add,
edit and delete pages follow from the declaration (``rocks.ROCKS``)."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.exports import item_columns
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.item_pages import export_view, item_views
from tandem.core.scope import Scope
from tandem.core.views import page_context
from tandem.traction import rocks
from tandem.traction.forms import MilestoneForm, RockForm
from tandem.traction.models import ROCKS_PER_PERSON, Rock, RockStatus
from tandem.traction.quarters import quarter_pages, requested_quarter

PER_PAGE = 50  # a quarter has a handful of rocks per person; this is a bound, not a view


def context(request: TandemRequest, partnership: Scope, form: RockForm) -> dict[str, Any]:
    year, quarter = requested_quarter(request)
    quarter_rocks = rocks.rocks_for(request.actor, partnership, year, quarter)
    page = Paginator(quarter_rocks, PER_PAGE).get_page(request.GET.get("page"))
    return page_context(
        request,
        partnership,
        ("rocks", ""),
        **quarter_pages(year, quarter),
        rocks=page.object_list,
        page=page,
        summary=rocks.quarter_summary(quarter_rocks),
        overloaded=rocks.overloaded_owners(request.actor, year, quarter),
        limit=ROCKS_PER_PERSON,
        statuses=RockStatus.choices,
        form=form,
    )


def _list_url(partnership: Scope, rock: Rock) -> str:
    return reverse("rock_list", args=[partnership.pk]) + f"?quarter={rock.year}-{rock.quarter}"


# The add form posts to ``new/?quarter=…``: the rock is for that quarter (``RockForm``).
rock_list, rock_create, rock_edit, rock_delete = item_views(
    rocks.ROCKS,
    app="traction",
    context=context,
    created=lambda rock: f"Rock added for {rock.quarter_label}: {rock.title}.",
    edit_context=lambda request, rock: {
        "milestones": rock.milestones.all(),
        "milestone_form": MilestoneForm(),
    },
    back=_list_url,
).values()
# Every quarter's rocks, done and dropped ones too, each with its quarter.
rock_export = export_view(
    rocks.ROCKS, columns=item_columns(Rock, (*Rock.concurrency_fields, "year", "quarter"))
)


@access("partnership", program=True)
@require_POST
def rock_status(request: TandemRequest, partnership: Scope, rock_id: str) -> HttpResponse:
    rock = rocks.ROCKS.one(request.actor, partnership, rock_id)
    form = ConfirmForm(request.POST)
    status = request.POST.get("status", "")
    if status not in RockStatus.values:
        messages.error(request, "Choose on track, off track, done or dropped.")
    elif form.is_valid():
        version = form.cleaned_data.get("version")
        saved = run_service(
            form,
            lambda: rocks.rock_update(rock, actor=request.actor, version=version, status=status),
        )
        if saved is None:
            messages.error(request, f"“{rock.title}” was changed meanwhile; here it is as saved.")
        else:
            messages.success(request, f"“{rock.title}” is {rock.get_status_display().lower()}.")
    return redirect(_list_url(partnership, rock))


@access("partnership", program=True)
@require_POST
def milestone_add(request: TandemRequest, partnership: Scope, rock_id: str) -> HttpResponse:
    rock = rocks.ROCKS.one(request.actor, partnership, rock_id)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        add = partial(rocks.milestone_add, rock, actor=request.actor, **form.cleaned_data)
        if (added := run_service(form, add)) is not None:
            messages.success(request, f"Milestone added: {added.title}.")
    for errors in form.errors.values():  # none once added
        messages.error(request, " ".join(map(str, errors)))
    return redirect("rock_edit", partnership.pk, rock.pk)


@access("partnership", program=True)
@require_POST
def milestone_done(
    request: TandemRequest, partnership: Scope, rock_id: str, milestone_id: str
) -> HttpResponse:
    rock = rocks.ROCKS.one(request.actor, partnership, rock_id)
    milestone = get_object_or_404(rock.milestones.all(), pk=parse_id(milestone_id))
    rocks.milestone_set_done(milestone, actor=request.actor, done=request.POST.get("done") == "1")
    if request.POST.get("next") == "todos":
        return redirect("todo_list", partnership.pk)
    return redirect("rock_edit", partnership.pk, rock.pk)


@access("partnership", program=True)
@require_POST
def milestone_delete(
    request: TandemRequest, partnership: Scope, rock_id: str, milestone_id: str
) -> HttpResponse:
    rock = rocks.ROCKS.one(request.actor, partnership, rock_id)
    milestone = get_object_or_404(rock.milestones.all(), pk=parse_id(milestone_id))
    rocks.milestone_delete(milestone, actor=request.actor)
    messages.success(request, f"Milestone removed: {milestone.title}.")
    return redirect("rock_edit", partnership.pk, rock.pk)
