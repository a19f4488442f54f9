"""Changing a workspace's health weights (through the one write path: version checked,
activity logged, one transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.evaluation.health.models import DEFAULT_WEIGHTS, MAX_WEIGHT, HealthSettings

LABELS = {
    "meetings": "Meetings held",
    "recaps": "Recaps sent",
    "todos": "To-dos done on time",
    "rocks": "Rocks on track",
    "scorecard": "Scorecard on track",
    "commitments": "Commitments kept",
    "asks": "Asks answered on time",
    "checkins": "Check-in rhythm",
    "value": "Value balance",
    "pipeline": "Pipeline movement",
    "partner_activity": "The partner's own activity",
}


def checked_weights(weights: Mapping[str, Any]) -> dict[str, int]:
    """Each part's weight a whole number 0–10, and at least one above 0; parts not named
    keep no say here (the caller merges them first). Refusals name the part."""
    errors: dict[str, list[str]] = {}
    found: dict[str, int] = {}
    for key, raw in weights.items():
        if key not in DEFAULT_WEIGHTS:
            errors.setdefault(key, []).append(f"{key!r} is not a part of the health score.")
            continue
        try:
            number = int(str(raw).strip())
        except (TypeError, ValueError):
            number = -1
        if isinstance(raw, bool) or not 0 <= number <= MAX_WEIGHT or str(raw).strip() == "":
            errors.setdefault(key, []).append(
                f"{LABELS[key]}: a whole number from 0 to {MAX_WEIGHT}."
            )
            continue
        found[key] = number
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)
    if not any(found.values()):
        raise InvalidInput(
            "Give at least one part a weight above 0: with every weight 0 the health has"
            " nothing to weigh."
        )
    return found


def set_weights(
    *, actor: Actor, workspace_id: int, weights: Mapping[str, Any], version: int | None = None
) -> HealthSettings:
    """Set some or all of the workspace's weights (workspace members). ``version``: the one
    the caller read; None to apply over whatever is saved."""
    actor.require(actor.is_member(workspace_id))
    saved = HealthSettings.objects.filter(workspace_id=workspace_id).first()
    checked = checked_weights({**(saved.weights if saved else DEFAULT_WEIGHTS), **weights})
    found, made = HealthSettings.objects.get_or_create(workspace_id=workspace_id)
    core.update(
        found,
        actor=actor,
        version=found.version if made or version is None else version,
        changes={f"weight_{key}": value for key, value in checked.items()},
    )
    return found
