"""The communication plan over HTTP: the same services as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.access import Actor
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import partnership_from
from tandem.core.clock import local_today
from tandem.core.scope import item_for
from tandem.relationship.communication import selectors, services
from tandem.relationship.communication.models import PlanEntry
from tandem.relationship.communication.schemas import (
    EntryIn,
    EntryOut,
    EntryPatch,
    EntryRowOut,
    HealthOut,
    TouchIn,
    TouchOut,
)

router = Router(tags=["Communication plan"])
ACCESS = {"x-access": "partnership"}
BASE = "/partnerships/{partnership_id}/communication"


def _entry(request: HttpRequest, partnership_id: int, entry_id: int) -> tuple[Actor, PlanEntry]:
    actor, partnership = partnership_from(request, partnership_id)
    return actor, item_for(PlanEntry.objects.select_related("owner"), actor, partnership, entry_id)


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


@router.get(
    BASE,
    response=list[EntryRowOut],
    openapi_extra=ACCESS,
    summary="The plan: each entry with its latest planned touches and the next one due",
)
@paginate(Pages)
def list_entries(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    today = local_today(partnership)
    return _Rows(selectors.entries_with_touches(actor, partnership, today), today)


class _Rows:
    """The entries as rows, judged page by page (the paginator slices, then we judge)."""

    def __init__(self, queryset: Any, today: Any) -> None:
        self.queryset, self.today = queryset, today

    def __len__(self) -> int:
        return int(self.queryset.count())

    def __getitem__(self, index: slice) -> list[dict[str, Any]]:
        return [_row(row) for row in selectors.entry_rows(self.queryset[index], self.today)]


@router.get(
    f"{BASE}/health",
    response=HealthOut,
    openapi_extra=ACCESS,
    summary="The last 90 days: touches planned, happened, missed and still to mark",
)
def plan_health(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    health = selectors.plan_health(actor, partnership)
    return {**health.__dict__, "percent": health.percent}


@router.post(
    BASE,
    response={201: EntryOut},
    openapi_extra=ACCESS,
    summary="Add to the plan (partner-side people add shared entries)",
)
def create_entry(request: HttpRequest, partnership_id: Id, payload: EntryIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    values = person_from(payload.dict())
    entry = services.entry_create(actor=actor, partnership=partnership, **values)
    return Status(201, entry)


@router.get(f"{BASE}/{{entry_id}}", response=EntryOut, openapi_extra=ACCESS, summary="One entry")
def get_entry(request: HttpRequest, partnership_id: Id, entry_id: Id) -> Any:
    return _entry(request, partnership_id, entry_id)[1]


@router.patch(
    f"{BASE}/{{entry_id}}",
    response=EntryOut,
    openapi_extra=ACCESS,
    summary="Change an entry (send the version you read)",
)
def update_entry(
    request: HttpRequest, partnership_id: Id, entry_id: Id, payload: EntryPatch
) -> Any:
    actor, entry = _entry(request, partnership_id, entry_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    required = ("topic", "channel", "cadence", "audience", "starts_on", "visibility")
    refuse_nulls(values, required)
    return services.entry_update(entry, actor=actor, version=payload.version, **values)


@router.delete(
    f"{BASE}/{{entry_id}}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete an entry and its marked touches",
)
def delete_entry(request: HttpRequest, partnership_id: Id, entry_id: Id, version: Version) -> Any:
    actor, entry = _entry(request, partnership_id, entry_id)
    services.entry_delete(entry, actor=actor, version=version)
    return Status(204, None)


@router.get(
    f"{BASE}/{{entry_id}}/touches",
    response=list[TouchOut],
    openapi_extra=ACCESS,
    summary="An entry's marked touches, latest first",
)
@paginate(Pages)
def list_touches(request: HttpRequest, partnership_id: Id, entry_id: Id) -> Any:
    actor, entry = _entry(request, partnership_id, entry_id)
    return selectors.touches_for(actor, entry)


@router.post(
    f"{BASE}/{{entry_id}}/touches",
    response={201: TouchOut},
    openapi_extra=ACCESS,
    summary="Mark a planned touch happened or missed (again replaces the mark)",
)
def mark_touch(request: HttpRequest, partnership_id: Id, entry_id: Id, payload: TouchIn) -> Any:
    actor, entry = _entry(request, partnership_id, entry_id)
    touch = services.touch_mark(entry, actor=actor, **payload.dict())
    return Status(201, touch)
