"""Reading partnerships and their items, always through the requesting actor."""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tandem.core.access import Actor
from tandem.core.ids import parse_id
from tandem.core.models import ActivityEntry
from tandem.partners.models import Partnership, PartnershipQuerySet
from tandem.partners.scope import PROGRAM, Program

T = TypeVar("T", bound=Model)

NOT_FOUND = "Not found, or you don't have access to it."

# Every page of a partnership loads it with these (its own fields, and of the people and the
# workspace only what pages show): fewer columns make the most frequent query cheaper.
PARTNERSHIP_COLUMNS = (
    *(field.name for field in Partnership._meta.concrete_fields),
    *(f"{person}__{name}" for person in ("owner", "sponsor") for name in ("name", "email")),
    *(f"workspace__{name}" for name in ("name", "slug", "data_version")),
)

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


def partnership_for(actor: Actor, pk: object, *, level: str = "view") -> Partnership:
    """The partnership ``pk`` if the actor may see it (else 404) and act at ``level``
    (``view``: anyone who sees it; ``manage``: workspace members only, else 403)."""
    try:
        partnership = (
            Partnership.objects.visible_to(actor)
            .select_related("workspace", "owner", "sponsor")
            .only(*PARTNERSHIP_COLUMNS)
            .get(pk=int(str(pk)))
        )
    except (Partnership.DoesNotExist, ValueError, OverflowError) as error:
        raise Http404(NOT_FOUND) from error
    if level == "manage" and not actor.is_member(partnership.workspace_id):
        raise PermissionDenied("Only members of the workspace can do that.")
    return partnership


def partnership_version(actor: Actor, pk: object) -> Partnership:
    """The partnership ``pk`` if the actor may see it (else 404), with only its id, its
    workspace and its data version loaded."""
    try:
        return (
            Partnership.objects.visible_to(actor)
            .only("id", "workspace_id", "data_version")
            .get(pk=int(str(pk)))
        )
    except (Partnership.DoesNotExist, ValueError, OverflowError) as error:
        raise Http404(NOT_FOUND) from error


def scope_for(
    actor: Actor, pk: object, *, workspace: Any, level: str = "view"
) -> Partnership | Program:
    """A partnership, or for ``program`` the program level of the current workspace: members
    only, and a partner-side person is told it is not there, exactly like a partnership
    that is not theirs."""
    if pk == PROGRAM:
        if workspace is None or not actor.is_member(workspace.pk):
            raise Http404(NOT_FOUND)
        return Program(workspace)
    return partnership_for(actor, pk, level=level)


def item_for(
    queryset: QuerySet[T], actor: Actor, partnership: Partnership | Program, pk: object
) -> T:
    """One item of a partnership (or of the program level), through the actor's scope.
    Wrong partnership → 404. The item holds the partnership already loaded, so what the
    services ask of it (open? its clock?) costs no query."""
    try:
        item = queryset.visible_to(actor).get(  # type: ignore[attr-defined]
            workspace_id=partnership.workspace_id, partnership_id=partnership.id, pk=parse_id(pk)
        )
    except queryset.model.DoesNotExist as error:  # type: ignore[attr-defined]
        raise Http404(NOT_FOUND) from error
    if not partnership.is_program:
        item.partnership = partnership
    return item


def portfolio(
    actor: Actor,
    *,
    workspace_id: int | None = None,
    stage: str = "",
    horizon: str = "",
    kind: str = "",
    owner: int | None = None,
    q: str = "",
    sort: str = "name",
    archived: bool = False,
) -> PartnershipQuerySet:
    """The partnerships the actor sees (in one workspace, if given), filtered, searched and
    sorted. The portfolio page and the API list both read through here."""
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
