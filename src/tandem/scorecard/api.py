"""The scorecard over HTTP: the same services and selectors as the pages."""

from typing import Any

from ninja import Query, Router, Status

from tandem.core.access import Actor
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import ScopeId, scope_from
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.core.scope import item_for
from tandem.scorecard import selectors, services
from tandem.scorecard.models import Measurable
from tandem.scorecard.schemas import (
    EntryOut,
    MeasurableIn,
    MeasurableOut,
    MeasurablePage,
    MeasurablePatch,
    PeriodGoalIn,
    ValueIn,
)

router = Router(tags=["Scorecard"])
MEASURABLE_FIELDS = ("id", "version", "position", *Measurable.concurrency_fields)
ACCESS = {"x-access": "partnership"}


def _figure(figure: selectors.Figure) -> dict[str, Any]:
    return {"value": figure.value, "shown": figure.shown, "status": figure.status}


def _out(measurable: Measurable, row: selectors.Row | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {name: getattr(measurable, name) for name in MEASURABLE_FIELDS}
    data.update(owner=measurable.owner, periods=[], trailing=None, quarter=None, year=None)
    if row is not None:
        data["periods"] = [
            {
                "period_start": cell.period_start,
                "value": cell.value,
                "shown": cell.shown,
                "status": cell.status,
                "goal": cell.goal,
                "goal_high": cell.goal_high,
                "goal_note": cell.goal_note,
                "version": cell.version,
            }
            for cell in row.cells
        ]
        data.update(
            trailing=_figure(row.trailing), quarter=_figure(row.quarter), year=_figure(row.year)
        )
    return data


@router.get(
    "/partnerships/{partnership_id}/measurables",
    response=MeasurablePage,
    openapi_extra=ACCESS,
    summary="List measurables with their last 13 periods, totals, quarter and year",
)
def list_measurables(
    request: TandemRequest,
    partnership_id: ScopeId,
    pages: Query[Pages.Input],
    to: Day | None = None,
) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    found = selectors.measurable_list(actor, partnership)
    size = pages.page_size or 50
    count = found.count()
    offset = (pages.page - 1) * size
    items = list(found[offset : offset + size])
    rows = {
        row.measurable.pk: row
        for section in selectors.grid(actor, partnership, items, end=to)
        for row in section.rows
    }
    return {
        "items": [_out(m, rows.get(m.pk)) for m in items],
        "count": count,
        "page": pages.page,
        "pages": max(1, -(-count // size)),
    }


@router.post(
    "/partnerships/{partnership_id}/measurables",
    response={201: MeasurableOut},
    openapi_extra=ACCESS,
    summary="Add a measurable (owner defaults to you)",
)
def create_measurable(
    request: TandemRequest, partnership_id: ScopeId, payload: MeasurableIn
) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    measurable = services.measurable_create(
        actor=actor, partnership=partnership, **person_from(payload.dict())
    )
    return Status(201, _out(measurable))


def _measurable(
    request: TandemRequest, partnership_id: str, measurable_id: int
) -> tuple[Actor, Measurable]:
    actor, partnership = scope_from(request, partnership_id)
    queryset = Measurable.objects.select_related("owner", "partnership", "workspace")
    return actor, item_for(queryset, actor, partnership, measurable_id)


@router.patch(
    "/partnerships/{partnership_id}/measurables/{measurable_id}",
    response=MeasurableOut,
    openapi_extra=ACCESS,
    summary="Change a measurable (send the version you read)",
)
def update_measurable(
    request: TandemRequest, partnership_id: ScopeId, measurable_id: Id, payload: MeasurablePatch
) -> Any:
    actor, measurable = _measurable(request, partnership_id, measurable_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    required = ("title", "unit", "comparator", "frequency", "visibility", "currency")
    refuse_nulls(values, required)
    if values.get("aggregate") is None:
        values.pop("aggregate", None)
    if values.get("formula") is None:
        values.pop("formula", None)
    if values.get("description") is None:
        values.pop("description", None)
    services.measurable_update(measurable, actor=actor, version=payload.version, **values)
    return _out(measurable)


@router.delete(
    "/partnerships/{partnership_id}/measurables/{measurable_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a measurable and its values (send the version you read)",
)
def delete_measurable(
    request: TandemRequest, partnership_id: ScopeId, measurable_id: Id, version: Version
) -> Any:
    actor, measurable = _measurable(request, partnership_id, measurable_id)
    services.measurable_delete(measurable, actor=actor, version=version)
    return Status(204, None)


@router.put(
    "/partnerships/{partnership_id}/measurables/{measurable_id}/values/{period_start}",
    response=EntryOut,
    openapi_extra=ACCESS,
    summary="Enter or clear one period's value (period_start: a Monday, or a month's 1st)",
)
def put_value(
    request: TandemRequest,
    partnership_id: ScopeId,
    measurable_id: Id,
    period_start: Day,
    payload: ValueIn,
) -> Any:
    actor, measurable = _measurable(request, partnership_id, measurable_id)
    return services.value_set(
        measurable,
        actor=actor,
        period_start=period_start,
        value=payload.value,
        version=payload.version,
    )


@router.put(
    "/partnerships/{partnership_id}/measurables/{measurable_id}/goals/{period_start}",
    response=EntryOut,
    openapi_extra=ACCESS,
    summary="Set (or with null, remove) a goal for one period, with a note",
)
def put_period_goal(
    request: TandemRequest,
    partnership_id: ScopeId,
    measurable_id: Id,
    period_start: Day,
    payload: PeriodGoalIn,
) -> Any:
    actor, measurable = _measurable(request, partnership_id, measurable_id)
    return services.period_goal_set(
        measurable,
        actor=actor,
        period_start=period_start,
        goal=payload.goal,
        goal_high=payload.goal_high,
        note=payload.note,
        version=payload.version,
    )
