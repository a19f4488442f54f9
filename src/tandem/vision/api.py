"""Goals over HTTP: the same services as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import ScopeId, scope_from
from tandem.core.errors import InvalidInput
from tandem.core.scope import item_for, scope_of
from tandem.vision import selectors, services
from tandem.vision.models import Goal
from tandem.vision.schemas import GoalIn, GoalOut, GoalPatch, HorizonValue
from tandem.vision.values.selectors import company_goals

router = Router(tags=["Goals"])
ACCESS = {"x-access": "partnership"}


def _company_goal(scope: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Swap ``company_goal_id`` for the company goal (program goals only)."""
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


def _goal(request: HttpRequest, partnership_id: str, goal_id: int) -> tuple[Any, Goal]:
    actor, partnership = scope_from(request, partnership_id)
    return actor, item_for(Goal.objects.select_related("owner"), actor, partnership, goal_id)


@router.get(
    "/partnerships/{partnership_id}/goals",
    response=list[GoalOut],
    openapi_extra=ACCESS,
    summary="List goals: 1-year goals (horizon=1y) and the 3-year picture (3y)",
)
@paginate(Pages)
def list_goals(
    request: HttpRequest, partnership_id: ScopeId, horizon: HorizonValue | None = None
) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    return selectors.goals_for(actor, partnership, horizon=horizon)


@router.post(
    "/partnerships/{partnership_id}/goals",
    response={201: GoalOut},
    openapi_extra=ACCESS,
    summary="Add a goal with a measurable target (a year from today unless you say)",
)
def create_goal(request: HttpRequest, partnership_id: ScopeId, payload: GoalIn) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    values = _company_goal(partnership, person_from(payload.dict()))
    goal = services.goal_create(actor=actor, partnership=partnership, **values)
    return Status(201, goal)


@router.patch(
    "/partnerships/{partnership_id}/goals/{goal_id}",
    response=GoalOut,
    openapi_extra=ACCESS,
    summary="Change a goal (send the version you read)",
)
def update_goal(
    request: HttpRequest, partnership_id: ScopeId, goal_id: Id, payload: GoalPatch
) -> Any:
    actor, goal = _goal(request, partnership_id, goal_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    values = _company_goal(scope_of(goal), values)
    required = ("title", "target", "horizon", "due_on", "visibility")
    refuse_nulls(values, required)
    return services.goal_update(goal, actor=actor, version=payload.version, **values)


@router.delete(
    "/partnerships/{partnership_id}/goals/{goal_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a goal (its rocks stay, unlinked)",
)
def delete_goal(
    request: HttpRequest, partnership_id: ScopeId, goal_id: Id, version: Version
) -> Any:
    actor, goal = _goal(request, partnership_id, goal_id)
    services.goal_delete(goal, actor=actor, version=version)
    return Status(204, None)
