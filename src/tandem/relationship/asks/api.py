"""Asks and requests over HTTP: the same services as the pages. Answering is its own
operation, so it can name the version it answers."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version, VersionIn
from tandem.core.api.scope import partnership_from
from tandem.core.scope import item_for
from tandem.relationship.asks import selectors, services
from tandem.relationship.asks.models import Ask
from tandem.relationship.asks.schemas import (
    AnswerIn,
    AskIn,
    AskOut,
    AskPatch,
    AskSummaryOut,
    SideValue,
    StatusValue,
)
from tandem.relationship.asks.selectors import SideFigures

router = Router(tags=["Asks and requests"])
ACCESS = {"x-access": "partnership"}
MANAGE = {"x-access": "partnership_manage"}


def _ask(
    request: HttpRequest, partnership_id: int, ask_id: int, level: str = "view"
) -> tuple[Any, Ask]:
    actor, partnership = partnership_from(request, partnership_id, level=level)
    queryset = Ask.objects.select_related("owner", "created_by", "answered_by", "partnership")
    return actor, item_for(queryset, actor, partnership, ask_id)


@router.get(
    "/partnerships/{partnership_id}/asks",
    response=list[AskOut],
    openapi_extra=ACCESS,
    summary="List asks both ways, newest first (filter by status and side)",
)
@paginate(Pages)
def list_asks(
    request: HttpRequest,
    partnership_id: Id,
    status: StatusValue | None = None,
    side: SideValue | None = None,
) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    asks = selectors.asks_for(actor, partnership).order_by("-asked_at", "-id")
    if status:
        asks = asks.filter(status=status)
    if side:
        asks = asks.filter(side=side)
    return asks


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


@router.get(
    "/partnerships/{partnership_id}/asks/summary",
    response=AskSummaryOut,
    openapi_extra=ACCESS,
    summary="Open asks per side (with the oldest) and the median time to respond (90 days)",
)
def ask_summary(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    health = selectors.ask_health(actor, partnership)
    return {"ours": _figures(health.ours), "partner": _figures(health.partner)}


@router.post(
    "/partnerships/{partnership_id}/asks",
    response={201: AskOut},
    openapi_extra=ACCESS,
    summary="Ask the other side (the owner, if named, gets an e-mail)",
)
def create_ask(request: HttpRequest, partnership_id: Id, payload: AskIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    ask = services.ask_create(actor=actor, partnership=partnership, **person_from(payload.dict()))
    return Status(201, ask)


@router.get(
    "/partnerships/{partnership_id}/asks/{ask_id}",
    response=AskOut,
    openapi_extra=ACCESS,
    summary="One ask, with its answer and response time",
)
def get_ask(request: HttpRequest, partnership_id: Id, ask_id: Id) -> Any:
    return _ask(request, partnership_id, ask_id)[1]


@router.patch(
    "/partnerships/{partnership_id}/asks/{ask_id}",
    response=AskOut,
    openapi_extra=ACCESS,
    summary="Change what was asked (send the version you read)",
)
def update_ask(request: HttpRequest, partnership_id: Id, ask_id: Id, payload: AskPatch) -> Any:
    actor, ask = _ask(request, partnership_id, ask_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("title", "details", "visibility"))
    return services.ask_update(ask, actor=actor, version=payload.version, **values)


@router.post(
    "/partnerships/{partnership_id}/asks/{ask_id}/answer",
    response=AskOut,
    openapi_extra=ACCESS,
    summary="Answer or decline an ask (a stale version answers 409; the asker is mailed)",
)
def answer_ask(request: HttpRequest, partnership_id: Id, ask_id: Id, payload: AnswerIn) -> Any:
    actor, ask = _ask(request, partnership_id, ask_id)
    return services.ask_answer(
        ask, actor=actor, version=payload.version, answer=payload.answer, decline=payload.decline
    )


@router.post(
    "/partnerships/{partnership_id}/asks/{ask_id}/withdraw",
    response=AskOut,
    openapi_extra=ACCESS,
    summary="Withdraw an open ask your side made",
)
def withdraw_ask(request: HttpRequest, partnership_id: Id, ask_id: Id, payload: VersionIn) -> Any:
    actor, ask = _ask(request, partnership_id, ask_id)
    return services.ask_withdraw(ask, actor=actor, version=payload.version)


@router.delete(
    "/partnerships/{partnership_id}/asks/{ask_id}",
    response={204: None},
    openapi_extra=MANAGE,
    summary="Delete an ask (workspace members)",
)
def delete_ask(request: HttpRequest, partnership_id: Id, ask_id: Id, version: Version) -> Any:
    actor, ask = _ask(request, partnership_id, ask_id, level="manage")
    services.ask_delete(ask, actor=actor, version=version)
    return Status(204, None)
