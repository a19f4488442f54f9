"""Asks and requests over HTTP: the item type's operations, the figures per side, and
answering and withdrawing, each its own operation so it can name the version it acts on."""

from typing import Any

from ninja import Router, Schema

from tandem.core.api.items import item_api, operation
from tandem.core.api.schemas import Id, VersionIn
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope, item_for
from tandem.relationship.asks import selectors, services
from tandem.relationship.asks.models import Ask
from tandem.relationship.asks.schemas import (
    AnswerIn,
    AskOut,
    AskSummaryOut,
    SideValue,
    StatusValue,
)
from tandem.relationship.asks.selectors import SideFigures
from tandem.relationship.asks.services import ASKS

router = Router(tags=["Asks and requests"])
BASE = "/partnerships/{partnership_id}/asks"


class Filters(Schema):
    status: StatusValue | None = None
    side: SideValue | None = None


def _ask(request: TandemRequest, partnership: Scope, ask_id: int) -> Ask:
    queryset = Ask.objects.select_related("owner", "created_by", "answered_by", "partnership")
    return item_for(queryset, request.actor, partnership, ask_id)


def _figures(figures: SideFigures) -> dict[str, Any]:
    return {
        "open": figures.open,
        "overdue": figures.overdue,
        "oldest_asked_at": figures.oldest_asked_at,
        "oldest_age_seconds": int(figures.oldest_age.total_seconds())
        if figures.oldest_age is not None
        else None,
        "responded": figures.responded,
        "median_response_seconds": int(figures.median_response.total_seconds())
        if figures.median_response is not None
        else None,
    }


@operation(
    router,
    "get",
    f"{BASE}/summary",
    level="partnership",
    response=AskSummaryOut,
    summary="Open asks per side (with the oldest) and the median time to respond (90 days)",
)
def ask_summary(request: TandemRequest, partnership: Scope) -> Any:
    health = selectors.ask_health(request.actor, partnership)
    return {"ours": _figures(health.ours), "partner": _figures(health.partner)}


item_api(
    ASKS,
    router,
    BASE,
    out=AskOut,
    filters=Filters,
    order=("-asked_at", "-id"),
    related=("owner", "created_by", "answered_by"),
    nullable=("owner", "needed_by"),
    summaries={
        "list": "List asks both ways, newest first (filter by status and side)",
        "create": "Ask the other side (the owner, if named, gets an e-mail)",
        "get": "One ask, with its answer and response time",
        "patch": "Change what was asked (send the version you read)",
        "delete": "Delete an ask (workspace members)",
    },
)


@operation(
    router,
    "post",
    f"{BASE}/{{ask_id}}/answer",
    level="partnership",
    item="ask_id",
    response=AskOut,
    summary="Answer or decline an ask (a stale version answers 409; the asker is mailed)",
)
def answer_ask(request: TandemRequest, partnership: Scope, item_id: Id, payload: AnswerIn) -> Any:
    return services.ask_answer(
        _ask(request, partnership, item_id),
        actor=request.actor,
        version=payload.version,
        answer=payload.answer,
        decline=payload.decline,
    )


@operation(
    router,
    "post",
    f"{BASE}/{{ask_id}}/withdraw",
    level="partnership",
    item="ask_id",
    response=AskOut,
    summary="Withdraw an open ask your side made",
)
def withdraw_ask(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: VersionIn
) -> Any:
    ask = _ask(request, partnership, item_id)
    return services.ask_withdraw(ask, actor=request.actor, version=payload.version)
