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
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.core.sides import side_name
from tandem.core.views import edit_item, one_click, page_context
from tandem.meetings.schedule.dates import schedule_of, zone_of
from tandem.relationship.asks import selectors, services
from tandem.relationship.asks.forms import AnswerForm, AskForm
from tandem.relationship.asks.models import Ask, Side
from tandem.relationship.asks.services import ASKS

TAB = ("relationship", "asks")
PEOPLE = ("owner", "created_by", "answered_by")


def context(request: TandemRequest, partnership: Scope, form: AskForm) -> dict[str, Any]:
    actor = request.actor
    now = timezone.now()
    today = timezone.localdate(now)
    health = selectors.ask_health(actor, partnership, now=now, today=today)
    waiting = list(selectors.open_asks(actor, partnership)[: selectors.OPEN_SHOWN * 2])
    closed = Paginator(selectors.closed_asks(actor, partnership), 25).get_page(
        request.GET.get("page")
    )
    ours, theirs = (side_name(side, actor, partnership) for side in (Side.OURS, Side.PARTNER))
    columns = [
        (Side.OURS, ours, theirs, health.ours),
        (Side.PARTNER, theirs, ours, health.partner),
    ]
    return page_context(
        request,
        partnership,
        TAB,
        my_side=services.side_of(actor, partnership),
        health=health,
        columns=[
            {
                "side": side,
                "title": capfirst(f"{asker.does('ask')} {asked.object}"),
                "asks": [ask for ask in waiting if ask.side == side],
                "figures": figures,
                "answers": capfirst(asked.does("answer")),
            }
            for side, asker, asked, figures in columns
        ],
        now=now,
        today=today,
        page=closed,
        query="",
        form=form,
    )


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
    return ASKS.one(request.actor, partnership, ask_id, related=PEOPLE)


def _detail(
    request: TandemRequest,
    partnership: Scope,
    ask: Ask,
    answer_form: AnswerForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor, open_ = request.actor, not partnership.is_archived
    with _clock(partnership):
        page = page_context(
            request,
            partnership,
            TAB,
            ask=ask,
            now=timezone.now(),
            today=timezone.localdate(),
            can_answer=services.can_answer(actor, ask) and open_,
            can_withdraw=services.can_withdraw(actor, ask) and open_,
            can_edit=services.can_edit(actor, ask) and open_,
            asked_side=side_name(ask.side, actor, partnership).name,
            answer_side=side_name(
                Side.PARTNER if ask.side == Side.OURS else Side.OURS, actor, partnership
            ).name,
            answer_form=answer_form
            or AnswerForm(initial={"version": ask.version, "answer": ask.answer}),
            version_form=ConfirmForm(initial={"version": ask.version}),
        )
        return render(request, "asks/ask_detail.html", page, status=status)


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
                ask, actor=request.actor, decline=decline, **form.cleaned_data
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
    return one_click(
        request,
        lambda version: change(ask, actor=request.actor, version=version),
        done=done,
        then=reverse("ask_detail", args=[partnership.pk, ask.pk]),
        conflict="Someone changed this ask while you were reading it. Here it is now.",
        refused=lambda: _detail(
            request, partnership, _ask(request, partnership, ask_id), status=400
        ),
    )


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
    """The asking side's edit, back to the ask."""
    ask = _ask(request, partnership, ask_id)
    if not services.can_edit(request.actor, ask):
        messages.error(request, "Only the side that asked can change this ask, while it is open.")
        return redirect("ask_detail", partnership.pk, ask.pk)
    return edit_item(
        request,
        partnership=partnership,
        item=ask,
        form_class=AskForm,
        form_options={"side": ask.side},
        update=ASKS.update,
        template="asks/ask_form.html",
        back=reverse("ask_detail", args=[partnership.pk, ask.pk]),
        label="Ask",
        context={"ask": ask, "tab": TAB[0], "subtab": TAB[1]},
    )
