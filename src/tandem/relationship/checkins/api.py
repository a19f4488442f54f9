"""Check-ins and events over HTTP: the item type's operations, and the rhythm's summary."""

from typing import Any

from ninja import Router

from tandem.core.api.items import item_api, operation
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.relationship.checkins import selectors
from tandem.relationship.checkins.schemas import CheckInSummaryOut
from tandem.relationship.checkins.services import CHECKINS

router = Router(tags=["Check-ins and events"])
BASE = "/partnerships/{partnership_id}/checkins"


@operation(router, "get", f"{BASE}/summary", level="partnership", response=CheckInSummaryOut)
def checkin_summary(request: TandemRequest, partnership: Scope) -> Any:
    """Days since the last check-in of each kind, and whether the rhythm lapsed"""
    health = selectors.checkin_health(request.actor, partnership)
    return {"kinds": list(health.kinds.values()), "warnings": health.warnings}


item_api(
    CHECKINS,
    router,
    BASE,
    filters=("kind",),
    order=("-held_on", "-id"),
    summaries={
        "list": "List check-ins and events, latest date first",
        "create": "Plan a check-in or event (a future date) or record one held (a past date)",
        "get": "One check-in or event",
        "patch": "Change a check-in or event (send the version you read)",
        "delete": "Delete a check-in or event (workspace members)",
    },
)
