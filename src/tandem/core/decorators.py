"""The access level of every page, declared once on the view and enforced here.

``@access("partnership")`` resolves ``partnership_id`` through the actor's scope (404 when it
is not there or not theirs) and hands the view a ``partnership`` (or, with ``program=True``
and the id ``program``, the current workspace's program level: tandem.core.scope).
``"partnership_manage"`` also requires a workspace member (403 for a partner-side user who
can see it). The access test reads ``view.access_level`` from every URL pattern, so a new
page without a level fails.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from tandem.core.http import TandemRequest
from tandem.core.middleware import current_workspace

LEVELS = {
    "public": "anyone, signed in or not",
    "user": "anyone signed in",
    "member": "members of the current workspace",
    "admin": "owners and admins of the current workspace",
    "partnership": "anyone who can see the partnership, on either side",
    "partnership_manage": "members of the partnership's workspace",
}


def access(
    level: str, *, program: bool = False, lean: bool = False
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """``program=True``: a partnership page that also serves the program level (the id
    ``program``), for workspace members; other pages answer 404 to that id. ``lean=True``:
    the view gets the partnership with its id, workspace and data version only (a poll that
    mostly answers "nothing new"), checked by the same rule."""
    if level not in LEVELS:
        raise ValueError(f"Unknown access level {level!r}")

    def decorate(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: TandemRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            actor = request.actor
            if level != "public" and not actor.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if level in {"member", "admin"}:
                workspace = current_workspace(request)
                if workspace is None:
                    raise PermissionDenied("This page is for members of a workspace.")
                if level == "admin" and not actor.is_admin(workspace.pk):
                    raise PermissionDenied("Only owners and admins can do that.")
                kwargs["workspace"] = workspace
            if level == "partnership" and lean:
                from tandem.core.scope import partnership_version

                kwargs["partnership"] = partnership_version(actor, kwargs.pop("partnership_id"))
            elif level.startswith("partnership"):
                from tandem.core.scope import scope_for

                kwargs["partnership"] = scope_for(
                    actor,
                    kwargs.pop("partnership_id"),
                    workspace=current_workspace(request) if program else None,
                    level="manage" if level == "partnership_manage" else "view",
                )
            return view(request, *args, **kwargs)

        wrapped.access_level = level  # type: ignore[attr-defined]
        wrapped.program_level = program  # type: ignore[attr-defined]
        return wrapped

    return decorate
