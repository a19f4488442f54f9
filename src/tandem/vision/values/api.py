"""Values, alignment and company goals over HTTP: the same services as the pages."""

from typing import Any

from ninja import Router, Status

from tandem.core.api.items import operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import program_from
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope, item_for
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


def _match(actor: Any, scope: Any, values: dict[str, Any]) -> dict[str, Any]:
    """Swap ``matches_id`` for the program value; an id outside the program's values the
    actor sees gets the same words whatever it names."""
    if "matches_id" in values:
        match_id = values.pop("matches_id")
        values["matches"] = (
            selectors.program_values(actor, scope.workspace_id).filter(pk=match_id).first()
            if match_id
            else None
        )
        if match_id and values["matches"] is None:
            raise InvalidInput.on("matches_id", "Choose one of the program's values.")
    return values


def _value(request: TandemRequest, scope: Scope, value_id: int) -> Value:
    return item_for(Value.objects.all(), request.actor, scope, value_id)


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
    router, "post", VALUES_PATH, level="partnership", program=True, response={201: CoreValueOut},
    summary="Add a program value, or one of the partner's with the program value it matches",
)  # fmt: skip
def create_value(request: TandemRequest, scope: Scope, payload: CoreValueIn) -> Any:
    values = _match(request.actor, scope, payload.dict())
    return Status(201, services.value_create(actor=request.actor, partnership=scope, **values))


@operation(
    router, "patch", VALUE_PATH, level="partnership", program=True, item="value_id",
    response=CoreValueOut, summary="Change a value (send the version you read)",
)  # fmt: skip
def update_value(request: TandemRequest, scope: Scope, item_id: Id, payload: CoreValuePatch) -> Any:
    actor = request.actor
    values = _match(actor, scope, payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("name", "meaning", "visibility"))
    value = services.value_update(
        _value(request, scope, item_id), actor=actor, version=payload.version, **values
    )
    if scope.is_program:
        return value
    ours = list(selectors.program_values(actor, scope.workspace_id))
    return selectors.hide_unseen_matches(ours, [value])[0]


@operation(
    router, "delete", VALUE_PATH, level="partnership", program=True, item="value_id",
    response={204: None}, summary="Delete a value",
)  # fmt: skip
def delete_value(request: TandemRequest, scope: Scope, item_id: Id, version: Version) -> Any:
    services.value_delete(_value(request, scope, item_id), actor=request.actor, version=version)
    return Status(204, None)


MEMBER = {"x-access": "member"}


@router.get(
    "/workspaces/{workspace_id}/company-goals",
    response=list[CompanyGoalOut],
    openapi_extra=MEMBER,
    summary="List the company's goals, which the program's goals serve",
)
def list_company_goals(request: TandemRequest, workspace_id: Id) -> Any:
    _actor, program = program_from(request, workspace_id)
    return list(selectors.company_goals(program.workspace_id))


@router.post(
    "/workspaces/{workspace_id}/company-goals",
    response={201: CompanyGoalOut},
    openapi_extra=MEMBER,
    summary="Add a company goal the program serves",
)
def create_company_goal(request: TandemRequest, workspace_id: Id, payload: CompanyGoalIn) -> Any:
    actor, program = program_from(request, workspace_id)
    goal = services.company_goal_create(actor=actor, program=program, **payload.dict())
    return Status(201, goal)


@router.patch(
    "/workspaces/{workspace_id}/company-goals/{company_goal_id}",
    response=CompanyGoalOut,
    openapi_extra=MEMBER,
    summary="Change a company goal (send the version you read)",
)
def update_company_goal(
    request: TandemRequest, workspace_id: Id, company_goal_id: Id, payload: CompanyGoalPatch
) -> Any:
    actor, program = program_from(request, workspace_id)
    goal = item_for(CompanyGoal.objects.all(), actor, program, company_goal_id)
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(values)
    return services.company_goal_update(goal, actor=actor, version=payload.version, **values)


@router.delete(
    "/workspaces/{workspace_id}/company-goals/{company_goal_id}",
    response={204: None},
    openapi_extra=MEMBER,
    summary="Delete a company goal (the program goals serving it stay, unlinked)",
)
def delete_company_goal(
    request: TandemRequest, workspace_id: Id, company_goal_id: Id, version: Version
) -> Any:
    actor, program = program_from(request, workspace_id)
    goal = item_for(CompanyGoal.objects.all(), actor, program, company_goal_id)
    services.company_goal_delete(goal, actor=actor, version=version)
    return Status(204, None)
