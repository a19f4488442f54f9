"""Ideas backlog pages: two groups in priority order, a few committed at a time (seed 001).
The edit and delete pages follow from the declaration (``services.IDEAS``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRefresh

from tandem.core.access import Actor, Visibility
from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.views import page_context
from tandem.ideas import selectors, services
from tandem.ideas.forms import BoardForm, IdeaCaptureForm
from tandem.ideas.models import Idea
from tandem.partners.models import Horizon

PER_PAGE = 25
GROUPS = (
    (Horizon.TACTICAL, "Short-term tactical", "Quick wins for the next weeks.", "tactical_owner"),
    (Horizon.STRATEGIC, "Long-term strategic", "Bigger bets for the year.", "strategic_owner"),
)


def _page(request: TandemRequest, queryset: Any, name: str) -> Any:
    """One page of a list; each list of the page turns pages by its own parameter, and the
    links keep the other lists where they are."""
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get(name))

    def link(number: int) -> str:
        query = request.GET.copy()
        query[name] = str(number)
        return "?" + query.urlencode()

    # For the template: the page's links, beside Django's page numbers.
    page.previous_url = link(page.previous_page_number()) if page.has_previous() else ""  # type: ignore[attr-defined]
    page.next_url = link(page.next_page_number()) if page.has_next() else ""  # type: ignore[attr-defined]
    return page


def _board_context(
    request: TandemRequest, partnership: Scope, captured: dict[str, IdeaCaptureForm] | None = None
) -> dict[str, Any]:
    actor = request.actor
    board = services.board_of(partnership)
    groups = [
        {
            "horizon": horizon,
            "label": label,
            "hint": hint,
            "owner": getattr(board, owner_field),
            "page": _page(request, selectors.group(actor, partnership, horizon), horizon),
            "param": horizon,
            "form": (captured or {}).get(horizon) or IdeaCaptureForm(horizon=horizon),
        }
        for horizon, label, hint, owner_field in GROUPS
    ]
    return page_context(
        request,
        partnership,
        ("ideas", ""),
        board=board,
        bar=selectors.commit_bar(actor, partnership, board.commit_limit),
        groups=groups,
        past=_page(request, selectors.closed(actor, partnership), "past"),
        state=request.GET.urlencode(),
    )


@access("partnership", program=True)
def idea_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return render(request, "ideas/idea_list.html", _board_context(request, partnership))


def back(scope: Scope, idea: Idea, state: str = "") -> str:
    """Where a change returns to: the idea on the board (as the board's pages were)."""
    return (
        reverse("idea_list", args=[scope.pk]) + (f"?{state}" if state else "") + f"#idea-{idea.pk}"
    )


@access("partnership", program=True)
@require_POST
def idea_create(request: TandemRequest, partnership: Scope) -> HttpResponse:
    form = IdeaCaptureForm(request.POST, horizon=request.POST.get("horizon") or Horizon.TACTICAL)
    if form.is_valid():
        idea = run_service(
            form,
            lambda: services.idea_create(
                actor=request.actor,
                partnership=partnership,
                visibility=Visibility.INTERNAL if partnership.is_program else Visibility.SHARED,
                **form.cleaned_data,
            ),
        )
        if idea is not None:
            messages.success(request, f"Idea added to {idea.get_horizon_display().lower()}.")
            return redirect(back(partnership, idea, request.GET.urlencode()))
    horizon = form.data.get("horizon")
    captured = {horizon: form} if horizon in Horizon.values else {}
    context = _board_context(request, partnership, captured)
    return render(request, "ideas/idea_list.html", context, status=400)


def _act(idea: Idea, action: str, actor: Actor, version: int | None, data: Any) -> str:
    """A row's button (commit, release, done, move, convert): the service's change to the
    idea (``version``: the version read; ``data``: what the form sent), then what to say."""
    if action == "commit":
        services.idea_commit(idea, actor=actor, version=version)
        return f"Committed: {idea.title}."
    if action == "release":
        services.idea_release(idea, actor=actor, version=version)
        return f"Back in the backlog: {idea.title}."
    if action == "done":
        services.idea_finish(idea, actor=actor, version=version)
        return f"Done: {idea.title}."
    if action == "move":
        services.idea_move(idea, actor=actor, direction=data.get("direction", ""))
        return f"Moved {data.get('direction', '')}: {idea.title}."
    services.idea_convert(idea, actor=actor, version=version, into=data.get("into", ""))
    if idea.rock:
        return f"“{idea.title}” is now a rock for {idea.rock.quarter_label}."
    return f"“{idea.title}” is now a to-do, due {idea.todo.due_on:%a %d %b}."  # type: ignore[union-attr]


@access("partnership", program=True)
@require_POST
def idea_act(request: TandemRequest, partnership: Scope, idea_id: str, action: str) -> HttpResponse:
    """A change of one row (``_act``: commit, release, finish, move, convert). With htmx it
    answers the board alone; a refusal reloads the page with the reason, so nobody keeps
    looking at a board that is not true."""
    idea = services.IDEAS.one(request.actor, partnership, idea_id, related=("owner",))
    form = ConfirmForm(request.POST)
    said: str | None = None
    if form.is_valid():
        version = form.cleaned_data.get("version")
        said = run_service(form, lambda: _act(idea, action, request.actor, version, request.POST))
    if not said:
        if form.conflict:
            messages.error(request, f"“{idea.title}” was changed meanwhile; here it is as saved.")
        else:
            messages.error(
                request, " ".join(map(str, form.non_field_errors())) or "That did not work."
            )
        if request.htmx:
            return HttpResponseClientRefresh()
        return redirect(back(partnership, idea, request.GET.urlencode()))
    if request.htmx:
        # The board alone is swapped in: what happened is said at its top.
        context = _board_context(request, partnership)
        context["done_message"] = said
        return render(request, "ideas/idea_list.html#board", context)
    messages.success(request, said)
    return redirect(back(partnership, idea, request.GET.urlencode()))


@access("partnership_manage", program=True)
def idea_settings(request: TandemRequest, partnership: Scope) -> HttpResponse:
    board = services.board_of(partnership)
    initial = {name: getattr(board, name) for name in board.concurrency_fields}
    initial["version"] = board.version
    form = BoardForm(request.POST or None, partnership=partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.board_update(
                actor=request.actor,
                partnership=partnership,
                version=form.cleaned_data.get("version"),
                **{k: form.cleaned_data[k] for k in board.concurrency_fields},
            ),
        )
        if saved is not None:
            messages.success(
                request, f"Saved: up to {saved.commit_limit} committed ideas at a time."
            )
            return redirect("idea_list", partnership.pk)
    return render(
        request,
        "ideas/idea_settings.html",
        {"form": form, "partnership": partnership, "board": board},
    )
