"""Changing partnerships and their items. Pages and the API both call these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.items import ItemType
from tandem.core.markdown import render as render_markdown
from tandem.core.scope import Scope
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


# What a partnership must pass before it becomes active. Due diligence adds its rule (seed
# 002: no partnership becomes active without a go; tandem.relationship.diligence.apps), so
# this module imports no component built on partnerships.
BEFORE_ACTIVE: list[Callable[[Partnership], None]] = []


def _require_go(partnership: Partnership) -> None:
    for check in BEFORE_ACTIVE:
        check(partnership)


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


def _render_note(values: dict[str, Any]) -> None:
    """Stored rendered, in the same write, so pages never run Markdown; rendered here,
    before the write's transaction opens, so no write lock is held meanwhile."""
    if "body" in values:
        values["body_html"] = render_markdown(values["body"])


CONTACTS = ItemType(
    model=Contact,
    name="contact",
    label="contact",
    delete="partnership",
    logged=Contact.concurrency_fields,
)
NOTES = ItemType(
    model=Note,
    name="note",
    label="note",
    delete="partnership",
    defaults={"body": ""},
    render=_render_note,
    logged=Note.concurrency_fields,
)
ITEMS: dict[type[Contact] | type[Note], ItemType[Any]] = {Contact: CONTACTS, Note: NOTES}


def item_create(
    model: type[Contact] | type[Note], *, actor: Actor, partnership: Scope, **values: Any
) -> Contact | Note:
    return ITEMS[model].create(actor=actor, partnership=partnership, **values)


def item_update(
    item: Contact | Note, *, actor: Actor, version: int | None, **changes: Any
) -> Contact | Note:
    return ITEMS[type(item)].update(item, actor=actor, version=version, **changes)


def item_delete(item: Contact | Note, *, actor: Actor, version: int | None) -> None:
    ITEMS[type(item)].remove(item, actor=actor, version=version)


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
