"""Asks and requests over HTTP: the item type's operations, the figures per side, and
answering and withdrawing, each its own operation so it can name the version it acts on."""

from typing import Any

from ninja import Router

from tandem.core.api.items import item_api, operation
from tandem.core.api.schemas import VersionIn
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.relationship.asks import selectors, services
from tandem.relationship.asks.models import Ask
from tandem.relationship.asks.schemas import AnswerIn, AskOut, AskSummaryOut
from tandem.relationship.asks.services import ASKS

router = Router(tags=["Asks and requests"])
BASE = "/partnerships/{partnership_id}/asks"
PEOPLE = ("owner", "created_by", "answered_by")
ONE_ASK: dict[str, Any] = {"level": "partnership", "item": ASKS, "related": PEOPLE}


@operation(router, "get", f"{BASE}/summary", level="partnership", response=AskSummaryOut)
def ask_summary(request: TandemRequest, partnership: Scope) -> Any:
    """Open asks per side (with the oldest) and the median time to respond (90 days)"""
    return selectors.ask_health(request.actor, partnership)


item_api(
    ASKS,
    router,
    BASE,
    out=AskOut,
    filters=("status", "side"),
    order=("-asked_at", "-id"),
    related=PEOPLE,
    nullable=("owner", "needed_by"),
    summaries={
        "list": "List asks both ways, newest first (filter by status and side)",
        "create": "Ask the other side (the owner, if named, gets an e-mail)",
        "get": "One ask, with its answer and response time",
        "patch": "Change what was asked (send the version you read)",
    },
)


@operation(router, "post", f"{BASE}/{{ask_id}}/answer", **ONE_ASK, response=AskOut)
def answer_ask(request: TandemRequest, partnership: Scope, item: Ask, payload: AnswerIn) -> Any:
    """Answer or decline an ask (a stale version answers 409; the asker is mailed)"""
    return services.ask_answer(item, actor=request.actor, **payload.dict())


@operation(router, "post", f"{BASE}/{{ask_id}}/withdraw", **ONE_ASK, response=AskOut)
def withdraw_ask(request: TandemRequest, partnership: Scope, item: Ask, payload: VersionIn) -> Any:
    """Withdraw an open ask your side made"""
    return services.ask_withdraw(item, actor=request.actor, version=payload.version)


@operation(router, "post", f"{BASE}/{{ask_id}}/reopen", **ONE_ASK, response=AskOut)
def reopen_ask(request: TandemRequest, partnership: Scope, item: Ask, payload: VersionIn) -> Any:
    """Open an answered, declined or withdrawn ask again (members; its clock keeps its start)"""
    return services.ask_reopen(item, actor=request.actor, version=payload.version)
