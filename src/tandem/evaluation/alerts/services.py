"""Changing a workspace's alert rules (through the one write path: version checked, activity
logged, one transaction)."""

from __future__ import annotations

from typing import Any

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.evaluation.alerts.models import MAX_QUIET_DAYS, AlertSettings


def set_quiet_days(
    *, actor: Actor, workspace_id: int, days: Any, version: int | None = None
) -> AlertSettings:
    """Set after how many days without an action by the partner side a partnership is
    flagged (workspace members; 1–365). ``version``: the one the caller read; None to apply
    over whatever is saved."""
    actor.require(actor.is_member(workspace_id))
    try:
        number = int(str(days).strip())
    except (TypeError, ValueError):
        number = 0
    if isinstance(days, bool) or not 1 <= number <= MAX_QUIET_DAYS:
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"partner_quiet_days": [f"A whole number of days from 1 to {MAX_QUIET_DAYS}."]},
        )
    found, made = AlertSettings.objects.get_or_create(workspace_id=workspace_id)
    core.update(
        found,
        actor=actor,
        version=found.version if made or version is None else version,
        changes={"partner_quiet_days": number},
    )
    return found
