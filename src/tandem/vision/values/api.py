"""Values, alignment and company goals over HTTP: the same services as the pages."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import ScopeId, partnership_from, program_from, scope_from
from tandem.core.errors import InvalidInput
from tandem.core.scope import item_for
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
ACCESS = {"x-access": "partnership"}


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


def _value(request: HttpRequest, partnership_id: str, value_id: int) -> tuple[Any, Any, Value]:
    actor, scope = scope_from(request, partnership_id)
    return actor, scope, item_for(Value.objects.all(), actor, scope, value_id)


@router.get(
    "/partnerships/{partnership_id}/values",
    response=list[CoreValueOut],
    openapi_extra=ACCESS,
    summary="List values: the program's (program) or the partner's stated values",
)
def list_values(request: HttpRequest, partnership_id: ScopeId) -> Any:
    actor, scope = scope_from(request, partnership_id)
    ours = list(selectors.program_values(actor, scope.workspace_id))
    if scope.is_program:
        return ours
    return selectors.hide_unseen_matches(ours, selectors.partner_values(actor, scope))


@router.get(
    "/partnerships/{partnership_id}/alignment",
    response=AlignmentOut,
    openapi_extra=ACCESS,
    summary="The partner's values beside the program's, and which are shared",
)
def get_alignment(request: HttpRequest, partnership_id: Id) -> Any:
    actor, scope = partnership_from(request, partnership_id)
    alignment = selectors.alignment(actor, scope)
    return {
        "ours": alignment.ours,
        "theirs": alignment.theirs,
        "shared": [value.name for value in alignment.shared],
        "aligned": alignment.aligned,
    }


@router.post(
    "/partnerships/{partnership_id}/values",
    response={201: CoreValueOut},
    openapi_extra=ACCESS,
    summary="Add a program value, or one of the partner's with the program value it matches",
)
def create_value(request: HttpRequest, partnership_id: ScopeId, payload: CoreValueIn) -> Any:
    actor, scope = scope_from(request, partnership_id)
    values = _match(actor, scope, payload.dict())
    return Status(201, services.value_create(actor=actor, partnership=scope, **values))


@router.patch(
    "/partnerships/{partnership_id}/values/{value_id}",
    response=CoreValueOut,
    openapi_extra=ACCESS,
    summary="Change a value (send the version you read)",
)
def update_value(
    request: HttpRequest, partnership_id: ScopeId, value_id: Id, payload: CoreValuePatch
) -> Any:
    actor, scope, value = _value(request, partnership_id, value_id)
    values = _match(actor, scope, payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("name", "meaning", "visibility"))
    value = services.value_update(value, actor=actor, version=payload.version, **values)
    if scope.is_program:
        return value
    ours = list(selectors.program_values(actor, scope.workspace_id))
    return selectors.hide_unseen_matches(ours, [value])[0]


@router.delete(
    "/partnerships/{partnership_id}/values/{value_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a value",
)
def delete_value(
    request: HttpRequest, partnership_id: ScopeId, value_id: Id, version: Version
) -> Any:
    actor, _scope, value = _value(request, partnership_id, value_id)
    services.value_delete(value, actor=actor, version=version)
    return Status(204, None)


MEMBER = {"x-access": "member"}


@router.get(
    "/workspaces/{workspace_id}/company-goals",
    response=list[CompanyGoalOut],
    openapi_extra=MEMBER,
    summary="List the company's goals, which the program's goals serve",
)
def list_company_goals(request: HttpRequest, workspace_id: Id) -> Any:
    _actor, program = program_from(request, workspace_id)
    return list(selectors.company_goals(program.workspace_id))


@router.post(
    "/workspaces/{workspace_id}/company-goals",
    response={201: CompanyGoalOut},
    openapi_extra=MEMBER,
    summary="Add a company goal the program serves",
)
def create_company_goal(request: HttpRequest, workspace_id: Id, payload: CompanyGoalIn) -> Any:
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
    request: HttpRequest, workspace_id: Id, company_goal_id: Id, payload: CompanyGoalPatch
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
    request: HttpRequest, workspace_id: Id, company_goal_id: Id, version: Version
) -> Any:
    actor, program = program_from(request, workspace_id)
    goal = item_for(CompanyGoal.objects.all(), actor, program, company_goal_id)
    services.company_goal_delete(goal, actor=actor, version=version)
    return Status(204, None)
