from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from tandem.core.access import actor_for

if TYPE_CHECKING:
    from tandem.accounts.models import Workspace

SESSION_WORKSPACE = "tandem_workspace_id"


def current_workspace(request: HttpRequest) -> Workspace | None:
    """The workspace a member is working in: the one they picked, else their first."""
    if not hasattr(request, "_tandem_workspace"):
        actor = request.actor  # type: ignore[attr-defined]
        workspace = None
        if actor.workspaces:
            chosen = request.session.get(SESSION_WORKSPACE)
            by_id = {w.pk: w for w in actor.workspaces}
            workspace = by_id.get(chosen) or by_id[actor.workspace_ids[0]]
        request._tandem_workspace = workspace  # type: ignore[attr-defined]
    return request._tandem_workspace  # type: ignore[attr-defined]


class ActorMiddleware:
    """Attach ``request.actor``, computed once and only if used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.actor = SimpleLazyObject(lambda: actor_for(request.user))  # type: ignore[attr-defined]
        return self.get_response(request)
