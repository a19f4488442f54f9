from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from tandem.core.middleware import current_workspace


def navigation(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs: the current workspace, the others, partner-side seats.
    Computed lazily so pages that never render the layout pay nothing."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {}

    def workspaces() -> list[Any]:
        from tandem.accounts.models import Workspace

        return list(Workspace.objects.filter(pk__in=actor.workspace_ids))

    def partner_seats() -> list[Any]:
        from tandem.partners.models import Partnership

        return list(
            Partnership.objects.visible_to(actor)
            .filter(pk__in=sorted(actor.partner_partnerships))
            .select_related("workspace")
        )

    return {
        "actor": actor,
        "current_workspace": lambda: current_workspace(request),
        "my_workspaces": workspaces,
        "partner_seats": partner_seats,
    }
