"""Changing the communication plan and marking its touches. Pages and the API call these.

Members manage every entry and choose its visibility; partner-side people add shared
entries, edit them and mark their touches. A plan entry is declared once (``PLAN``); marking
a touch is its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.clock import local_today
from tandem.core.errors import InvalidInput
from tandem.core.items import VIEW, ItemType, checks, text_fields
from tandem.core.policy import require_open
from tandem.core.scope import scope_of
from tandem.partners.models import Cadence
from tandem.relationship.communication.cadence import is_planned
from tandem.relationship.communication.forms import PlanEntryForm
from tandem.relationship.communication.models import Channel, PlanEntry, Touch


def _check(values: dict[str, Any]) -> None:
    for name, choices in (("channel", Channel), ("cadence", Cadence)):
        if name in values and values[name] not in choices.values:
            raise InvalidInput.on(
                name, f"Choose one of: {', '.join(str(label) for label in choices.labels)}."
            )
    if "starts_on" in values and values["starts_on"] is None:
        del values["starts_on"]  # an empty date keeps the one set
    core.check_date("starts_on", values.get("starts_on"))


PLAN = ItemType(
    model=PlanEntry,
    name="plan_entry",
    label="plan entry",
    form=PlanEntryForm,
    delete=VIEW,  # either side, like a change
    required={"topic": "Say what it is for."},
    defaults={"starts_on": lambda scope: local_today(scope)},
    check=checks(_check, text_fields("topic", "audience")),
    logged=("topic", "channel", "cadence", "audience", "starts_on"),
)

entry_create = PLAN.create
entry_update = PLAN.update
entry_delete = PLAN.remove


def touch_mark(
    entry: PlanEntry,
    *,
    actor: Actor,
    planned_on: date,
    happened: bool,
    note: str = "",
    seen: str | None = None,
) -> Touch:
    """Mark one planned touch happened or missed. Only a day the cadence plans, and not
    one still ahead on the partnership's clock. ``seen`` is the state the person was looking
    at ("none", "happened" or "missed"): if someone marked it otherwise since, nothing is
    overwritten. Without it, only an unmarked touch or the same mark again is taken."""
    actor.require(actor.can_change(entry))
    partnership = scope_of(entry)
    require_open(partnership)
    if not isinstance(happened, bool):
        raise InvalidInput.on("happened", "Say whether it happened.")
    note = core.short_note(note)
    core.check_date("planned_on", planned_on)
    if not isinstance(planned_on, date) or not is_planned(
        entry.starts_on, entry.cadence, planned_on
    ):
        raise InvalidInput.on("planned_on", "That day is not one of this entry's planned touches.")
    if planned_on > local_today(partnership):
        raise InvalidInput.on(
            "planned_on", "That touch is still ahead; mark it once its day has come."
        )
    with transaction.atomic():
        touch, created = Touch.objects.select_for_update().get_or_create(
            entry=entry,
            planned_on=planned_on,
            defaults={"happened": happened, "note": note, "marked_by": actor.user},
        )
        before = "" if created else ("happened" if touch.happened else "missed")
        if seen is None and not created and touch.happened != happened:
            raise InvalidInput.on(
                "seen",
                f"This touch is already marked {before}. To change it, say which mark you are"
                " replacing (seen).",
            )
        if seen is not None and seen != (before or "none"):
            raise InvalidInput.on(
                "happened",
                f"Someone else marked this touch {before or 'unmarked'} meanwhile."
                " Reload to see it, then mark it again if you still disagree.",
            )
        if not created:
            touch.happened, touch.note, touch.marked_by = happened, note, actor.user
            touch.save()
        changes = {
            "touch": ["", planned_on.strftime("%-d %b %Y")],
            "verdict": [before, "happened" if happened else "missed"],
        }
        if note:
            changes["note"] = ["", note]
        core.record(actor=actor, verb="marked a touch of", target=entry, changes=changes)
    return touch
