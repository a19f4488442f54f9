"""Changing the Way: processes and their steps (the workspace's, members only) and, per
partnership, whether each step is followed (either side, for shared processes). Pages and
the API both call these."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.items import MANAGE, ItemType, text_fields
from tandem.core.policy import require_open
from tandem.core.scope import Program, Scope
from tandem.relationship.way.defaults import DEFAULT_WAY
from tandem.relationship.way.models import Process, Step, StepCheck

STEP_FIELDS = Step.concurrency_fields
DIRECTIONS = ("up", "down")


def _require_member(actor: Actor, workspace_id: int) -> None:
    actor.require(actor.is_member(workspace_id))


def _check_visibility(visibility: Any) -> None:
    if visibility not in (Visibility.SHARED, Visibility.INTERNAL):
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"visibility": ["Choose shared (both sides follow it) or internal."]},
        )


def _text(values: dict[str, Any], *names: str) -> dict[str, Any]:
    for name in names:
        if name in values and isinstance(values[name], str):
            values[name] = values[name].strip()
    return values


def _next_position(queryset: Any) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


# --- Processes ---------------------------------------------------------------------------


def _placed(actor: Actor, program: Scope, values: dict[str, Any], process: Any) -> None:
    """A process is shared (both sides follow it) or internal; a new one goes last."""
    if "visibility" in values:
        _check_visibility(values["visibility"])
    if process is None:
        workspace_processes = Process.objects.filter(workspace_id=program.workspace_id)
        values["position"] = _next_position(workspace_processes)


def _follow_visibility(process: Process, actor: Actor, before: dict[str, Any]) -> None:
    """When a process's visibility changes, the checks made under it (and their activity)
    follow: an internal process's checks are never shown to the partner."""
    if before.get("visibility", process.visibility) != process.visibility:
        # The checks' activity follows them (core.models.ActivityQuerySet).
        checks = StepCheck.objects.filter(step__process=process)
        checks.update(visibility=process.visibility)
        core.touch_partnerships(checks.values("partnership_id"))


# A process lives at the program level; deleting one takes its steps, and what partnerships
# ticked under them, with it.
PROCESSES = ItemType(
    model=Process,
    name="process",
    label="process",
    program=True,
    change=MANAGE,
    delete=MANAGE,
    check=text_fields("name", "purpose"),
    validate=_placed,
    after_update=_follow_visibility,
    logged=("name", "purpose", "visibility"),
)
process_update = PROCESSES.update
process_delete = PROCESSES.remove


def process_create(*, actor: Actor, workspace_id: int, **values: Any) -> Process:
    """A new process, last in the Way."""
    program = Program(Workspace.objects.get(pk=workspace_id))
    return PROCESSES.create(actor=actor, partnership=program, **values)


def _move(item: Any, siblings: Any, *, actor: Actor, version: int | None, direction: str) -> bool:
    """Swap ``item`` with its neighbour above or below among ``siblings`` (renumbered
    0, 1, 2 … on the way, so positions never tie). False when it is already at that end;
    a stale ``version`` is a conflict either way."""
    if direction not in DIRECTIONS:
        raise InvalidInput("Move up or down.", errors={"direction": ["Choose up or down."]})
    with transaction.atomic():
        order = list(siblings.select_for_update().order_by("position", "id"))
        ids = [sibling.pk for sibling in order]
        if item.pk not in ids:
            raise InvalidInput("It was deleted meanwhile.")
        index = ids.index(item.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(order):
            core.update(item, actor=actor, version=version, changes={})  # the version check
            return False
        order.insert(other, order.pop(index))
        model = type(item)
        for position, sibling in enumerate(order):
            if sibling.pk != item.pk and sibling.position != position:
                model.objects.filter(pk=sibling.pk).update(position=position)
        item.position = -1  # whatever it was, the new position differs and is recorded
        core.update(
            item,
            actor=actor,
            version=version,
            changes={"position": other},
            verb=f"moved {direction}",
        )
    return True


def process_move(process: Process, *, actor: Actor, version: int | None, direction: str) -> bool:
    _require_member(actor, process.workspace_id)
    siblings = Process.objects.filter(workspace_id=process.workspace_id, partnership__isnull=True)
    return _move(process, siblings, actor=actor, version=version, direction=direction)


# --- Steps -------------------------------------------------------------------------------


def step_create(process: Process, *, actor: Actor, title: str, guidance: str = "") -> Step:
    _require_member(actor, process.workspace_id)
    with transaction.atomic():
        step = Step(
            workspace_id=process.workspace_id,
            process=process,
            title=(title or "").strip(),
            guidance=(guidance or "").strip(),
            position=_next_position(process.steps.all()),
        )
        core.create(step, actor=actor, fields=("title",))
    return step


def step_update(step: Step, *, actor: Actor, version: int | None, **changes: Any) -> Step:
    _require_member(actor, step.workspace_id)
    unknown = set(changes) - set(STEP_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    core.update(step, actor=actor, version=version, changes=_text(changes, "title", "guidance"))
    return step


def step_delete(step: Step, *, actor: Actor, version: int | None) -> None:
    """Delete a step: it drops out of every partnership's share of the Way followed."""
    _require_member(actor, step.workspace_id)
    with transaction.atomic():
        partnership_ids = list(step.checks.values_list("partnership_id", flat=True))
        core.delete(step, actor=actor, version=version)
        core.touch_partnerships(partnership_ids)


def step_move(step: Step, *, actor: Actor, version: int | None, direction: str) -> bool:
    _require_member(actor, step.workspace_id)
    siblings = Step.objects.filter(process_id=step.process_id)
    return _move(step, siblings, actor=actor, version=version, direction=direction)


# --- Defaults ----------------------------------------------------------------------------


def install_defaults(*, actor: Actor, workspace_id: int) -> list[Process]:
    """Start the Way from three proven processes (onboarding, joint lead hand-off,
    quarterly review). Only into an empty Way: nothing of the workspace's is overwritten."""
    _require_member(actor, workspace_id)
    with transaction.atomic():
        # One at a time per workspace: a double click installs the defaults once.
        Workspace.objects.select_for_update().filter(pk=workspace_id).first()
        if Process.objects.filter(workspace_id=workspace_id).exists():
            raise InvalidInput("The Way already has processes; add to them or edit them instead.")
        created = []
        for position, spec in enumerate(DEFAULT_WAY):
            process = Process(
                workspace_id=workspace_id,
                name=spec["name"],
                purpose=spec["purpose"],
                visibility=spec["visibility"],
                position=position,
            )
            core.create(process, actor=actor, fields=("name", "visibility"))
            Step.objects.bulk_create(
                Step(
                    workspace_id=workspace_id,
                    process=process,
                    position=index,
                    title=title,
                    guidance=guidance,
                    created_by=actor.user,
                )
                for index, (title, guidance) in enumerate(spec["steps"])
            )
            created.append(process)
    return created


# --- Following the Way in a partnership ---------------------------------------------------


def step_check(
    *,
    actor: Actor,
    partnership: Any,
    step: Step,
    followed: bool,
    note: str | None = None,
    version: int | None = None,
) -> StepCheck:
    """Mark a step of the Way followed (or not) in a partnership, with an optional note.
    The first tick names no version; later ones name the version of the check they saw."""
    if partnership.is_program:
        raise InvalidInput("Steps are ticked in a partnership, not at the program level.")
    actor.require(actor.can_see_partnership(partnership))
    actor.require(step.workspace_id == partnership.workspace_id)
    process = step.process
    actor.require(
        actor.is_member(partnership.workspace_id) or process.visibility == Visibility.SHARED
    )
    require_open(partnership)
    if note is not None:
        note = note.strip()
    verb = "followed step" if followed else "unticked step"
    existing = StepCheck.objects.filter(partnership=partnership, step=step).first()
    if existing is not None:
        existing.step = step
        changes: dict[str, Any] = {"followed": bool(followed)}
        if note is not None:
            changes["note"] = note
        core.check_version(existing, version)
        if all(getattr(existing, name) == value for name, value in changes.items()):
            return existing  # already so: nothing to record
        if changes["followed"] == existing.followed:
            verb = "updated"
        changes.update(checked_by=actor.user, checked_at=timezone.now())
        core.update(existing, actor=actor, version=version, changes=changes, verb=verb)
        return existing
    if version:
        # They saw a check that is gone (its step was deleted and re-added?): start over.
        raise Conflict(
            "This step changed while you were looking at it.",
            current=step,
            attempted={"followed": followed},
        )
    check = StepCheck(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        step=step,
        followed=bool(followed),
        note=note or "",
        visibility=process.visibility,
        checked_by=actor.user,
        checked_at=timezone.now(),
        created_by=actor.user,
    )
    core.clean(check, validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            check.save()
            core.record(
                actor=actor,
                verb=verb,
                target=check,
                changes={"note": ["", check.note]} if check.note else {},
            )
    except IntegrityError as error:  # someone else ticked it first
        current = StepCheck.objects.get(partnership=partnership, step=step)
        raise Conflict(
            "Someone else ticked this step meanwhile.",
            current=current,
            attempted={"followed": followed},
        ) from error
    return check
