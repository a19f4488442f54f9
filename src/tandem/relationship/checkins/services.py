"""Planning and recording check-ins and events. Pages and the API both call these."""

from __future__ import annotations

from datetime import date
from typing import Any

from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.partners.models import Partnership
from tandem.partners.scope import scope_of
from tandem.partners.services import item_values, require_open
from tandem.relationship.checkins.models import CheckIn, CheckInKind

FIELDS = CheckIn.concurrency_fields


def _check(values: dict[str, Any]) -> None:
    if "kind" in values and values["kind"] not in CheckInKind.values:
        raise InvalidInput.on(
            "kind", "Choose a monthly check-in, a quarterly check-in or an event."
        )
    core.check_date("held_on", values.get("held_on"))
    for name in ("title", "notes", "participants"):
        if name in values:
            values[name] = (values[name] or "").strip()


def checkin_create(
    *,
    actor: Actor,
    partnership: Partnership,
    title: str,
    held_on: date,
    kind: str = CheckInKind.MONTHLY,
    notes: str = "",
    participants: str = "",
    visibility: str = Visibility.SHARED,
) -> CheckIn:
    """Plan one (a date to come) or record one that was held (a date that has passed)."""
    actor.require(actor.can_see_partnership(partnership))
    if getattr(partnership, "is_program", False):
        raise InvalidInput("Check-ins belong to a partnership.")
    require_open(partnership)
    values: dict[str, Any] = {
        "kind": kind,
        "title": title,
        "held_on": held_on,
        "notes": notes,
        "participants": participants,
    }
    if held_on is None:
        raise InvalidInput.on("held_on", "Give the date it was held or is planned for.")
    _check(values)
    values = item_values(actor, partnership, {**values, "visibility": visibility})
    checkin = CheckIn(
        workspace_id=partnership.workspace_id, partnership_id=partnership.id, **values
    )
    core.create(checkin, actor=actor, fields=("kind", "title", "held_on", "visibility"))
    return checkin


def checkin_update(
    checkin: CheckIn, *, actor: Actor, version: int | None, **changes: Any
) -> CheckIn:
    actor.require(actor.can_change(checkin))
    scope = scope_of(checkin)
    require_open(scope)
    unknown = set(changes) - set(FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "held_on" in changes and changes["held_on"] is None:
        raise InvalidInput.on("held_on", "Give the date it was held or is planned for.")
    _check(changes)
    changes = item_values(actor, scope, changes)
    core.update(checkin, actor=actor, version=version, changes=changes)
    return checkin


def checkin_delete(checkin: CheckIn, *, actor: Actor, version: int | None) -> None:
    """Members only: a partner edits what is shared but does not erase the record."""
    actor.require(actor.is_member(checkin.workspace_id))
    require_open(scope_of(checkin))
    core.delete(checkin, actor=actor, version=version)
