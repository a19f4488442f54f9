"""Reading the Way, always through the requesting actor.

Processes and steps belong to the workspace. Members see them all; a partner-side person sees
the shared ones, and only from inside a partnership they were invited into (the views and the
API resolve that partnership first). Each reader costs the same few queries however many
processes, steps, checks or partnerships there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404

from tandem.core import numbers
from tandem.core.access import Actor, Visibility
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND
from tandem.partners.models import Partnership
from tandem.relationship.way.models import Process, Step, StepCheck


def _shared_only(actor: Actor, workspace_id: int) -> bool:
    return not actor.is_member(workspace_id)


def processes_for(actor: Actor, scope: Any) -> QuerySet[Process]:
    """The processes of the scope's workspace the actor may see, in order, with their steps
    (two queries). ``scope`` is a partnership the actor sees, or the program level."""
    processes = Process.objects.filter(workspace_id=scope.workspace_id, partnership__isnull=True)
    if _shared_only(actor, scope.workspace_id):
        if scope.is_program or not actor.can_see_partnership(scope):
            return processes.none()
        processes = processes.filter(visibility=Visibility.SHARED)
    return processes.order_by("position", "id").prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("position", "id"))
    )


def process_for(actor: Actor, scope: Any, pk: object) -> Process:
    """One process of the scope's workspace (a member's; else 404)."""
    if not actor.is_member(scope.workspace_id):
        raise Http404(NOT_FOUND)
    try:
        return Process.objects.get(
            workspace_id=scope.workspace_id, partnership__isnull=True, pk=parse_id(pk)
        )
    except Process.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error


def process_with_steps(pk: int) -> Process:
    """A process just written, with its steps, for the API's answer."""
    return Process.objects.prefetch_related(
        Prefetch("steps", queryset=Step.objects.order_by("position", "id"))
    ).get(pk=pk)


def step_for(actor: Actor, scope: Any, pk: object) -> Step:
    """One step of the scope's workspace the actor may see (partner-side: of a shared
    process, in their own partnership); else 404."""
    steps = Step.objects.select_related("process").filter(workspace_id=scope.workspace_id)
    if _shared_only(actor, scope.workspace_id):
        if scope.is_program or not actor.can_see_partnership(scope):
            raise Http404(NOT_FOUND)
        steps = steps.filter(process__visibility=Visibility.SHARED)
    try:
        return steps.get(pk=parse_id(pk))
    except Step.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error


@dataclass
class StepRow:
    step: Step
    check: StepCheck | None

    @property
    def followed(self) -> bool:
        return bool(self.check and self.check.followed)


@dataclass
class ProcessProgress:
    process: Process
    rows: list[StepRow] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.rows)

    @property
    def followed(self) -> int:
        return sum(1 for row in self.rows if row.followed)

    @property
    def percent(self) -> int | None:
        return percent(self.followed, self.total)


@dataclass
class WayProgress:
    processes: list[ProcessProgress]

    @property
    def total(self) -> int:
        return sum(p.total for p in self.processes)

    @property
    def followed(self) -> int:
        return sum(p.followed for p in self.processes)

    @property
    def percent(self) -> int | None:
        return percent(self.followed, self.total)


def percent(followed: int, total: int) -> int | None:
    """Whole per cent (100 only when every step is followed); None when there is nothing
    to follow."""
    return numbers.percent(followed, total)


def way_progress(actor: Actor, partnership: Partnership) -> WayProgress:
    """Each process the actor sees in this partnership, with its steps, whether each is
    followed and by whom (three queries)."""
    processes = list(processes_for(actor, partnership))
    checks = (
        {
            check.step_id: check
            for check in StepCheck.objects.visible_to(actor)
            .filter(partnership_id=partnership.pk, step__process__in=[p.pk for p in processes])
            .select_related("checked_by")
        }
        if processes
        else {}
    )
    return WayProgress(
        processes=[
            ProcessProgress(
                process=process,
                rows=[
                    StepRow(step=step, check=checks.get(step.pk)) for step in process.steps.all()
                ],
            )
            for process in processes
        ]
    )


def process_progress(actor: Actor, partnership: Partnership, process: Process) -> ProcessProgress:
    """One process of ``way_progress`` (after a tick, for the part of the page it changes)."""
    for progress in way_progress(actor, partnership).processes:
        if progress.process.pk == process.pk:
            return progress
    raise Http404(NOT_FOUND)


def way_followed(actor: Actor, partnership: Partnership) -> dict[str, Any]:
    """For a partnership-overview health panel: how much of the Way this partnership follows,
    as the actor sees it — {"followed", "total", "percent"} (percent None when the Way has
    no steps yet). One query."""
    steps = Step.objects.filter(
        workspace_id=partnership.workspace_id, process__partnership__isnull=True
    )
    if _shared_only(actor, partnership.workspace_id):
        if not actor.can_see_partnership(partnership):
            return {"followed": 0, "total": 0, "percent": None}
        steps = steps.filter(process__visibility=Visibility.SHARED)
    # Each step asks for this partnership's tick by the unique (partnership, step) index: a
    # join would read every partnership's ticks of the workspace.
    ticked = StepCheck.objects.filter(
        step_id=OuterRef("pk"), partnership_id=partnership.pk, followed=True
    )
    counts = steps.aggregate(total=Count("pk"), followed=Count("pk", filter=Exists(ticked)))
    return {
        "followed": counts["followed"],
        "total": counts["total"],
        "percent": percent(counts["followed"], counts["total"]),
    }


def program_partnerships(actor: Actor, workspace_id: int) -> QuerySet[Partnership]:
    """The workspace's active partnerships, for the program's matrix."""
    return (
        Partnership.objects.visible_to(actor)
        .filter(workspace_id=workspace_id, archived_at__isnull=True)
        .only("id", "name", "workspace_id")
        .order_by("name", "id")
    )


def program_matrix(
    actor: Actor, processes: list[Process], partnerships: list[Partnership]
) -> list[dict[str, Any]]:
    """Per partnership, the share of each process's steps it follows and of the whole Way:
    rows of {"partnership", "cells": [{"process", "followed", "total", "percent"}], "followed",
    "total", "percent"}. ``processes`` come with their steps loaded; one query more."""
    if not processes or not partnerships:
        return [
            {"partnership": p, "cells": [], "followed": 0, "total": 0, "percent": None}
            for p in partnerships
        ]
    counts = {
        (row["partnership_id"], row["step__process_id"]): row["n"]
        for row in StepCheck.objects.visible_to(actor)
        .filter(
            partnership_id__in=[p.pk for p in partnerships],
            step__process__in=[p.pk for p in processes],
            followed=True,
        )
        .values("partnership_id", "step__process_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    sizes = {process.pk: len(process.steps.all()) for process in processes}
    rows = []
    for partnership in partnerships:
        cells = [
            {
                "process": process,
                "followed": counts.get((partnership.pk, process.pk), 0),
                "total": sizes[process.pk],
                "percent": percent(counts.get((partnership.pk, process.pk), 0), sizes[process.pk]),
            }
            for process in processes
        ]
        followed = sum(cell["followed"] for cell in cells)
        total = sum(cell["total"] for cell in cells)
        rows.append(
            {
                "partnership": partnership,
                "cells": cells,
                "followed": followed,
                "total": total,
                "percent": percent(followed, total),
            }
        )
    return rows
