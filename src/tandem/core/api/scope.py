"""Where an API call works: a partnership, or the program level of a workspace.

Paths name the scope as ``/partnerships/{partnership_id}/…``; ``program`` stands for the
program level of the caller's workspace (``?workspace=ID`` picks one when the caller belongs
to several). Only workspace members reach the program level, like on the pages.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404
from pydantic import Field, StringConstraints

from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND, PROGRAM, Program, partnership_for

ScopeId = Annotated[
    str,
    StringConstraints(pattern=r"^(program|[1-9][0-9]{0,18})$"),
    Field(
        description="A partnership's id, or `program` for the program level of your workspace"
        " (add `?workspace=ID` if you belong to several)."
    ),
]


def partnership_from(
    request: TandemRequest, partnership_id: int | str, *, level: str = "view"
) -> tuple[Actor, Any]:
    """The caller and one partnership they may reach at ``level`` (else not found)."""
    actor = request.actor
    return actor, partnership_for(actor, partnership_id, level=level)


def scope_from(
    request: TandemRequest, partnership_id: str, *, level: str = "view"
) -> tuple[Actor, Any]:
    if partnership_id != PROGRAM:
        return partnership_from(request, partnership_id, level=level)
    actor = request.actor
    workspaces = {workspace.pk: workspace for workspace in actor.workspaces}
    asked = request.GET.get("workspace")
    if asked is not None:
        workspace = workspaces.get(parse_id(asked))
    elif len(workspaces) > 1:
        raise InvalidInput(
            "You belong to several workspaces: name one with ?workspace=ID.",
            errors={"workspace": ["Choose one of your workspaces."]},
        )
    else:
        workspace = next(iter(workspaces.values()), None)
    if workspace is None:
        raise Http404(NOT_FOUND)
    return actor, Program(workspace)


def program_from(request: TandemRequest, workspace_id: int) -> tuple[Actor, Program]:
    """The program level of one of the caller's workspaces (``/workspaces/{id}/…`` paths);
    any other id is not found."""
    actor = request.actor
    workspace = next((w for w in actor.workspaces if w.pk == workspace_id), None)
    if workspace is None:
        raise Http404(NOT_FOUND)
    return actor, Program(workspace)
