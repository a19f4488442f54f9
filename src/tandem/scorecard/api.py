"""The scorecard over HTTP: the same services and selectors as the pages. Anyone who sees
the scorecard reads and changes it (``operation``: the level stated once)."""

from typing import Any, Literal

from ninja import Query, Router, Schema, Status

from tandem.core.api.items import operation
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.http import TandemRequest
from tandem.core.params import Day
from tandem.core.scope import Scope
from tandem.scorecard import selectors, services
from tandem.scorecard.models import Measurable
from tandem.scorecard.schemas import (
    MeasurableEntryOut,
    MeasurableIn,
    MeasurableOut,
    MeasurablePage,
    MeasurablePatch,
    PeriodGoalIn,
    ValueIn,
)

router = Router(tags=["Scorecard"])
MEASURABLES = "/partnerships/{partnership_id}/measurables"
ONE = MEASURABLES + "/{measurable_id}"
SCORECARD: dict[str, Any] = {"level": "partnership", "program": True}
MEASURABLE: dict[str, Any] = {**SCORECARD, "item": "measurable_id"}


def _out(measurable: Measurable, row: selectors.Row | None = None) -> dict[str, Any]:
    """What ``MeasurableOut`` reads: the measurable, and from the grid its periods and figures."""
    names = ("id", "version", "position", "owner", *Measurable.concurrency_fields)
    data: dict[str, Any] = {name: getattr(measurable, name) for name in names}
    if row is not None:
        data.update(periods=row.cells, trailing=row.trailing, quarter=row.quarter, year=row.year)
    return data


@operation(router, "get", MEASURABLES, response=MeasurablePage, **SCORECARD)
def list_measurables(
    request: TandemRequest, scope: Scope, pages: Query[Pages.Input], to: Day | None = None
) -> Any:
    # Paginated here, not by ``Pages``: the grid's figures are read for the page's rows.
    """List measurables with their last 13 periods, totals, quarter and year"""
    found = selectors.measurable_list(request.actor, scope)
    page = Pages().paginate_queryset(found, pages, request)
    items = list(page["items"])
    rows = {
        row.measurable.pk: row
        for section in selectors.grid(request.actor, scope, items, end=to)
        for row in section.rows
    }
    return {**page, "items": [_out(m, rows.get(m.pk)) for m in items]}


@operation(
    router, "post", MEASURABLES, payload=MeasurableIn, response={201: MeasurableOut}, **SCORECARD,
    summary="Add a measurable (owner defaults to you)",
)  # fmt: skip
def create_measurable(request: TandemRequest, scope: Scope, payload: Any) -> Any:
    values = person_from(payload.dict())
    return Status(
        201, _out(services.measurable_create(actor=request.actor, partnership=scope, **values))
    )


@operation(router, "patch", ONE, payload=MeasurablePatch, response=MeasurableOut, **MEASURABLE)
def update_measurable(request: TandemRequest, scope: Scope, item_id: Id, payload: Any) -> Any:
    """Change a measurable (send the version you read)"""
    measurable = selectors.measurable_for(request.actor, scope, item_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("title", "unit", "comparator", "frequency", "visibility", "currency"))
    for name in ("aggregate", "formula", "description"):  # null: as it is
        if values.get(name) is None:
            values.pop(name, None)
    services.measurable_update(measurable, actor=request.actor, version=payload.version, **values)
    return _out(measurable)


@operation(router, "delete", ONE, response={204: None}, **MEASURABLE)
def delete_measurable(request: TandemRequest, scope: Scope, item_id: Id, version: Version) -> Any:
    """Delete a measurable and its values (send the version you read)"""
    measurable = selectors.measurable_for(request.actor, scope, item_id)
    services.measurable_delete(measurable, actor=request.actor, version=version)
    return Status(204, None)


@operation(router, "put", ONE + "/values/{period_start}", response=MeasurableEntryOut, **MEASURABLE)
def put_value(
    request: TandemRequest, scope: Scope, item_id: Id, period_start: Day, payload: ValueIn
) -> Any:
    """Enter or clear one period's value (period_start: a Monday, or a month's 1st)"""
    return services.value_set(
        selectors.measurable_for(request.actor, scope, item_id),
        actor=request.actor,
        period_start=period_start,
        **payload.dict(),
    )


@operation(router, "put", ONE + "/goals/{period_start}", response=MeasurableEntryOut, **MEASURABLE)
def put_period_goal(
    request: TandemRequest, scope: Scope, item_id: Id, period_start: Day, payload: PeriodGoalIn
) -> Any:
    """Set (or with null, remove) a goal for one period, with a note"""
    return services.period_goal_set(
        selectors.measurable_for(request.actor, scope, item_id),
        actor=request.actor,
        period_start=period_start,
        **payload.dict(),
    )


class MeasurableMoveIn(Schema):
    direction: Literal["up", "down"]


@operation(router, "post", ONE + "/move", response=MeasurableOut, **MEASURABLE)
def move_measurable(
    request: TandemRequest, scope: Scope, item_id: Id, payload: MeasurableMoveIn
) -> Any:
    """Move a measurable one place up or down on its scorecard"""
    measurable = selectors.measurable_for(request.actor, scope, item_id)
    step = -1 if payload.direction == "up" else 1
    services.measurable_move(measurable, actor=request.actor, step=step)
    return _out(selectors.measurable_for(request.actor, scope, item_id))
