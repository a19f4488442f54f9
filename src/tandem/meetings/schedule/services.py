"""Changing a partnership's meeting schedule. The schedule page and the API both call this."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.policy import require_open
from tandem.meetings.models import Schedule
from tandem.partners import services as partners
from tandem.partners.models import Partnership

SCHEDULE_FIELDS = Schedule.concurrency_fields


def schedule_save(
    *,
    actor: Actor,
    partnership: Partnership,
    version: int | None,
    cadence: str | None = None,
    partnership_version: int | None = None,
    **values: Any,
) -> Schedule:
    """Save the schedule (created on first save; ``version`` 0 means "there was none") and
    the partnership's cadence, in one transaction: a stale version of either refuses both.

    The cadence lives on the partnership, so it is written through the partnership service
    (its version is ``partnership_version``; None means the version just read)."""
    actor.require(actor.is_member(partnership.workspace_id))
    require_open(partnership)
    unknown = set(values) - set(SCHEDULE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    # The next meetings are counted from this day: near the calendar's end they overflow.
    core.check_date("starts_on", values.get("starts_on"))
    at = values.get("time")
    if at is not None and at.tzinfo is not None:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={
                "time": ["Send the local wall time without an offset; the time zone says where."]
            },
        )
    with transaction.atomic():
        schedule = Schedule.objects.filter(partnership=partnership).first()
        if schedule is None:
            schedule = _create(actor, partnership, values)
        else:
            core.update(schedule, actor=actor, version=version, changes=values)
        schedule.partnership = partnership
        if cadence is not None and cadence != partnership.cadence:
            partners.partnership_update(
                actor=actor,
                partnership=partnership,
                version=partnership.version if partnership_version is None else partnership_version,
                cadence=cadence,
            )
    return schedule


def _create(actor: Actor, partnership: Partnership, values: dict[str, Any]) -> Schedule:
    schedule = Schedule(partnership=partnership, **values)
    try:
        with transaction.atomic():
            core.create(schedule, actor=actor, fields=tuple(values))
    except IntegrityError as error:  # someone saved the first schedule at the same moment
        current = Schedule.objects.get(partnership=partnership)
        raise Conflict(
            "Someone else saved this schedule while you were editing.",
            current=current,
            attempted=values,
            fields=SCHEDULE_FIELDS,
        ) from error
    return schedule
