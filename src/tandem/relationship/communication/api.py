"""The communication plan over HTTP: the item type's operations (``services.PLAN``), the plan
as rows with their touches, its health, and marking touches."""

from typing import Annotated, Any

from ninja import Field, Router, Status

from tandem.core.api.items import item_api, operation
from tandem.core.clock import local_today
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.core.scope import Scope, item_for
from tandem.relationship.communication import selectors, services
from tandem.relationship.communication.models import PlanEntry
from tandem.relationship.communication.schemas import (
    EntryOut,
    EntryRowOut,
    HealthOut,
    TouchIn,
    TouchOut,
)
from tandem.relationship.communication.services import PLAN

router = Router(tags=["Communication plan"])
BASE = "/partnerships/{partnership_id}/communication"
ONE = f"{BASE}/{{plan_entry_id}}"


def _row(row: selectors.EntryRow) -> dict[str, Any]:
    entry = row.entry
    return {
        **{name: getattr(entry, name) for name in EntryOut.model_fields},
        "recent": [{"planned_on": p.day, "state": p.state} for p in row.recent],
        "planned": row.planned,
        "happened": row.happened,
        "missed": row.missed,
        "overdue": row.overdue,
        "percent": row.percent,
        "next_due": row.next_due,
    }


class _Rows:
    """The entries as rows, judged page by page (the paginator slices, then we judge)."""

    def __init__(self, queryset: Any, today: Any) -> None:
        self.queryset, self.today = queryset, today

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_row(row) for row in selectors.entry_rows(self.queryset[index], self.today)]


@operation(
    router,
    "get",
    BASE,
    level="partnership",
    paginated=True,
    response=list[EntryRowOut],
    summary="The plan: each entry with its latest planned touches and the next one due",
)
def list_entries(request: TandemRequest, partnership: Scope) -> Any:
    today = local_today(partnership)
    return _Rows(selectors.entries_with_touches(request.actor, partnership, today), today)


@operation(
    router,
    "get",
    f"{BASE}/health",
    level="partnership",
    response=HealthOut,
    summary="The last 90 days: touches planned, happened, missed and still to mark",
)
def plan_health(request: TandemRequest, partnership: Scope) -> Any:
    health = selectors.plan_health(request.actor, partnership)
    return {**health.__dict__, "percent": health.percent}


item_api(
    PLAN,
    router,
    BASE,
    with_list=False,
    out=EntryOut,
    fields={
        "starts_on": (
            Annotated[Day | None, Field(description="The first touch; today if left out.")],
            None,
        )
    },
    summaries={
        "create": "Add to the plan (partner-side people add shared entries)",
        "get": "One entry",
        "patch": "Change an entry (send the version you read)",
        "delete": "Delete an entry and its marked touches",
    },
)


@operation(
    router,
    "get",
    f"{ONE}/touches",
    level="partnership",
    item="plan_entry_id",
    paginated=True,
    response=list[TouchOut],
    summary="An entry's marked touches, latest first",
)
def list_touches(request: TandemRequest, partnership: Scope, item_id: int) -> Any:
    entry = item_for(PlanEntry.objects.all(), request.actor, partnership, item_id)
    return selectors.touches_for(request.actor, entry)


@operation(
    router,
    "post",
    f"{ONE}/touches",
    level="partnership",
    item="plan_entry_id",
    response={201: TouchOut},
    summary="Mark a planned touch happened or missed (again replaces the mark)",
)
def mark_touch(request: TandemRequest, partnership: Scope, item_id: int, payload: TouchIn) -> Any:
    entry = item_for(PlanEntry.objects.all(), request.actor, partnership, item_id)
    return Status(201, services.touch_mark(entry, actor=request.actor, **payload.dict()))
