"""Changing seats. Pages and the API both call these.

Members manage both sides and choose the visibility; a partner-side person manages the
partner side's seats, which are always shared."""

from __future__ import annotations

from typing import Any

from django.db.models import Max

from tandem.accounts.models import PartnerAccess, User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import item_values, require_open
from tandem.partners.models import Contact, Partnership
from tandem.partners.services import members_of
from tandem.relationship.people.models import Seat, Side

SEAT_FIELDS = Seat.concurrency_fields


def _check_side(actor: Actor, partnership: Partnership, side: str) -> None:
    if side not in Side.values:
        raise InvalidInput.on("side", "Choose our side or the partner side.")
    if side == Side.OURS and not actor.is_member(partnership.workspace_id):
        raise InvalidInput("Partner-side people add and edit the partner side's seats.")


def _check_person(
    partnership: Partnership,
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


def seat_create(
    *,
    actor: Actor,
    partnership: Partnership,
    side: str,
    role: str,
    accountability: str = "",
    user: User | None = None,
    contact: Contact | None = None,
    position: int | None = None,
    visibility: str = Visibility.SHARED,
) -> Seat:
    actor.require(actor.can_see_partnership(partnership))
    if partnership.is_program:
        raise InvalidInput("Seats belong to a partnership.")
    require_open(partnership)
    _check_side(actor, partnership, side)
    values = item_values(actor, partnership, {"visibility": visibility})
    _check_person(partnership, side, values["visibility"], user, contact)
    if position is None:
        last = Seat.objects.filter(partnership_id=partnership.pk, side=side).aggregate(
            last=Max("position")
        )["last"]
        position = 1 if last is None else last + 1
    seat = Seat(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.pk,
        side=side,
        role=(role or "").strip(),
        accountability=(accountability or "").strip(),
        user=user,
        contact=contact,
        position=position,
        visibility=values["visibility"],
    )
    core.create(seat, actor=actor, fields=("side", "role", "accountability", "user", "contact"))
    return seat


def _require_changeable(actor: Actor, seat: Seat) -> Partnership:
    actor.require(actor.can_change(seat))
    partnership = seat.partnership
    require_open(partnership)  # type: ignore[arg-type]
    _check_side(actor, partnership, seat.side)  # type: ignore[arg-type]
    return partnership  # type: ignore[return-value]


def seat_update(seat: Seat, *, actor: Actor, version: int | None, **changes: Any) -> Seat:
    partnership = _require_changeable(actor, seat)
    unknown = set(changes) - set(SEAT_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = item_values(actor, partnership, changes)
    for name in ("role", "accountability"):
        if isinstance(changes.get(name), str):
            changes[name] = changes[name].strip()
    if {"user", "contact", "visibility"} & set(changes):
        _check_person(
            partnership,
            seat.side,
            changes.get("visibility", seat.visibility),
            changes.get("user", seat.user),
            changes.get("contact", seat.contact),
        )
    core.update(seat, actor=actor, version=version, changes=changes)
    return seat


def seat_delete(seat: Seat, *, actor: Actor, version: int | None) -> None:
    _require_changeable(actor, seat)
    core.delete(seat, actor=actor, version=version)
