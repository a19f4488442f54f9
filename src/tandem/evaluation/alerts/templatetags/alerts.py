"""``{% partnership_alerts partnership %}``: the partnership's stall alerts as the reader
sees them, a short list for its overview page (the overview's view stays unaware of them)."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.core.clock import local_today
from tandem.evaluation.alerts.selectors import alerts_of

register = template.Library()

SHOWN = 3


@register.inclusion_tag("alerts/partnership_alerts.html", takes_context=True)
def partnership_alerts(context: Any, partnership: Any) -> dict[str, Any]:
    request = context.get("request")
    actor = getattr(request, "actor", None)
    alerts = []
    if actor is not None and not partnership.is_program:
        # The page's partnership comes with its workspace and schedule: only the access
        # check is asked again, not the partnership.
        alerts = alerts_of(actor, [partnership], local_today(partnership)).get(partnership.pk, [])
    return {
        "alerts": alerts[:SHOWN],
        "more": len(alerts) - SHOWN,
        "member": actor is not None and actor.is_member(partnership.workspace_id),
    }
