"""Changing seats: the item type, declared once (``SEATS``). Pages and the API both call it.

Members manage both sides and choose the visibility; a partner-side person manages the
partner side's seats, which are always shared."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from tandem.accounts.models import PartnerAccess, User
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.items import VIEW, ItemType, text_fields
from tandem.core.scope import Scope
from tandem.partners.models import Contact
from tandem.partners.services import members_of
from tandem.relationship.people.models import Seat, Side


def _check_side(actor: Actor, partnership: Scope, side: str) -> None:
    if side not in Side.values:
        raise InvalidInput.on("side", "Choose our side or the partner side.")
    if side == Side.OURS and not actor.is_member(partnership.workspace_id):
        raise InvalidInput("Partner-side people add and edit the partner side's seats.")


def _check_person(
    partnership: Scope,
    side: str,
    visibility: str,
    user: User | None,
    contact: Contact | None,
) -> None:
    """Our side: a member of the workspace. The partner side: a contact of this partnership
    (shared, if the seat is shared) or one of its partner-side users. Or nobody."""
    if user is not None and contact is not None:
        raise InvalidInput.on("contact", "Choose a person or a contact, not both.")
    if side == Side.OURS:
        if contact is not None:
            raise InvalidInput.on("contact", "Contacts sit on the partner side.")
        if (
            user is not None
            and not members_of(partnership.workspace_id).filter(pk=user.pk).exists()
        ):
            raise InvalidInput.on("user", "Choose a member of your workspace.")
        return
    if (
        user is not None
        and not PartnerAccess.objects.filter(
            partnership_id=partnership.pk, user_id=user.pk
        ).exists()
    ):
        raise InvalidInput.on("user", "Choose someone with access from the partner's side.")
    if contact is not None:
        if contact.partnership_id != partnership.pk:
            raise InvalidInput.on("contact", "Choose one of this partnership's contacts.")
        if visibility == Visibility.SHARED and contact.visibility != Visibility.SHARED:
            raise InvalidInput.on(
                "contact", "This contact is internal: a shared seat needs a shared contact."
            )


def _rule(actor: Actor, scope: Scope, values: dict[str, Any], seat: Seat | None) -> None:
    """The side is one the person may change; the seat's person sits on its side; a new
    seat comes last in its column unless placed."""
    side = values["side"] if seat is None else seat.side
    _check_side(actor, scope, side)
    if seat is None:
        _check_person(scope, side, values["visibility"], values.get("user"), values.get("contact"))
        if values.get("position") is None:
            last = Seat.objects.filter(partnership_id=scope.pk, side=side).aggregate(
                last=Max("position")
            )["last"]
            values["position"] = 1 if last is None else last + 1
    elif {"user", "contact", "visibility"} & set(values):
        _check_person(
            scope,
            side,
            values.get("visibility", seat.visibility),
            values.get("user", seat.user),
            values.get("contact", seat.contact),
        )


SEATS = ItemType(
    model=Seat,
    name="seat",
    label="seat",
    delete=VIEW,  # either side, its own side's seats:
    may_change=lambda actor, seat: seat.side == Side.PARTNER or actor.is_member(seat.workspace_id),
    required={"role": "Name the seat's role."},
    defaults={"side": Side.OURS, "visibility": Visibility.SHARED},
    fixed=("side",),
    check=text_fields("role", "accountability"),
    validate=_rule,
    logged=("side", "role", "accountability", "user", "contact"),
)

seat_create = SEATS.create
