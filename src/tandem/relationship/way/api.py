"""The Way over HTTP: the workspace's processes and steps (members), and per partnership the
share of the Way followed and the tick of one step (both sides, shared processes for
partner-side people). The same services as the pages."""

from collections.abc import Callable
from typing import Any

from ninja import Router, Schema, Status

from tandem.core.access import Actor
from tandem.core.api.items import MEMBER, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id, Version
from tandem.core.http import TandemRequest
from tandem.core.scope import Program
from tandem.partners.models import Partnership
from tandem.relationship.way import selectors, services
from tandem.relationship.way.schemas import (
    ProcessIn,
    ProcessPatch,
    StepIn,
    StepPatch,
    WayCheckIn,
    WayFollowedOut,
    WayMoveIn,
    WayProcessFollowedOut,
    WayProcessOut,
    WayStepOut,
)

router = Router(tags=["The Way"])
WAY = "/workspaces/{workspace_id}/way"


@operation(router, "get", WAY, level=MEMBER, response=list[WayProcessOut])
def get_way(request: TandemRequest, program: Program) -> Any:
    """The Way: the workspace's core processes in order, each with its steps"""
    return list(selectors.processes_for(request.actor, program))


@operation(router, "post", f"{WAY}/defaults", level=MEMBER, response={201: list[WayProcessOut]})
def install_defaults(request: TandemRequest, program: Program) -> Any:
    """Start an empty Way from the defaults: onboarding, lead hand-off, quarterly review"""
    actor = request.actor
    services.install_defaults(actor=actor, workspace_id=program.workspace_id)
    return Status(201, list(selectors.processes_for(actor, program)))


@operation(
    router,
    "post",
    f"{WAY}/processes",
    level=MEMBER,
    payload=ProcessIn,
    response={201: WayProcessOut},
)
def create_process(request: TandemRequest, program: Program, payload: Schema) -> Any:
    """Add a process at the end of the Way"""
    process = services.process_create(
        actor=request.actor, workspace_id=program.workspace_id, **payload.dict()
    )
    return Status(201, selectors.process_with_steps(process.pk))


@operation(
    router,
    "post",
    f"{WAY}/processes/{{process_id}}/steps",
    level=MEMBER,
    payload=StepIn,
    response={201: WayStepOut},
)
def create_step(request: TandemRequest, program: Program, process_id: Id, payload: Schema) -> Any:
    """Add a step at the end of a process"""
    process = selectors.process_for(request.actor, program, process_id)
    return Status(201, services.step_create(process, actor=request.actor, **payload.dict()))


def _edits(
    name: str,
    path: str,
    find: Callable[[Actor, Program, Any], Any],
    change: tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]],
    schemas: tuple[type[Schema], type[Schema]],
    answer: Callable[[Actor, Program, Any], Any],
    said: tuple[str, str, str],
) -> None:
    """Change, delete and move one process or step (``name``) at ``path``: ``find`` reaches
    it, ``change`` holds its update, delete and move services, ``schemas`` its Out and Patch;
    a change answers it as ``Out``, a move answers ``answer(actor, program, item)``."""
    update, delete, move = change
    Out, Patch = schemas

    def changed(request: TandemRequest, program: Program, item_id: Id, payload: Any) -> Any:
        item = find(request.actor, program, item_id)
        values = payload.dict(exclude={"version"}, exclude_unset=True)
        refuse_nulls(values)
        return update(item, actor=request.actor, version=payload.version, **values)

    def deleted(request: TandemRequest, program: Program, item_id: Id, version: Version) -> Any:
        delete(find(request.actor, program, item_id), actor=request.actor, version=version)
        return Status(204, None)

    def moved(request: TandemRequest, program: Program, item_id: Id, payload: WayMoveIn) -> Any:
        item = find(request.actor, program, item_id)
        move(item, actor=request.actor, version=payload.version, direction=payload.direction)
        return answer(request.actor, program, item)

    for verb, method, view, response, summary, body in (
        ("update", "patch", changed, Out, said[0], Patch),
        ("delete", "delete", deleted, {204: None}, said[1], None),
        ("move", "post", moved, list[Out], said[2], None),  # type: ignore[valid-type]
    ):
        view.__name__ = f"{verb}_{name}"
        operation(
            router,
            method,
            f"{path}/move" if verb == "move" else path,
            level=MEMBER,
            item=f"{name}_id",
            payload=body,
            response=response,
            summary=summary,
        )(view)


_edits(
    "process",
    f"{WAY}/processes/{{process_id}}",
    selectors.process_for,
    (services.process_update, services.process_delete, services.process_move),
    (WayProcessOut, ProcessPatch),
    lambda actor, program, process: list(selectors.processes_for(actor, program)),
    (
        "Change a process (send the version you read)",
        "Delete a process with its steps (and every partnership's ticks under it)",
        "Move a process up or down; answers the Way in its new order",
    ),
)
_edits(
    "step",
    f"{WAY}/steps/{{step_id}}",
    selectors.step_for,
    (services.step_update, services.step_delete, services.step_move),
    (WayStepOut, StepPatch),
    lambda actor, program, step: list(step.process.steps.order_by("position", "id")),
    (
        "Change a step (send the version you read)",
        "Delete a step: it drops out of every partnership's share followed",
        "Move a step up or down in its process; answers the process's steps in order",
    ),
)


@operation(
    router,
    "get",
    "/partnerships/{partnership_id}/way",
    level="partnership",
    response=WayFollowedOut,
)
def partnership_way(request: TandemRequest, partnership: Partnership) -> Any:
    """How far a partnership follows the Way: each process's steps, ticked or not"""
    return selectors.way_progress(request.actor, partnership)


@operation(
    router,
    "put",
    "/partnerships/{partnership_id}/way/steps/{step_id}/check",
    level="partnership",
    response=WayProcessFollowedOut,
)
def check_step(
    request: TandemRequest, partnership: Partnership, step_id: Id, payload: WayCheckIn
) -> Any:
    """Tick a step followed (or not) in a partnership; answers its process's progress"""
    actor = request.actor
    step = selectors.step_for(actor, partnership, step_id)
    services.step_check(
        actor=actor,
        partnership=partnership,
        step=step,
        followed=payload.followed,
        note=payload.note,
        version=payload.version,
    )
    return selectors.process_progress(actor, partnership, step.process)
