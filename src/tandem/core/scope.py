"""Where items live, and how a request reaches them.

Every item belongs to a partnership or, with no partnership, to the program level of its
workspace. Pages, the API and services take a *scope*: a ``Partnership`` or the ``Program``
stand-in, which answers the same questions (``pk`` for URLs, ``id`` for the item's
``partnership_id``, ``workspace_id``, ``is_program``, ``is_archived``, ``zone``). Only
workspace members reach the program level. ``partnership_for``/``scope_for`` look a scope up
through the actor (404 when it is not theirs), ``item_for`` one item in it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, Any, TypeVar, Union

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.core.access import Actor
from tandem.core.ids import parse_id

if TYPE_CHECKING:
    from tandem.accounts.models import Workspace
    from tandem.partners.models import Partnership

T = TypeVar("T", bound=Model)

PROGRAM = "program"  # the ``partnership_id`` of the program level in URLs


@dataclass(frozen=True)
class Program:
    workspace: Workspace  # as loaded with the actor (id, name, slug, data_version)

    pk = PROGRAM
    id = None
    is_program = True
    is_archived = False

    @property
    def zone(self) -> tzinfo:
        return timezone.get_default_timezone()

    @property
    def workspace_id(self) -> int:
        return self.workspace.pk

    @property
    def name(self) -> str:
        return f"{self.workspace.name} program"

    def __str__(self) -> str:
        return self.name


# Where an item lives: one partnership, or the program level of a workspace.
Scope = Union["Partnership", Program]


def partnership_model() -> type[Partnership]:
    """The partnership model, named by its app label as core's foreign keys name it: core
    imports no app."""
    return apps.get_model("partners", "Partnership")


def scope_of(item: Any) -> Scope:
    """The scope an item lives in: its partnership, or its workspace's program level."""
    if item.partnership_id is not None:
        return item.partnership
    return Program(item.workspace)


NOT_FOUND = "Not found, or you don't have access to it."


# Every page of a partnership loads it with these (its own fields, and of the people and the
# workspace only what pages show): fewer columns make the most frequent query cheaper.
@functools.cache
def partnership_columns() -> tuple[str, ...]:
    # Its meeting schedule too (a left join): the partnership's clock (``zone``), its next
    # meeting and its alerts read it, a query each otherwise.
    schedule = partnership_model()._meta.get_field("schedule").related_model
    return (
        *(field.name for field in partnership_model()._meta.concrete_fields),
        *(f"{person}__{name}" for person in ("owner", "sponsor") for name in ("name", "email")),
        *(f"workspace__{name}" for name in ("name", "slug", "data_version")),
        *(f"schedule__{field.name}" for field in schedule._meta.concrete_fields),
    )


def partnership_for(actor: Actor, pk: object, *, level: str = "view") -> Partnership:
    """The partnership ``pk`` if the actor may see it (else 404) and act at ``level``
    (``view``: anyone who sees it; ``manage``: workspace members only, else 403)."""
    try:
        partnership = (
            partnership_model()
            .objects.visible_to(actor)
            .select_related("workspace", "owner", "sponsor", "schedule")
            .only(*partnership_columns())
            .get(pk=int(str(pk)))
        )
    except (ObjectDoesNotExist, ValueError, OverflowError) as error:
        raise Http404(NOT_FOUND) from error
    if level == "manage" and not actor.is_member(partnership.workspace_id):
        raise PermissionDenied("Only members of the workspace can do that.")
    return partnership


def partnership_version(actor: Actor, pk: object) -> Partnership:
    """The partnership ``pk`` if the actor may see it (else 404), with only its id, its
    workspace and its data version loaded."""
    try:
        return (
            partnership_model()
            .objects.visible_to(actor)
            .only("id", "workspace_id", "data_version")
            .get(pk=int(str(pk)))
        )
    except (ObjectDoesNotExist, ValueError, OverflowError) as error:
        raise Http404(NOT_FOUND) from error


def scope_for(actor: Actor, pk: object, *, workspace: Any, level: str = "view") -> Scope:
    """A partnership, or for ``program`` the program level of the current workspace: members
    only, and a partner-side person is told it is not there, exactly like a partnership
    that is not theirs."""
    if pk == PROGRAM:
        if workspace is None or not actor.is_member(workspace.pk):
            raise Http404(NOT_FOUND)
        return Program(workspace)
    return partnership_for(actor, pk, level=level)


def item_for(queryset: QuerySet[T], actor: Actor, partnership: Scope, pk: object) -> T:
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
