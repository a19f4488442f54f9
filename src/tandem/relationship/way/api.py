"""The Way over HTTP: the workspace's processes and steps (members), and per partnership the
share of the Way followed and the tick of one step (both sides, shared processes for
partner-side people). The same services as the pages."""

from typing import Any

from ninja import Router, Status

from tandem.core.api.items import MEMBER, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id, Version
from tandem.core.http import TandemRequest
from tandem.core.scope import Program
from tandem.partners.models import Partnership
from tandem.relationship.way import selectors, services
from tandem.relationship.way.schemas import (
    WayCheckIn,
    WayFollowedOut,
    WayMoveIn,
    WayProcessFollowedOut,
    WayProcessIn,
    WayProcessOut,
    WayProcessPatch,
    WayStepIn,
    WayStepOut,
    WayStepPatch,
)
from tandem.relationship.way.selectors import ProcessProgress, StepRow, WayProgress

router = Router(tags=["The Way"])
WAY = "/workspaces/{workspace_id}/way"


@operation(
    router,
    "get",
    WAY,
    level=MEMBER,
    response=list[WayProcessOut],
    summary="The Way: the workspace's core processes in order, each with its steps",
)
def get_way(request: TandemRequest, program: Program) -> Any:
    actor = request.actor
    return list(selectors.processes_for(actor, program))


@operation(
    router,
    "post",
    f"{WAY}/defaults",
    level=MEMBER,
    response={201: list[WayProcessOut]},
    summary="Start an empty Way from the defaults: onboarding, lead hand-off, quarterly review",
)
def install_defaults(request: TandemRequest, program: Program) -> Any:
    actor = request.actor
    services.install_defaults(actor=actor, workspace_id=program.workspace_id)
    return Status(201, list(selectors.processes_for(actor, program)))


@operation(
    router,
    "post",
    f"{WAY}/processes",
    level=MEMBER,
    response={201: WayProcessOut},
    summary="Add a process at the end of the Way",
)
def create_process(request: TandemRequest, program: Program, payload: WayProcessIn) -> Any:
    actor = request.actor
    process = services.process_create(
        actor=actor, workspace_id=program.workspace_id, **payload.dict()
    )
    return Status(201, selectors.process_with_steps(process.pk))


@operation(
    router,
    "patch",
    f"{WAY}/processes/{{process_id}}",
    level=MEMBER,
    response=WayProcessOut,
    summary="Change a process (send the version you read)",
)
def update_process(
    request: TandemRequest, program: Program, process_id: Id, payload: WayProcessPatch
) -> Any:
    actor = request.actor
    process = selectors.process_for(actor, program, process_id)
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(values)
    services.process_update(process, actor=actor, version=payload.version, **values)
    return selectors.process_with_steps(process.pk)


@operation(
    router,
    "delete",
    f"{WAY}/processes/{{process_id}}",
    level=MEMBER,
    response={204: None},
    summary="Delete a process with its steps (and every partnership's ticks under it)",
)
def delete_process(
    request: TandemRequest, program: Program, process_id: Id, version: Version
) -> Any:
    actor = request.actor
    process = selectors.process_for(actor, program, process_id)
    services.process_delete(process, actor=actor, version=version)
    return Status(204, None)


@operation(
    router,
    "post",
    f"{WAY}/processes/{{process_id}}/move",
    level=MEMBER,
    response=list[WayProcessOut],
    summary="Move a process up or down; answers the Way in its new order",
)
def move_process(
    request: TandemRequest, program: Program, process_id: Id, payload: WayMoveIn
) -> Any:
    actor = request.actor
    process = selectors.process_for(actor, program, process_id)
    services.process_move(
        process, actor=actor, version=payload.version, direction=payload.direction
    )
    return list(selectors.processes_for(actor, program))


@operation(
    router,
    "post",
    f"{WAY}/processes/{{process_id}}/steps",
    level=MEMBER,
    response={201: WayStepOut},
    summary="Add a step at the end of a process",
)
def create_step(
    request: TandemRequest, program: Program, process_id: Id, payload: WayStepIn
) -> Any:
    actor = request.actor
    process = selectors.process_for(actor, program, process_id)
    return Status(201, services.step_create(process, actor=actor, **payload.dict()))


@operation(
    router,
    "patch",
    f"{WAY}/steps/{{step_id}}",
    level=MEMBER,
    response=WayStepOut,
    summary="Change a step (send the version you read)",
)
def update_step(
    request: TandemRequest, program: Program, step_id: Id, payload: WayStepPatch
) -> Any:
    actor = request.actor
    step = selectors.step_for(actor, program, step_id)
    values = payload.dict(exclude={"version"}, exclude_unset=True)
    refuse_nulls(values)
    return services.step_update(step, actor=actor, version=payload.version, **values)


@operation(
    router,
    "delete",
    f"{WAY}/steps/{{step_id}}",
    level=MEMBER,
    response={204: None},
    summary="Delete a step: it drops out of every partnership's share followed",
)
def delete_step(request: TandemRequest, program: Program, step_id: Id, version: Version) -> Any:
    actor = request.actor
    step = selectors.step_for(actor, program, step_id)
    services.step_delete(step, actor=actor, version=version)
    return Status(204, None)


@operation(
    router,
    "post",
    f"{WAY}/steps/{{step_id}}/move",
    level=MEMBER,
    response=list[WayStepOut],
    summary="Move a step up or down in its process; answers the process's steps in order",
)
def move_step(request: TandemRequest, program: Program, step_id: Id, payload: WayMoveIn) -> Any:
    actor = request.actor
    step = selectors.step_for(actor, program, step_id)
    services.step_move(step, actor=actor, version=payload.version, direction=payload.direction)
    return list(step.process.steps.order_by("position", "id"))


def _step_out(row: StepRow) -> dict[str, Any]:
    check = row.check
    return {
        "id": row.step.pk,
        "position": row.step.position,
        "title": row.step.title,
        "guidance": row.step.guidance,
        "followed": row.followed,
        "note": check.note if check else "",
        "checked_by": check.checked_by if check else None,
        "checked_at": check.checked_at if check else None,
        "check_version": check.version if check else None,
    }


def _process_out(progress: ProcessProgress) -> dict[str, Any]:
    process = progress.process
    return {
        "id": process.pk,
        "name": process.name,
        "purpose": process.purpose,
        "visibility": process.visibility,
        "followed": progress.followed,
        "total": progress.total,
        "percent": progress.percent,
        "steps": [_step_out(row) for row in progress.rows],
    }


def _way_out(way: WayProgress) -> dict[str, Any]:
    return {
        "followed": way.followed,
        "total": way.total,
        "percent": way.percent,
        "processes": [_process_out(progress) for progress in way.processes],
    }


@operation(
    router,
    "get",
    "/partnerships/{partnership_id}/way",
    level="partnership",
    response=WayFollowedOut,
    summary="How far a partnership follows the Way: each process's steps, ticked or not",
)
def partnership_way(request: TandemRequest, partnership: Partnership) -> Any:
    actor = request.actor
    return _way_out(selectors.way_progress(actor, partnership))


@operation(
    router,
    "put",
    "/partnerships/{partnership_id}/way/steps/{step_id}/check",
    level="partnership",
    response=WayProcessFollowedOut,
    summary="Tick a step followed (or not) in a partnership; answers its process's progress",
)
def check_step(
    request: TandemRequest, partnership: Partnership, step_id: Id, payload: WayCheckIn
) -> Any:
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
    return _process_out(selectors.process_progress(actor, partnership, step.process))
