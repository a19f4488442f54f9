"""Values, alignment and company goals over HTTP: the same services as the pages."""

from functools import partial
from typing import Any

from ninja import Router, Status

from tandem.core.api.items import MEMBER, item_from, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Version
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.vision.models import CompanyGoal, Value
from tandem.vision.values import selectors, services
from tandem.vision.values.schemas import (
    AlignmentOut,
    CompanyGoalIn,
    CompanyGoalOut,
    CompanyGoalPatch,
    CoreValueIn,
    CoreValueOut,
    CoreValuePatch,
)

router = Router(tags=["Values"])


def _match(actor: Any, scope: Scope, values: dict[str, Any]) -> dict[str, Any]:
    """Swap ``matches_id`` for the program value; an id outside the program's values the
    actor sees gets the same words whatever it names."""
    ours = selectors.program_values(actor, scope.workspace_id)
    return item_from(values, actor, "matches", ours, "Choose one of the program's values.")


VALUES_PATH = "/partnerships/{partnership_id}/values"
VALUE_PATH = VALUES_PATH + "/{value_id}"


@operation(
    router, "get", VALUES_PATH, level="partnership", program=True, response=list[CoreValueOut],
    summary="List values: the program's (program) or the partner's stated values",
)  # fmt: skip
def list_values(request: TandemRequest, scope: Scope) -> Any:
    ours = list(selectors.program_values(request.actor, scope.workspace_id))
    if scope.is_program:
        return ours
    return selectors.hide_unseen_matches(ours, selectors.partner_values(request.actor, scope))


@operation(
    router, "get", "/partnerships/{partnership_id}/alignment", level="partnership",
    response=AlignmentOut,
    summary="The partner's values beside the program's, and which are shared",
)  # fmt: skip
def get_alignment(request: TandemRequest, scope: Scope) -> Any:
    alignment = selectors.alignment(request.actor, scope)
    return {
        "ours": alignment.ours,
        "theirs": alignment.theirs,
        "shared": [value.name for value in alignment.shared],
        "aligned": alignment.aligned,
    }


@operation(
    router, "post", VALUES_PATH, level="partnership", program=True, payload=CoreValueIn,
    response={201: CoreValueOut},
    summary="Add a program value, or one of the partner's with the program value it matches",
)  # fmt: skip
def create_value(request: TandemRequest, scope: Scope, payload: Any) -> Any:
    values = _match(request.actor, scope, payload.dict())
    return Status(201, services.value_create(actor=request.actor, partnership=scope, **values))


@operation(
    router, "patch", VALUE_PATH, level="partnership", program=True, item=services.VALUES,
    payload=CoreValuePatch, response=CoreValueOut,
    summary="Change a value (send the version you read)",
)  # fmt: skip
def update_value(request: TandemRequest, scope: Scope, item: Value, payload: Any) -> Any:
    actor = request.actor
    values = _match(actor, scope, payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("name", "meaning", "visibility"))
    value = services.value_update(item, actor=actor, version=payload.version, **values)
    if scope.is_program:
        return value
    ours = list(selectors.program_values(actor, scope.workspace_id))
    return selectors.hide_unseen_matches(ours, [value])[0]


@operation(
    router, "delete", VALUE_PATH, level="partnership", program=True, item=services.VALUES,
    response={204: None}, summary="Delete a value",
)  # fmt: skip
def delete_value(request: TandemRequest, scope: Scope, item: Value, version: Version) -> Any:
    services.value_delete(item, actor=request.actor, version=version)
    return Status(204, None)


COMPANY_GOALS_PATH = "/workspaces/{workspace_id}/company-goals"
COMPANY_GOAL_PATH = COMPANY_GOALS_PATH + "/{company_goal_id}"
# The workspace's own: members only, the program level their scope.
on_company_goals = partial(operation, router, level=MEMBER)


@on_company_goals("get", COMPANY_GOALS_PATH, response=list[CompanyGoalOut])  # type: ignore[valid-type]
def list_company_goals(request: TandemRequest, program: Scope) -> Any:
    """List the company's goals, which the program's goals serve"""
    return list(selectors.company_goals(program.workspace_id))


@on_company_goals("post", COMPANY_GOALS_PATH, payload=CompanyGoalIn, response={201: CompanyGoalOut})
def create_company_goal(request: TandemRequest, program: Scope, payload: Any) -> Any:
    """Add a company goal the program serves"""
    goal = services.company_goal_create(actor=request.actor, program=program, **payload.dict())
    return Status(201, goal)


@on_company_goals(
    "patch",
    COMPANY_GOAL_PATH,
    item=services.COMPANY_GOALS,
    payload=CompanyGoalPatch,
    response=CompanyGoalOut,
)
def update_company_goal(
    request: TandemRequest, program: Scope, item: CompanyGoal, payload: Any
) -> Any:
    """Change a company goal (send the version you read)"""
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(values)
    return services.company_goal_update(
        item, actor=request.actor, version=payload.version, **values
    )


@on_company_goals("delete", COMPANY_GOAL_PATH, item=services.COMPANY_GOALS, response={204: None})
def delete_company_goal(
    request: TandemRequest, program: Scope, item: CompanyGoal, version: Version
) -> Any:
    """Delete a company goal (the program goals serving it stay, unlinked)"""
    services.company_goal_delete(item, actor=request.actor, version=version)
    return Status(204, None)
