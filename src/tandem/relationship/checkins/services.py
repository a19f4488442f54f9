"""Check-ins and events: the item type, declared once. Pages and the API both write through
``CHECKINS``; a date still to come plans one, a date that has passed records it as held."""

from __future__ import annotations

from typing import Any

from tandem.core import services as core
from tandem.core.errors import InvalidInput
from tandem.core.items import ItemType, checks, text_fields
from tandem.relationship.checkins.forms import CheckInForm
from tandem.relationship.checkins.models import CheckIn, CheckInKind


def _check(values: dict[str, Any]) -> None:
    if "kind" in values and values["kind"] not in CheckInKind.values:
        raise InvalidInput.on(
            "kind", "Choose a monthly check-in, a quarterly check-in or an event."
        )
    core.check_date("held_on", values.get("held_on"))


CHECKINS = ItemType(
    model=CheckIn,
    name="checkin",
    label="check-in",
    form=CheckInForm,
    required={
        "title": "Give it a title.",
        "held_on": "Give the date it was held or is planned for.",
    },
    defaults={"kind": CheckInKind.MONTHLY},
    check=checks(_check, text_fields("title", "notes", "participants")),
    logged=("kind", "title", "held_on", "visibility"),
)

checkin_create = CHECKINS.create
checkin_update = CHECKINS.update
checkin_delete = CHECKINS.remove
