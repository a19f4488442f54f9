"""Check-ins and events over HTTP: the same services as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.api.pagination import Pages
from tandem.api.patch import refuse_nulls
from tandem.api.schemas import Id, Version
from tandem.api.scope import partnership_from
from tandem.partners.selectors import item_for
from tandem.relationship.checkins import selectors, services
from tandem.relationship.checkins.models import CheckIn
from tandem.relationship.checkins.schemas import (
    CheckInIn,
    CheckInOut,
    CheckInPatch,
    CheckInSummaryOut,
    KindValue,
)

router = Router(tags=["Check-ins and events"])
ACCESS = {"x-access": "partnership"}
MANAGE = {"x-access": "partnership_manage"}


def _checkin(
    request: HttpRequest, partnership_id: int, checkin_id: int, level: str = "view"
) -> tuple[Any, CheckIn]:
    actor, partnership = partnership_from(request, partnership_id, level=level)
    return actor, item_for(CheckIn.objects.all(), actor, partnership, checkin_id)


@router.get(
    "/partnerships/{partnership_id}/checkins",
    response=list[CheckInOut],
    openapi_extra=ACCESS,
    summary="List check-ins and events, latest date first",
)
@paginate(Pages)
def list_checkins(request: HttpRequest, partnership_id: Id, kind: KindValue | None = None) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    checkins = selectors.checkins_for(actor, partnership).order_by("-held_on", "-id")
    return checkins.filter(kind=kind) if kind else checkins


@router.get(
    "/partnerships/{partnership_id}/checkins/summary",
    response=CheckInSummaryOut,
    openapi_extra=ACCESS,
    summary="Days since the last check-in of each kind, and whether the rhythm lapsed",
)
def checkin_summary(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    health = selectors.checkin_health(actor, partnership)
    return {
        "kinds": [
            {
                "kind": f.kind,
                "last_held": f.last_held,
                "next_planned": f.next_planned,
                "days_since": f.days_since,
                "lapsed": f.lapsed,
            }
            for f in health.kinds.values()
        ],
        "warnings": health.warnings,
    }


@router.post(
    "/partnerships/{partnership_id}/checkins",
    response={201: CheckInOut},
    openapi_extra=ACCESS,
    summary="Plan a check-in or event (a future date) or record one held (a past date)",
)
def create_checkin(request: HttpRequest, partnership_id: Id, payload: CheckInIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    checkin = services.checkin_create(actor=actor, partnership=partnership, **payload.dict())
    return Status(201, checkin)


@router.get(
    "/partnerships/{partnership_id}/checkins/{checkin_id}",
    response=CheckInOut,
    openapi_extra=ACCESS,
    summary="One check-in or event",
)
def get_checkin(request: HttpRequest, partnership_id: Id, checkin_id: Id) -> Any:
    return _checkin(request, partnership_id, checkin_id)[1]


@router.patch(
    "/partnerships/{partnership_id}/checkins/{checkin_id}",
    response=CheckInOut,
    openapi_extra=ACCESS,
    summary="Change a check-in or event (send the version you read)",
)
def update_checkin(
    request: HttpRequest, partnership_id: Id, checkin_id: Id, payload: CheckInPatch
) -> Any:
    actor, checkin = _checkin(request, partnership_id, checkin_id)
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(values)
    return services.checkin_update(checkin, actor=actor, version=payload.version, **values)


@router.delete(
    "/partnerships/{partnership_id}/checkins/{checkin_id}",
    response={204: None},
    openapi_extra=MANAGE,
    summary="Delete a check-in or event (workspace members)",
)
def delete_checkin(
    request: HttpRequest, partnership_id: Id, checkin_id: Id, version: Version
) -> Any:
    actor, checkin = _checkin(request, partnership_id, checkin_id, level="manage")
    services.checkin_delete(checkin, actor=actor, version=version)
    return Status(204, None)
