"""Asks and requests pages: both directions side by side, what waits and for how long, and
how fast each side answers. Adding and deleting follow from the declaration
(``services.ASKS``); answering, withdrawing, reopening and editing (the asking side's, back
to the ask) are the ask's own."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope, item_for
from tandem.core.sides import side_name
from tandem.meetings.schedule.dates import schedule_of, zone_of
from tandem.relationship.asks import selectors, services
from tandem.relationship.asks.forms import AnswerForm, AskForm
from tandem.relationship.asks.models import Ask, Side


def context(request: TandemRequest, partnership: Scope, form: AskForm) -> dict[str, Any]:
    actor = request.actor
    now = timezone.now()
    today = timezone.localdate(now)
    health = selectors.ask_health(actor, partnership, now=now, today=today)
    waiting = list(selectors.open_asks(actor, partnership)[: selectors.OPEN_SHOWN * 2])
    closed = Paginator(selectors.closed_asks(actor, partnership), 25).get_page(
        request.GET.get("page")
    )
    side = services.side_of(actor, partnership)
    ours, theirs = (
        side_name(Side.OURS, actor, partnership),
        side_name(Side.PARTNER, actor, partnership),
    )
    return {
        "partnership": partnership,
        "tab": "relationship",
        "subtab": "asks",
        "can_manage": actor.is_member(partnership.workspace_id),
        "my_side": side,
        "health": health,
        "columns": [
            {
                "side": Side.OURS,
                "title": capfirst(f"{ours.does('ask')} {theirs.object}"),
                "asks": [ask for ask in waiting if ask.side == Side.OURS],
                "figures": health.ours,
                "answers": capfirst(theirs.does("answer")),
            },
            {
                "side": Side.PARTNER,
                "title": capfirst(f"{theirs.does('ask')} {ours.object}"),
                "asks": [ask for ask in waiting if ask.side == Side.PARTNER],
                "figures": health.partner,
                "answers": capfirst(ours.does("answer")),
            },
        ],
        "now": now,
        "today": today,
        "page": closed,
        "query": "",
        "form": form,
    }


def _clock(partnership: Any) -> Any:
    """Pages read on the partnership's clock (its meeting schedule's time zone)."""
    return timezone.override(zone_of(schedule_of(partnership)))


@access("partnership")
def ask_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """The list, read on the partnership's clock."""
    form = AskForm.for_request(request, partnership)
    with _clock(partnership):
        return render(request, "asks/ask_list.html", context(request, partnership, form))


def created(ask: Ask) -> str:
    told = f" {ask.owner.get_full_name()} will get an e-mail." if ask.owner else ""
    return f"Ask sent: {ask.title}.{told}"


def _ask(request: TandemRequest, partnership: Scope, ask_id: str) -> Ask:
    return item_for(
        Ask.objects.select_related("owner", "created_by", "answered_by", "partnership"),
        request.actor,
        partnership,
        ask_id,
    )


def _detail(
    request: TandemRequest,
    partnership: Scope,
    ask: Ask,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    with _clock(partnership):
        return render(
            request,
            "asks/ask_detail.html",
            {
                "partnership": partnership,
                "tab": "relationship",
                "subtab": "asks",
                "can_manage": actor.is_member(partnership.workspace_id),
                "ask": ask,
                "now": timezone.now(),
                "today": timezone.localdate(),
                "can_answer": services.can_answer(actor, ask) and not partnership.is_archived,
                "can_withdraw": services.can_withdraw(actor, ask) and not partnership.is_archived,
                "can_edit": services.can_edit(actor, ask) and not partnership.is_archived,
                "asked_side": side_name(ask.side, actor, partnership).name,
                "answer_side": side_name(
                    Side.PARTNER if ask.side == Side.OURS else Side.OURS, actor, partnership
                ).name,
                "answer_form": answer_form
                or AnswerForm(initial={"version": ask.version, "answer": ask.answer}),
                "version_form": ConfirmForm(initial={"version": ask.version}),
            },
            status=status,
        )


@access("partnership")
def ask_detail(request: TandemRequest, partnership: Scope, ask_id: str) -> HttpResponse:
    return _detail(request, partnership, _ask(request, partnership, ask_id))


@access("partnership")
@require_POST
def ask_answer(request: TandemRequest, partnership: Scope, ask_id: str) -> HttpResponse:
    ask = _ask(request, partnership, ask_id)
    form = AnswerForm(request.POST)
    decline = "decline" in request.POST
    if form.is_valid():
        saved = run_service(
            form,
            lambda: services.ask_answer(
                ask,
                actor=request.actor,
                version=form.cleaned_data.get("version"),
                answer=form.cleaned_data["answer"],
                decline=decline,
            ),
        )
        if saved is not None:
            messages.success(
                request, "You declined the ask." if decline else "Your answer was sent."
            )
            return redirect("ask_detail", partnership.pk, ask.pk)
    if form.conflict is not None:
        # Show what is saved now: someone answered first.
        ask = _ask(request, partnership, ask_id)
    return _detail(request, partnership, ask, form, status=409 if form.conflict else 400)


def _transition(
    request: TandemRequest, partnership: Scope, ask_id: str, change: Any, done: str
) -> HttpResponse:
    ask = _ask(request, partnership, ask_id)
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _detail(request, partnership, ask, status=400)
    try:
        change(ask, actor=request.actor, version=form.cleaned_data.get("version"))
    except Conflict:
        messages.error(
            request, "Someone changed this ask while you were reading it. Here it is now."
        )
        return redirect("ask_detail", partnership.pk, ask.pk)
    except InvalidInput as error:
        messages.error(request, error.detail)
        return _detail(request, partnership, _ask(request, partnership, ask_id), status=400)
    messages.success(request, done)
    return redirect("ask_detail", partnership.pk, ask.pk)


@access("partnership")
@require_POST
def ask_withdraw(request: TandemRequest, partnership: Scope, ask_id: str) -> HttpResponse:
    return _transition(
        request, partnership, ask_id, services.ask_withdraw, "The ask was withdrawn."
    )


@access("partnership_manage")
@require_POST
def ask_reopen(request: TandemRequest, partnership: Scope, ask_id: str) -> HttpResponse:
    return _transition(request, partnership, ask_id, services.ask_reopen, "The ask is open again.")


@access("partnership")
def ask_edit(request: TandemRequest, partnership: Scope, ask_id: str) -> HttpResponse:
    actor = request.actor
    ask = _ask(request, partnership, ask_id)
    if not services.can_edit(actor, ask):
        messages.error(request, "Only the side that asked can change this ask, while it is open.")
        return redirect("ask_detail", partnership.pk, ask.pk)
    initial = {name: getattr(ask, name) for name in Ask.concurrency_fields}
    initial["version"] = ask.version
    form = AskForm.for_request(request, partnership, initial=initial, side=ask.side)
    if request.method == "POST" and form.is_valid():
        values = form.values()
        saved = run_service(
            form,
            lambda: services.ask_update(
                ask, actor=actor, version=form.cleaned_data.get("version"), **values
            ),
        )
        if saved is not None:
            messages.success(request, "Ask saved.")
            return redirect("ask_detail", partnership.pk, ask.pk)
    return render(
        request,
        "asks/ask_form.html",
        {
            "partnership": partnership,
            "tab": "relationship",
            "subtab": "asks",
            "can_manage": actor.is_member(partnership.workspace_id),
            "ask": ask,
            "form": form,
        },
        status=400 if request.method == "POST" else 200,
    )
