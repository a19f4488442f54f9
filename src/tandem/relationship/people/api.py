"""Seats and the focus figures over HTTP: the same services and selectors as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Status

from tandem.core.access import Actor
from tandem.core.api.items import operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND, Scope
from tandem.partners.models import Contact, Partnership
from tandem.relationship.people import selectors, services
from tandem.relationship.people.schemas import FocusOut, SeatIn, SeatOut, SeatPatch, SeatsOut
from tandem.relationship.people.services import SEATS

router = Router(tags=["People"])
SEATS_PATH = "/partnerships/{partnership_id}/seats"


def _values(payload: Any, actor: Actor, partnership: Scope, **options: Any) -> dict[str, Any]:
    """The payload's values, its people found: ``user_id`` a person of the partnership's,
    ``contact_id`` one of its contacts the caller sees."""
    values = person_from(payload.dict(**options), key="user_id", name="user")
    if "contact_id" in values:
        contact_id = values.pop("contact_id")
        values["contact"] = None
        if contact_id:
            contacts = Contact.objects.visible_to(actor).in_scope(partnership)
            values["contact"] = contacts.filter(pk=contact_id).first()
            if values["contact"] is None:
                raise InvalidInput(
                    "Please correct the highlighted fields.",
                    errors={"contact_id": ["Choose one of this partnership's contacts."]},
                )
    return values


@operation(
    router,
    "get",
    SEATS_PATH,
    level="partnership",
    response=SeatsOut,
    summary="Both sides' seats, the owner and sponsor, and the staffing warnings",
)
def list_seats(request: TandemRequest, partnership: Partnership) -> Any:
    seats = selectors.seats_for(request.actor, partnership)
    return {
        "owner": partnership.owner,
        "sponsor": partnership.sponsor,
        "seats": seats,
        "warnings": selectors.seat_warnings(partnership, actor=request.actor, seats=seats),
    }


@operation(
    router,
    "post",
    SEATS_PATH,
    level="partnership",
    response={201: SeatOut},
    summary="Add a seat (partner-side people add seats on the partner side, shared)",
)
def create_seat(request: TandemRequest, partnership: Scope, payload: SeatIn) -> Any:
    values = _values(payload, request.actor, partnership)
    return Status(201, SEATS.create(actor=request.actor, partnership=partnership, **values))


@operation(
    router,
    "patch",
    f"{SEATS_PATH}/{{seat_id}}",
    level="partnership",
    item="seat_id",
    response=SeatOut,
    summary="Change a seat (send the version you read; null empties the person)",
)
def update_seat(request: TandemRequest, partnership: Scope, item_id: Id, payload: SeatPatch) -> Any:
    seat = selectors.seat_to_change(request.actor, partnership, item_id)
    values = _values(payload, request.actor, partnership, exclude={"version"}, exclude_unset=True)
    refuse_nulls(values, ("role", "accountability", "visibility", "position"))
    return SEATS.update(seat, actor=request.actor, version=payload.version, **values)


@operation(
    router,
    "delete",
    f"{SEATS_PATH}/{{seat_id}}",
    level="partnership",
    item="seat_id",
    response={204: None},
    summary="Delete a seat",
)
def delete_seat(request: TandemRequest, partnership: Scope, item_id: Id, version: Version) -> Any:
    seat = selectors.seat_to_change(request.actor, partnership, item_id)
    services.seat_delete(seat, actor=request.actor, version=version)
    return Status(204, None)


@router.get(
    "/focus",
    response=FocusOut,
    openapi_extra={"x-access": "member"},
    summary="Active partnerships by horizon, each person's hours against capacity, warnings",
)
def get_focus(request: TandemRequest, workspace: Id | None = None) -> Any:
    """``workspace``: your workspace's id, if you belong to several."""
    actor = request.actor
    if not actor.roles:
        raise PermissionDenied("This is for members of a workspace.")
    if workspace is not None:
        workspace_id = parse_id(workspace)
        if not actor.is_member(workspace_id):
            raise Http404(NOT_FOUND)
    elif len(actor.roles) > 1:
        raise InvalidInput(
            "You belong to several workspaces: name one with ?workspace=ID.",
            errors={"workspace": ["Choose one of your workspaces."]},
        )
    else:
        workspace_id = actor.workspace_ids[0]
    focus = selectors.focus_for(workspace_id)
    return {
        "workspace_id": workspace_id,
        "active_count": focus.active_count,
        "active_partnership_limit": focus.limit,
        "over_limit": focus.over_limit,
        "strategic": focus.strategic,
        "tactical": focus.tactical,
        "people": [
            {
                "membership_id": load.membership.pk,
                "user": load.user,
                "level": load.membership.level,
                "committed_hours": load.committed,
                "capacity_hours": load.capacity,
                "over_capacity": load.over,
                "partnership_ids": [p.pk for p in load.partnerships],
            }
            for load in focus.owners
        ],
        "warnings": focus.warnings,
    }
