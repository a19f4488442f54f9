"""Seats and the focus figures over HTTP: the same services and selectors as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import Router, Status

from tandem.core.access import Actor
from tandem.core.api.items import item_from, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND, Scope
from tandem.partners.models import Contact, Partnership
from tandem.relationship.people import selectors
from tandem.relationship.people.schemas import FocusOut, SeatIn, SeatOut, SeatPatch, SeatsOut
from tandem.relationship.people.services import SEATS

router = Router(tags=["People"])
SEATS_PATH = "/partnerships/{partnership_id}/seats"


def _values(payload: Any, actor: Actor, partnership: Scope, **options: Any) -> dict[str, Any]:
    """The payload's values, its people found: ``user_id`` a person of the partnership's,
    ``contact_id`` one of its contacts the caller sees."""
    values = person_from(payload.dict(**options), key="user_id", name="user")
    contacts = Contact.objects.visible_to(actor).in_scope(partnership)
    return item_from(
        values, actor, "contact", contacts, "Choose one of this partnership's contacts."
    )


@operation(router, "get", SEATS_PATH, level="partnership", response=SeatsOut)
def list_seats(request: TandemRequest, partnership: Partnership) -> Any:
    """Both sides' seats, the owner and sponsor, and the staffing warnings"""
    seats = selectors.seats_for(request.actor, partnership)
    return {
        "owner": partnership.owner,
        "sponsor": partnership.sponsor,
        "seats": seats,
        "warnings": selectors.seat_warnings(partnership, actor=request.actor, seats=seats),
    }


@operation(router, "post", SEATS_PATH, level="partnership", response={201: SeatOut})
def create_seat(request: TandemRequest, partnership: Scope, payload: SeatIn) -> Any:
    """Add a seat (partner-side people add seats on the partner side, shared)"""
    values = _values(payload, request.actor, partnership)
    return Status(201, SEATS.create(actor=request.actor, partnership=partnership, **values))


@operation(
    router,
    "patch",
    f"{SEATS_PATH}/{{seat_id}}",
    level="partnership",
    item="seat_id",
    response=SeatOut,
)
def update_seat(request: TandemRequest, partnership: Scope, item_id: Id, payload: SeatPatch) -> Any:
    """Change a seat (send the version you read; null empties the person)"""
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
)
def delete_seat(request: TandemRequest, partnership: Scope, item_id: Id, version: Version) -> Any:
    """Delete a seat"""
    seat = selectors.seat_to_change(request.actor, partnership, item_id)
    SEATS.remove(seat, actor=request.actor, version=version)
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
    return selectors.focus_for(workspace_id)
