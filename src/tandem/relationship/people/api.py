"""Seats and the focus figures over HTTP: the same services and selectors as the pages."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from ninja import Router, Status

from tandem.accounts.actors import actor_for
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import partnership_from
from tandem.core.errors import InvalidInput
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND, item_for
from tandem.partners.models import Contact
from tandem.relationship.people import selectors, services
from tandem.relationship.people.models import Seat, Side
from tandem.relationship.people.schemas import FocusOut, SeatIn, SeatOut, SeatPatch, SeatsOut

router = Router(tags=["People"])
ACCESS = {"x-access": "partnership"}


def _contact_from(values: dict[str, Any], actor: Any, partnership: Any) -> dict[str, Any]:
    if "contact_id" in values:
        contact_id = values.pop("contact_id")
        values["contact"] = None
        if contact_id:
            values["contact"] = (
                Contact.objects.visible_to(actor)
                .in_scope(partnership)
                .filter(pk=contact_id)
                .first()
            )
            if values["contact"] is None:
                raise InvalidInput(
                    "Please correct the highlighted fields.",
                    errors={"contact_id": ["Choose one of this partnership's contacts."]},
                )
    return values


def _seat(request: HttpRequest, partnership_id: int, seat_id: int) -> tuple[Any, Any, Seat]:
    actor, partnership = partnership_from(request, partnership_id)
    seat = item_for(
        Seat.objects.select_related("user", "contact", "partnership"), actor, partnership, seat_id
    )
    if seat.contact is not None and not actor.can_see(seat.contact):
        seat.contact = None  # made internal since: not the partner's to see
    return actor, partnership, seat


@router.get(
    "/partnerships/{partnership_id}/seats",
    response=SeatsOut,
    openapi_extra=ACCESS,
    summary="Both sides' seats, the owner and sponsor, and the staffing warnings",
)
def list_seats(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    seats = selectors.seats_for(actor, partnership)
    return {
        "owner": partnership.owner,
        "sponsor": partnership.sponsor,
        "seats": seats,
        "warnings": selectors.seat_warnings(partnership, actor=actor, seats=seats),
    }


@router.post(
    "/partnerships/{partnership_id}/seats",
    response={201: SeatOut},
    openapi_extra=ACCESS,
    summary="Add a seat (partner-side people add seats on the partner side, shared)",
)
def create_seat(request: HttpRequest, partnership_id: Id, payload: SeatIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    values = person_from(payload.dict(), key="user_id", name="user")
    values = _contact_from(values, actor, partnership)
    seat = services.seat_create(actor=actor, partnership=partnership, **values)
    return Status(201, seat)


@router.patch(
    "/partnerships/{partnership_id}/seats/{seat_id}",
    response=SeatOut,
    openapi_extra=ACCESS,
    summary="Change a seat (send the version you read; null empties the person)",
)
def update_seat(request: HttpRequest, partnership_id: Id, seat_id: Id, payload: SeatPatch) -> Any:
    actor, partnership, seat = _seat(request, partnership_id, seat_id)
    if seat.side == Side.OURS and not actor.is_member(partnership.workspace_id):
        raise PermissionDenied("Partner-side people edit the partner side's seats.")
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(values, ("role", "accountability", "visibility", "position"))
    values = person_from(values, key="user_id", name="user")
    values = _contact_from(values, actor, partnership)
    return services.seat_update(seat, actor=actor, version=payload.version, **values)


@router.delete(
    "/partnerships/{partnership_id}/seats/{seat_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a seat",
)
def delete_seat(request: HttpRequest, partnership_id: Id, seat_id: Id, version: Version) -> Any:
    actor, partnership, seat = _seat(request, partnership_id, seat_id)
    if seat.side == Side.OURS and not actor.is_member(partnership.workspace_id):
        raise PermissionDenied("Partner-side people edit the partner side's seats.")
    services.seat_delete(seat, actor=actor, version=version)
    return Status(204, None)


@router.get(
    "/focus",
    response=FocusOut,
    openapi_extra={"x-access": "member"},
    summary="Active partnerships by horizon, each person's hours against capacity, warnings",
)
def get_focus(request: HttpRequest, workspace: Id | None = None) -> Any:
    """``workspace``: your workspace's id, if you belong to several."""
    actor = actor_for(request.auth)  # type: ignore[attr-defined]
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
