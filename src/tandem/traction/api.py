"""To-dos over HTTP: the same services as the pages."""

from typing import Any

from django.db.models import F
from django.http import HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import ScopeId, scope_from
from tandem.core.errors import InvalidInput
from tandem.core.params import QuarterNumber, Year
from tandem.core.scope import item_for
from tandem.traction import rocks, selectors, services
from tandem.traction.models import Rock, Todo
from tandem.traction.schemas import (
    MilestoneIn,
    MilestoneOut,
    RockIn,
    RockOut,
    RockPatch,
    TodoDoneIn,
    TodoIn,
    TodoOut,
    TodoPatch,
)
from tandem.vision.models import Goal

router = Router(tags=["To-dos"])
ACCESS = {"x-access": "partnership"}


@router.get(
    "/partnerships/{partnership_id}/todos",
    response=list[TodoOut],
    openapi_extra=ACCESS,
    summary="List to-dos (open first, by due date)",
)
@paginate(Pages)
def list_todos(request: HttpRequest, partnership_id: ScopeId, done: bool | None = None) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    todos = selectors.todos_for(actor, partnership)
    if done is not None:
        todos = todos.filter(done_at__isnull=not done)
    return todos.order_by(F("done_at").asc(nulls_first=True), "due_on", "id")


@router.post(
    "/partnerships/{partnership_id}/todos",
    response={201: TodoOut},
    openapi_extra=ACCESS,
    summary="Add a to-do (owner defaults to you, due in 7 days)",
)
def create_todo(request: HttpRequest, partnership_id: ScopeId, payload: TodoIn) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    todo = services.todo_create(actor=actor, partnership=partnership, **person_from(payload.dict()))
    return Status(201, todo)


def _goal_from(actor: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``goal_id`` → the goal, if the actor sees it; whether it fits the rock is the
    service's to say."""
    if "goal_id" in values:
        goal_id = values.pop("goal_id")
        values["goal"] = (
            Goal.objects.visible_to(actor).filter(pk=goal_id).first() if goal_id else None
        )
        if goal_id and values["goal"] is None:
            raise InvalidInput(
                "Please correct the highlighted fields.",
                errors={"goal_id": ["Choose a 1-year goal of this partnership."]},
            )
    return values


def _todo(request: HttpRequest, partnership_id: str, todo_id: int) -> tuple[Any, Todo]:
    actor, partnership = scope_from(request, partnership_id)
    return actor, item_for(Todo.objects.select_related("owner"), actor, partnership, todo_id)


@router.patch(
    "/partnerships/{partnership_id}/todos/{todo_id}",
    response=TodoOut,
    openapi_extra=ACCESS,
    summary="Change a to-do (send the version you read)",
)
def update_todo(
    request: HttpRequest, partnership_id: ScopeId, todo_id: Id, payload: TodoPatch
) -> Any:
    actor, todo = _todo(request, partnership_id, todo_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("title", "due_on", "visibility"))
    return services.todo_update(todo, actor=actor, version=payload.version, **values)


@router.post(
    "/partnerships/{partnership_id}/todos/{todo_id}/done",
    response=TodoOut,
    openapi_extra=ACCESS,
    summary="Tick a to-do off, or reopen it with done=false",
)
def done_todo(
    request: HttpRequest, partnership_id: ScopeId, todo_id: Id, payload: TodoDoneIn
) -> Any:
    actor, todo = _todo(request, partnership_id, todo_id)
    return services.todo_set_done(todo, actor=actor, version=payload.version, done=payload.done)


@router.delete(
    "/partnerships/{partnership_id}/todos/{todo_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a to-do (send the version you read)",
)
def delete_todo(
    request: HttpRequest, partnership_id: ScopeId, todo_id: Id, version: Version
) -> Any:
    actor, todo = _todo(request, partnership_id, todo_id)
    services.todo_delete(todo, actor=actor, version=version)
    return Status(204, None)


def _rock(request: HttpRequest, partnership_id: str, rock_id: int) -> tuple[Any, Rock]:
    actor, partnership = scope_from(request, partnership_id)
    return actor, item_for(Rock.objects.select_related("owner"), actor, partnership, rock_id)


@router.get(
    "/partnerships/{partnership_id}/rocks",
    response=list[RockOut],
    openapi_extra=ACCESS,
    summary="List rocks, with their milestones (a quarter with year and quarter)",
    tags=["Rocks"],
)
@paginate(Pages)
def list_rocks(
    request: HttpRequest,
    partnership_id: ScopeId,
    year: Year | None = None,
    quarter: QuarterNumber | None = None,
) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    found = (
        Rock.objects.visible_to(actor)
        .in_scope(partnership)
        .select_related("owner")
        .prefetch_related("milestones")
    )
    if year is not None:
        found = found.filter(year=year)
    if quarter is not None:
        found = found.filter(quarter=quarter)
    return found.order_by("-year", "-quarter", "due_on", "id")


@router.post(
    "/partnerships/{partnership_id}/rocks",
    response={201: RockOut},
    openapi_extra=ACCESS,
    summary="Add a rock (this quarter and its last day unless you say)",
    tags=["Rocks"],
)
def create_rock(request: HttpRequest, partnership_id: ScopeId, payload: RockIn) -> Any:
    actor, partnership = scope_from(request, partnership_id)
    values = _goal_from(actor, person_from(payload.dict()))
    rock = rocks.rock_create(actor=actor, partnership=partnership, **values)
    return Status(201, rock)


@router.patch(
    "/partnerships/{partnership_id}/rocks/{rock_id}",
    response=RockOut,
    openapi_extra=ACCESS,
    summary="Change a rock or its status (send the version you read)",
    tags=["Rocks"],
)
def update_rock(
    request: HttpRequest, partnership_id: ScopeId, rock_id: Id, payload: RockPatch
) -> Any:
    actor, rock = _rock(request, partnership_id, rock_id)
    values = _goal_from(actor, person_from(payload.dict(exclude={"version"}, exclude_unset=True)))
    refuse_nulls(values, ("title", "due_on", "status", "visibility"))
    return rocks.rock_update(rock, actor=actor, version=payload.version, **values)


@router.delete(
    "/partnerships/{partnership_id}/rocks/{rock_id}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a rock (send the version you read)",
    tags=["Rocks"],
)
def delete_rock(
    request: HttpRequest, partnership_id: ScopeId, rock_id: Id, version: Version
) -> Any:
    actor, rock = _rock(request, partnership_id, rock_id)
    rocks.rock_delete(rock, actor=actor, version=version)
    return Status(204, None)


@router.post(
    "/partnerships/{partnership_id}/rocks/{rock_id}/milestones",
    response={201: MilestoneOut},
    openapi_extra=ACCESS,
    summary="Add a milestone to a rock",
    tags=["Rocks"],
)
def add_milestone(
    request: HttpRequest, partnership_id: ScopeId, rock_id: Id, payload: MilestoneIn
) -> Any:
    actor, rock = _rock(request, partnership_id, rock_id)
    return Status(201, rocks.milestone_add(rock, actor=actor, **payload.dict()))
