"""To-dos and rocks over HTTP: the same services as the pages. To-dos' get, create, change
and delete follow from their declaration (``services.TODOS``); the rest states its access
once, in ``operation``."""

from typing import Any

from django.db.models import F
from ninja import Router, Status

from tandem.core.api.items import item_api, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.params import Day, QuarterNumber, Year
from tandem.core.scope import Scope, item_for
from tandem.traction import rocks, selectors, services
from tandem.traction.models import Rock, Todo
from tandem.traction.schemas import (
    MilestoneIn,
    MilestoneOut,
    RockIn,
    RockOut,
    RockPatch,
    TodoDoneIn,
    TodoOut,
)
from tandem.traction.services import TODOS
from tandem.vision.models import Goal

router = Router(tags=["To-dos"])
TODOS_PATH = "/partnerships/{partnership_id}/todos"


@operation(
    router, "get", TODOS_PATH, level="partnership", program=True, paginated=True,
    response=list[TodoOut], summary="List to-dos (open first, by due date)",
)  # fmt: skip
def list_todos(request: TandemRequest, scope: Scope, done: bool | None = None) -> Any:
    todos = selectors.todos_for(request.actor, scope)
    if done is not None:
        todos = todos.filter(done_at__isnull=not done)
    return todos.order_by(F("done_at").asc(nulls_first=True), "due_on", "id")


item_api(
    TODOS,
    router,
    TODOS_PATH,
    out=TodoOut,
    fields={"due_on": (Day | None, None)},
    related=("owner",),
    with_list=False,
    summaries={"create": "Add a to-do (owner defaults to you, due in 7 days)"},
)


@operation(
    router, "post", TODOS_PATH + "/{todo_id}/done", level="partnership", program=True,
    item="todo_id", response=TodoOut, summary="Tick a to-do off, or reopen it with done=false",
)  # fmt: skip
def done_todo(request: TandemRequest, scope: Scope, item_id: Id, payload: TodoDoneIn) -> Any:
    todo = item_for(Todo.objects.select_related("owner"), request.actor, scope, item_id)
    return services.todo_set_done(
        todo, actor=request.actor, version=payload.version, done=payload.done
    )


def _values(actor: Any, values: dict[str, Any]) -> dict[str, Any]:
    """``owner_id`` → the person, ``goal_id`` → the goal, if the actor sees it; whether it
    fits the rock is the service's to say."""
    values = person_from(values)
    if "goal_id" in values:
        goal_id = values.pop("goal_id")
        values["goal"] = (
            Goal.objects.visible_to(actor).filter(pk=goal_id).first() if goal_id else None
        )
        if goal_id and values["goal"] is None:
            raise InvalidInput.on("goal_id", "Choose a 1-year goal of this partnership.")
    return values


def _rock(request: TandemRequest, scope: Scope, rock_id: int) -> Rock:
    return item_for(Rock.objects.select_related("owner"), request.actor, scope, rock_id)


# Anyone who sees the scope reads its rocks; who may change and delete them is what their
# declaration (rocks.ROCKS) says.
READ_ROCKS: dict[str, Any] = {"level": "partnership", "program": True, "tags": ["Rocks"]}
ROCKS = {**READ_ROCKS, "level": rocks.ROCKS.change}
REMOVE_ROCKS = {**READ_ROCKS, "level": rocks.ROCKS.delete}
ROCKS_PATH = "/partnerships/{partnership_id}/rocks"
ROCK_PATH = ROCKS_PATH + "/{rock_id}"


@operation(
    router, "get", ROCKS_PATH, paginated=True, response=list[RockOut], **READ_ROCKS,
    summary="List rocks, with their milestones (a quarter with year and quarter)",
)  # fmt: skip
def list_rocks(
    request: TandemRequest,
    scope: Scope,
    year: Year | None = None,
    quarter: QuarterNumber | None = None,
) -> Any:
    found = (
        Rock.objects.visible_to(request.actor)
        .in_scope(scope)
        .select_related("owner")
        .prefetch_related("milestones")
    )
    if year is not None:
        found = found.filter(year=year)
    if quarter is not None:
        found = found.filter(quarter=quarter)
    return found.order_by("-year", "-quarter", "due_on", "id")


@operation(
    router, "post", ROCKS_PATH, response={201: RockOut}, **ROCKS,
    summary="Add a rock (this quarter and its last day unless you say)",
)  # fmt: skip
def create_rock(request: TandemRequest, scope: Scope, payload: RockIn) -> Any:
    values = _values(request.actor, payload.dict())
    return Status(201, rocks.rock_create(actor=request.actor, partnership=scope, **values))


@operation(
    router, "patch", ROCK_PATH, item="rock_id", response=RockOut, **ROCKS,
    summary="Change a rock or its status (send the version you read)",
)  # fmt: skip
def update_rock(request: TandemRequest, scope: Scope, item_id: Id, payload: RockPatch) -> Any:
    rock = _rock(request, scope, item_id)
    values = _values(request.actor, payload.dict(exclude={"version"}, exclude_unset=True))
    refuse_nulls(values, ("title", "due_on", "status", "visibility"))
    return rocks.rock_update(rock, actor=request.actor, version=payload.version, **values)


@operation(
    router, "delete", ROCK_PATH, item="rock_id", response={204: None}, **REMOVE_ROCKS,
    summary="Delete a rock (send the version you read)",
)  # fmt: skip
def delete_rock(request: TandemRequest, scope: Scope, item_id: Id, version: Version) -> Any:
    rocks.rock_delete(_rock(request, scope, item_id), actor=request.actor, version=version)
    return Status(204, None)


@operation(
    router, "post", ROCK_PATH + "/milestones", item="rock_id", response={201: MilestoneOut},
    **ROCKS, summary="Add a milestone to a rock",
)  # fmt: skip
def add_milestone(request: TandemRequest, scope: Scope, item_id: Id, payload: MilestoneIn) -> Any:
    rock = _rock(request, scope, item_id)
    return Status(201, rocks.milestone_add(rock, actor=request.actor, **payload.dict()))
