"""Reading partnerships and their items, always through the requesting actor."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, Q, QuerySet

from tandem.core.access import Actor
from tandem.core.models import ActivityEntry
from tandem.partners.models import Partnership, PartnershipQuerySet

T = TypeVar("T", bound=Model)


SORTS = {
    "name": ("name",),
    "-name": ("-name",),
    "stage": ("stage", "name"),
    "-stage": ("-stage", "name"),
    "updated": ("updated_at", "name"),
    "-updated": ("-updated_at", "name"),
    "hours": ("hours_per_week", "name"),
    "-hours": ("-hours_per_week", "name"),
}


def portfolio(
    actor: Actor,
    *,
    workspace_id: int | None = None,
    stage: str | None = "",
    horizon: str | None = "",
    kind: str | None = "",
    owner: int | None = None,
    q: str | None = "",
    sort: str = "name",
    archived: bool = False,
) -> PartnershipQuerySet:
    """The partnerships the actor sees (in one workspace, if given), filtered, searched and
    sorted (an empty or None filter: any). The portfolio page and the API list both read
    through here."""
    partnerships = Partnership.objects.visible_to(actor)
    if workspace_id:
        partnerships = partnerships.filter(workspace_id=workspace_id)
    partnerships = partnerships.filter(archived_at__isnull=not archived)
    if stage:
        partnerships = partnerships.filter(stage=stage)
    if horizon:
        partnerships = partnerships.filter(horizon=horizon)
    if kind:
        partnerships = partnerships.filter(kind=kind)
    if owner:
        partnerships = partnerships.filter(owner_id=owner)
    if q:
        partnerships = partnerships.filter(Q(name__icontains=q) | Q(summary__icontains=q))
    order = (*SORTS.get(sort, ("name",)), "id")
    return partnerships.select_related("owner", "sponsor").order_by(*order)


def activity_for(actor: Actor, partnership: Partnership) -> QuerySet[ActivityEntry]:
    return (
        ActivityEntry.objects.visible_to(actor)
        .filter(partnership=partnership)
        .select_related("actor")
    )
