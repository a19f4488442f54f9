"""What the plan listens to: the activity log every recorded change writes."""

from __future__ import annotations

from typing import Any

from tandem.core.models import ActivityEntry
from tandem.plans.meeting import meeting_ended
from tandem.plans.notify import WATCHED, plan_changed


def on_activity(sender: Any, instance: ActivityEntry, created: bool, **kwargs: Any) -> None:
    """Every recorded change passes ``tandem.core.services.record``: one to an item a plan
    holds may have changed a signed plan, and the end of a quarterly meeting asks both
    sides to sign its plan. Runs in the change's own transaction."""
    if not created or instance.partnership_id is None:
        return
    if instance.target_model == "meetings.meeting" and instance.verb == "ended":
        meeting_ended(instance)
        return
    if instance.target_model not in WATCHED:
        return
    plan_changed(instance.partnership_id, user=instance.actor if instance.actor_id else None)
