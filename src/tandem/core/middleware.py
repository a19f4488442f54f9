from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from tandem.core.http import TandemRequest

if TYPE_CHECKING:
    from tandem.accounts.models import Workspace

SESSION_WORKSPACE = "tandem_workspace_id"


def current_workspace(request: TandemRequest) -> Workspace | None:
    """The workspace a member is working in: the one they picked, else their first."""
    if not hasattr(request, "_tandem_workspace"):
        actor = request.actor
        workspace = None
        if actor.workspaces:
            chosen = request.session.get(SESSION_WORKSPACE)
            by_id = {w.pk: w for w in actor.workspaces}
            workspace = by_id.get(chosen) or by_id[actor.workspace_ids[0]]
        request._tandem_workspace = workspace
    return request._tandem_workspace


class PrivateResponses:
    """What a signed-in person (or an API token) is shown is theirs alone: no shared cache
    and no browser cache may keep it (``Cache-Control: private, no-store``), unless the view
    said otherwise. Static files never reach this middleware (whitenoise answers first)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: TandemRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if (signed_in or "HTTP_AUTHORIZATION" in request.META) and not response.has_header(
            "Cache-Control"
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
