"""Changing partnerships and their items. Pages and the API both call these."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.markdown import render as render_markdown
from tandem.core.models import shares_program_items
from tandem.partners.models import Contact, Note, Partnership, Stage, StageChange

EDITABLE_FIELDS = Partnership.concurrency_fields


def _check_people(workspace_id: int, values: dict[str, Any]) -> None:
    """The day-to-day owner and the executive sponsor are members of the workspace."""
    errors: dict[str, list[str]] = {}
    for name in ("owner", "sponsor"):
        person = values.get(name)
        if person is None:
            continue
        if not members_of(workspace_id).filter(pk=person.pk).exists():
            errors[name] = ["Choose a member of this workspace."]
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)


def partnership_create(*, actor: Actor, workspace_id: int, **values: Any) -> Partnership:
    actor.require(actor.is_member(workspace_id))
    unknown = set(values) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    _check_people(workspace_id, values)
    with transaction.atomic():
        partnership = Partnership(workspace_id=workspace_id, **values)
        if partnership.stage == Stage.ACTIVE:
            _require_go(partnership)
        core.create(partnership, actor=actor, fields=EDITABLE_FIELDS)
        StageChange.objects.create(
            partnership=partnership,
            from_stage="",
            to_stage=partnership.stage,
            changed_by=actor.user,
        )
    return partnership


def partnership_update(
    *, actor: Actor, partnership: Partnership, version: int | None, **changes: Any
) -> Partnership:
    actor.require(actor.is_member(partnership.workspace_id))
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    _check_people(partnership.workspace_id, changes)
    previous_stage = partnership.stage
    with transaction.atomic():
        if changes.get("stage") == Stage.ACTIVE and previous_stage != Stage.ACTIVE:
            _require_go(partnership)
        core.update(partnership, actor=actor, version=version, changes=changes)
        if partnership.stage != previous_stage:
            StageChange.objects.create(
                partnership=partnership,
                from_stage=previous_stage,
                to_stage=partnership.stage,
                changed_by=actor.user,
            )
    return partnership


def _require_go(partnership: Partnership) -> None:
    """Seed 002: no partnership becomes active without due diligence ending in a go."""
    from tandem.relationship.diligence.services import require_go

    require_go(partnership)


def partnership_archive(
    *, actor: Actor, partnership: Partnership, version: int | None, archived: bool = True
) -> Partnership:
    """Archive (or restore) a partnership: it leaves the portfolio but keeps its history."""
    actor.require(actor.is_member(partnership.workspace_id))
    core.check_version(partnership, version)
    if archived == partnership.is_archived:
        return partnership
    core.update(
        partnership,
        actor=actor,
        version=version,
        changes={"archived_at": timezone.now() if archived else None},
        verb="archived" if archived else "restored",
    )
    return partnership


def item_values(
    actor: Actor,
    partnership: Partnership,
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


def require_open(partnership: Partnership) -> None:
    if partnership.is_archived:
        raise InvalidInput("This partnership is archived. Restore it to make changes.")


def item_create(
    model: type[Contact] | type[Note], *, actor: Actor, partnership: Partnership, **values: Any
) -> Contact | Note:
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    values = item_values(actor, partnership, values)
    item = model(workspace_id=partnership.workspace_id, partnership=partnership, **values)
    if isinstance(item, Note):
        # Stored rendered, so pages never run Markdown; rendered here, before core.create
        # opens its transaction, so no write lock is held meanwhile.
        item.body_html = render_markdown(item.body)
    core.create(item, actor=actor, fields=tuple(values))
    return item


def item_update(
    item: Contact | Note, *, actor: Actor, version: int | None, **changes: Any
) -> Contact | Note:
    actor.require(actor.can_change(item))
    require_open(item.partnership)  # type: ignore[arg-type]
    changes = item_values(actor, item.partnership, changes)  # type: ignore[arg-type]
    if isinstance(item, Note) and "body" in changes:
        # Stored rendered, in the same UPDATE, so pages never run Markdown; rendered before
        # core.update opens its transaction, so no write lock is held meanwhile.
        changes["body_html"] = render_markdown(changes["body"])
    core.update(item, actor=actor, version=version, changes=changes)
    return item


def item_delete(item: Contact | Note, *, actor: Actor, version: int | None) -> None:
    actor.require(actor.can_change(item))
    require_open(item.partnership)  # type: ignore[arg-type]
    core.delete(item, actor=actor, version=version)


def people_of(partnership: Partnership, *, visibility: str = Visibility.SHARED) -> QuerySet[User]:
    """Who can own an item of this partnership: its workspace's members and, for shared
    items, its partner-side people. An internal item is never owned by someone who cannot
    see it."""
    condition = Q(memberships__workspace_id=partnership.workspace_id)
    if visibility == Visibility.SHARED and not partnership.is_program:
        condition |= Q(partner_accesses__partnership=partnership)
    return User.objects.filter(condition, is_active=True).distinct().order_by("name", "email")


def check_owner(partnership: Partnership, owner: User | None, visibility: str) -> None:
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


def partner_people_of(partnership: Partnership) -> QuerySet[User]:
    """The partner-side people of a partnership (those with access to it)."""
    return User.objects.filter(partner_accesses__partnership=partnership, is_active=True).order_by(
        "name", "email"
    )


def members_of(workspace_id: int) -> QuerySet[User]:
    """The people who can own or sponsor a partnership of this workspace."""
    return User.objects.filter(memberships__workspace_id=workspace_id, is_active=True).order_by(
        "name", "email"
    )


STAGE_ORDER = [choice for choice, _ in Stage.choices]
