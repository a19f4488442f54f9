"""What every item of a partnership or of the program obeys: who writes which visibility,
when the scope is closed to changes, and who may own an item."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Q, QuerySet

from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.models import shares_program_items
from tandem.core.scope import Scope

if TYPE_CHECKING:
    from tandem.accounts.models import User


def item_values(
    actor: Actor,
    partnership: Scope,
    values: dict[str, Any],
    *,
    model: type[models.Model] | None = None,
) -> dict[str, Any]:
    """Partner-side people only ever write shared items; program-level items are the
    workspace's own, so they are internal whatever was asked — except for a ``model`` whose
    program items are stated to partners (``shares_program_items``): members choose."""
    if partnership.is_program:
        if not shares_program_items(model):
            values["visibility"] = Visibility.INTERNAL
        return values
    if not actor.is_member(partnership.workspace_id):
        if values.get("visibility", Visibility.SHARED) != Visibility.SHARED:
            raise InvalidInput(
                "Items you add are shared with both sides.",
                errors={"visibility": ["Partner-side people can only add shared items."]},
            )
        values["visibility"] = Visibility.SHARED
    return values


def require_open(partnership: Scope) -> None:
    if partnership.is_archived:
        raise InvalidInput("This partnership is archived. Restore it to make changes.")


def people_of(partnership: Scope, *, visibility: str | None = Visibility.SHARED) -> QuerySet[User]:
    """Who can own an item of this partnership: its workspace's members and, for shared
    items, its partner-side people. An internal item is never owned by someone who cannot
    see it."""
    condition = Q(memberships__workspace_id=partnership.workspace_id)
    if visibility == Visibility.SHARED and not partnership.is_program:
        condition |= Q(partner_accesses__partnership=partnership)
    return (
        get_user_model()
        .objects.filter(condition, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


def check_owner(partnership: Scope, owner: User | None, visibility: str | None) -> None:
    if (
        owner is not None
        and not people_of(partnership, visibility=visibility).filter(pk=owner.pk).exists()
    ):
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={
                "owner": [
                    "Choose someone from this partnership."
                    if visibility == Visibility.SHARED
                    else "An internal item is owned by someone from your workspace."
                ]
            },
        )
