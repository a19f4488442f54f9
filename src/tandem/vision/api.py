"""Goals over HTTP: the same services as the pages. A goal names its company goal by id
(``company_goal_id``), so its operations are written here, each stating its access once."""

from typing import Any

from ninja import Router, Status

from tandem.core.api.items import operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope, item_for
from tandem.vision import selectors
from tandem.vision.models import Goal
from tandem.vision.schemas import GoalIn, GoalOut, GoalPatch, HorizonValue
from tandem.vision.services import GOALS
from tandem.vision.values.selectors import company_goals

router = Router(tags=["Goals"])
GOALS_PATH = "/partnerships/{partnership_id}/goals"
GOAL_PATH = GOALS_PATH + "/{goal_id}"


def _values(scope: Scope, values: dict[str, Any]) -> dict[str, Any]:
    """Swap ``owner_id`` for the person and ``company_goal_id`` for the company goal
    (program goals only)."""
    values = person_from(values)
    if "company_goal_id" in values:
        goal_id = values.pop("company_goal_id")
        values["company_goal"] = (
            company_goals(scope.workspace_id).filter(pk=goal_id).first() if goal_id else None
        )
        if goal_id and (values["company_goal"] is None or not scope.is_program):
            raise InvalidInput.on(
                "company_goal_id", "Only program goals serve one of your company goals."
            )
    return values


def _goal(request: TandemRequest, scope: Scope, goal_id: int) -> Goal:
    return item_for(Goal.objects.select_related("owner"), request.actor, scope, goal_id)


@operation(
    router, "get", GOALS_PATH, level="partnership", program=True, paginated=True,
    response=list[GoalOut],
    summary="List goals: 1-year goals (horizon=1y) and the 3-year picture (3y)",
)  # fmt: skip
def list_goals(request: TandemRequest, scope: Scope, horizon: HorizonValue | None = None) -> Any:
    return selectors.goals_for(request.actor, scope, horizon=horizon)


@operation(
    router, "post", GOALS_PATH, level="partnership", program=True, response={201: GoalOut},
    summary="Add a goal with a measurable target (a year from today unless you say)",
)  # fmt: skip
def create_goal(request: TandemRequest, scope: Scope, payload: GoalIn) -> Any:
    values = _values(scope, payload.dict())
    return Status(201, GOALS.create(actor=request.actor, partnership=scope, **values))


@operation(
    router, "patch", GOAL_PATH, level="partnership", program=True, item="goal_id",
    response=GoalOut, summary="Change a goal (send the version you read)",
)  # fmt: skip
def update_goal(request: TandemRequest, scope: Scope, item_id: Id, payload: GoalPatch) -> Any:
    goal = _goal(request, scope, item_id)
    values = _values(scope, payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("title", "target", "horizon", "due_on", "visibility"))
    return GOALS.update(goal, actor=request.actor, version=payload.version, **values)


@operation(
    router, "delete", GOAL_PATH, level="partnership", program=True, item="goal_id",
    response={204: None}, summary="Delete a goal (its rocks stay, unlinked)",
)  # fmt: skip
def delete_goal(request: TandemRequest, scope: Scope, item_id: Id, version: Version) -> Any:
    GOALS.remove(_goal(request, scope, item_id), actor=request.actor, version=version)
    return Status(204, None)
