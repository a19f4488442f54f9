from __future__ import annotations

from functools import cache
from typing import Any

from tandem.core.http import TandemRequest
from tandem.core.middleware import current_workspace


def navigation(request: TandemRequest) -> dict[str, Any]:
    """What the layout needs: the current workspace, the others, partner-side seats.
    Each is computed once, and only if the page shows it."""
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return {}

    @cache
    def partner_seats() -> list[Any]:
        if not actor.partner_partnerships:
            return []
        from tandem.partners.models import Partnership

        return list(
            Partnership.objects.visible_to(actor)
            .filter(pk__in=sorted(actor.partner_partnerships))
            .select_related("workspace")
            .only("name", "workspace__name")
        )

    return {
        "actor": actor,
        "current_workspace": lambda: current_workspace(request),
        "my_workspaces": actor.workspaces,
        "partner_seats": partner_seats,
    }
