"""The communication plan over HTTP: the item type's operations (``services.PLAN``), the plan
as rows with their touches, its health, and marking touches."""

from typing import Annotated, Any

from ninja import Field, Router, Status

from tandem.core.api.items import item_api, operation
from tandem.core.clock import local_today
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.core.scope import Scope
from tandem.relationship.communication import schemas, selectors, services
from tandem.relationship.communication.services import PLAN

router = Router(tags=["Communication plan"])
BASE = "/partnerships/{partnership_id}/communication"
ONE = f"{BASE}/{{plan_entry_id}}"
ENTRY: dict[str, Any] = {"level": "partnership", "item": "plan_entry_id"}


class _Rows:
    """The entries as rows, judged page by page (the paginator slices, then we judge)."""

    def __init__(self, queryset: Any, today: Any) -> None:
        self.queryset, self.today = queryset, today

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, index: slice) -> list[selectors.EntryRow]:
        return selectors.entry_rows(self.queryset[index], self.today)


@operation(
    router, "get", BASE, level="partnership", paginated=True, response=list[schemas.EntryRowOut]
)
def list_entries(request: TandemRequest, partnership: Scope) -> Any:
    """The plan: each entry with its latest planned touches and the next one due"""
    today = local_today(partnership)
    return _Rows(selectors.entries_with_touches(request.actor, partnership, today), today)


@operation(router, "get", f"{BASE}/health", level="partnership", response=schemas.HealthOut)
def plan_health(request: TandemRequest, partnership: Scope) -> Any:
    """The last 90 days: touches planned, happened, missed and still to mark"""
    return selectors.plan_health(request.actor, partnership)


item_api(
    PLAN,
    router,
    BASE,
    with_list=False,
    out=schemas.EntryOut,
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
    router, "get", f"{ONE}/touches", **ENTRY, paginated=True, response=list[schemas.TouchOut]
)
def list_touches(request: TandemRequest, partnership: Scope, item_id: int) -> Any:
    """An entry's marked touches, latest first"""
    return selectors.touches_for(request.actor, PLAN.one(request.actor, partnership, item_id))


@operation(router, "post", f"{ONE}/touches", **ENTRY, response={201: schemas.TouchOut})
def mark_touch(
    request: TandemRequest, partnership: Scope, item_id: int, payload: schemas.TouchIn
) -> Any:
    """Mark a planned touch happened or missed (again replaces the mark)"""
    entry = PLAN.one(request.actor, partnership, item_id)
    return Status(201, services.touch_mark(entry, actor=request.actor, **payload.dict()))
