"""To-dos and rocks over HTTP: the same services as the pages. To-dos' get, create, change
and delete follow from their declaration (``services.TODOS``); the rest states its access
once, in ``operation``."""

from typing import Any

from django.db.models import F
from django.http import Http404
from ninja import Router, Schema, Status

from tandem.core.api.derive import schemas
from tandem.core.api.items import export_api, item_api, item_from, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.exports import item_columns
from tandem.core.http import TandemRequest
from tandem.core.params import Day, QuarterNumber, Year
from tandem.core.scope import Scope
from tandem.traction import rocks, selectors, services
from tandem.traction.models import Milestone, Rock, Todo
from tandem.traction.rocks import ROCKS
from tandem.traction.schemas import MilestoneIn, MilestoneOut, RockIn, RockOut, TodoDoneIn, TodoOut
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
    item=TODOS, related=("owner",), response=TodoOut,
    summary="Tick a to-do off, or reopen it with done=false",
)  # fmt: skip
def done_todo(request: TandemRequest, scope: Scope, item: Todo, payload: TodoDoneIn) -> Any:
    return services.todo_set_done(item, actor=request.actor, **payload.dict())


def _values(request: TandemRequest, payload: Any, **given: bool) -> dict[str, Any]:
    """``owner_id`` → the person, ``goal_id`` → the goal, if the caller sees it; whether it
    fits the rock is the service's to say."""
    values = item_from(payload.dict(**given), request.actor, "goal", Goal, GOAL_REFUSED)
    return person_from(values)


# Anyone who sees the scope reads its rocks; who may change and delete them is what their
# declaration says. A rock's create takes its quarter, so only its change is derived.
READ_ROCKS: dict[str, Any] = {"level": "partnership", "program": True, "tags": ["Rocks"]}
CHANGE_ROCKS = {**READ_ROCKS, "level": ROCKS.change}
REMOVE_ROCKS = {**READ_ROCKS, "level": ROCKS.delete}
ONE_ROCK: dict[str, Any] = {"item": ROCKS, "related": ("owner",)}
ROCKS_PATH = "/partnerships/{partnership_id}/rocks"
ROCK_PATH = ROCKS_PATH + "/{rock_id}"
RockPatch = schemas(ROCKS, out=RockOut)[2]
GOAL_REFUSED = "Choose a 1-year goal of this partnership."


@operation(router, "get", ROCKS_PATH, paginated=True, response=list[RockOut], **READ_ROCKS)
def list_rocks(
    request: TandemRequest,
    scope: Scope,
    year: Year | None = None,
    quarter: QuarterNumber | None = None,
) -> Any:
    """List rocks, with their milestones (a quarter with year and quarter)"""
    asked = {name: n for name, n in (("year", year), ("quarter", quarter)) if n is not None}
    found = Rock.objects.visible_to(request.actor).in_scope(scope).filter(**asked)
    found = found.select_related("owner").prefetch_related("milestones")
    return found.order_by("-year", "-quarter", "due_on", "id")


# Every quarter's rocks, done and dropped ones too, each with its quarter (as the page's).
export_api(
    ROCKS,
    router,
    ROCKS_PATH,
    columns=item_columns(Rock, (*Rock.concurrency_fields, "year", "quarter")),
)


@operation(router, "post", ROCKS_PATH, response={201: RockOut}, **CHANGE_ROCKS)
def create_rock(request: TandemRequest, scope: Scope, payload: RockIn) -> Any:
    """Add a rock (this quarter and its last day unless you say)"""
    values = _values(request, payload)
    return Status(201, ROCKS.create(actor=request.actor, partnership=scope, **values))


@operation(router, "patch", ROCK_PATH, response=RockOut, **CHANGE_ROCKS, **ONE_ROCK)
def update_rock(request: TandemRequest, scope: Scope, item: Rock, payload: RockPatch) -> Any:  # type: ignore[valid-type]
    """Change a rock or its status (send the version you read)"""
    values = _values(request, payload, exclude_unset=True)  # the version read, and changes
    refuse_nulls(values, ("title", "due_on", "status", "visibility"))
    return ROCKS.update(item, actor=request.actor, **values)


@operation(router, "delete", ROCK_PATH, response={204: None}, **REMOVE_ROCKS, **ONE_ROCK)
def delete_rock(request: TandemRequest, scope: Scope, item: Rock, version: Version) -> Any:
    """Delete a rock (send the version you read)"""
    ROCKS.remove(item, actor=request.actor, version=version)
    return Status(204, None)


@operation(
    router, "post", ROCK_PATH + "/milestones", response={201: MilestoneOut},
    **CHANGE_ROCKS, **ONE_ROCK, summary="Add a milestone to a rock",
)  # fmt: skip
def add_milestone(request: TandemRequest, scope: Scope, item: Rock, payload: MilestoneIn) -> Any:
    return Status(201, rocks.milestone_add(item, actor=request.actor, **payload.dict()))


class MilestoneDoneIn(Schema):
    done: bool = True


def _milestone(rock: Rock, milestone_id: int) -> Milestone:
    milestone = rock.milestones.filter(pk=milestone_id).first()
    if milestone is None:
        raise Http404("No such milestone on this rock.")
    return milestone


@operation(
    router, "post", ROCK_PATH + "/milestones/{milestone_id}/done", response=MilestoneOut,
    **CHANGE_ROCKS, **ONE_ROCK, summary="Tick a rock's milestone done (or not done again)",
)  # fmt: skip
def milestone_done(
    request: TandemRequest, scope: Scope, item: Rock, milestone_id: Id, payload: MilestoneDoneIn
) -> Any:
    milestone = _milestone(item, milestone_id)
    rocks.milestone_set_done(milestone, actor=request.actor, done=payload.done)
    milestone.refresh_from_db()
    return milestone


@operation(
    router, "delete", ROCK_PATH + "/milestones/{milestone_id}", response={204: None},
    **CHANGE_ROCKS, **ONE_ROCK, summary="Delete a rock's milestone",
)  # fmt: skip
def milestone_delete(request: TandemRequest, scope: Scope, item: Rock, milestone_id: Id) -> Any:
    rocks.milestone_delete(_milestone(item, milestone_id), actor=request.actor)
    return Status(204, None)
