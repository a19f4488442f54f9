"""Changing partnerships and their items. Pages and the API both call these."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.markdown import render as render_markdown
from tandem.core.policy import item_values, require_open
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
