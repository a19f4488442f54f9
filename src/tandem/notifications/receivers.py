"""What every item type shares, told through ``tandem.core.services.written``: an owner
given by someone else ("assigned to you") and a mention (``@name``) in a note, an issue or a
meeting headline."""

from __future__ import annotations

from typing import Any

from django.db import models

from tandem.core.access import Actor
from tandem.notifications.models import Kind
from tandem.notifications.services import mentionable, mentioned, notify, url_of

# Text fields that may mention people, per item model.
MENTION_FIELDS: dict[str, tuple[str, ...]] = {
    "partners.note": ("title", "body"),
    "issues.issue": ("title", "details"),
    "meetings.headline": ("text",),
}
# Items whose owner is told otherwise: the person who should answer an ask hears of "an ask
# waiting for you" from the asks themselves.
TOLD_OTHERWISE = frozenset({"asks.ask"})


def on_written(
    sender: type[models.Model],
    *,
    item: models.Model,
    actor: Actor,
    before: dict[str, Any] | None,
    **kwargs: Any,
) -> None:
    label = sender._meta.label_lower
    if label not in TOLD_OTHERWISE:
        _assigned(item, actor, before)
    if label in MENTION_FIELDS:
        _mentions(item, actor, before, MENTION_FIELDS[label])


def _assigned(item: models.Model, actor: Actor, before: dict[str, Any] | None) -> None:
    """The new owner of an item, when someone else made them its owner."""
    owner_id = getattr(item, "owner_id", None)
    if owner_id is None or (before is not None and "owner" not in before):
        return
    if actor.user is not None and owner_id == actor.user.pk:
        return
    who = actor.user.get_full_name() if actor.user is not None else "Someone"
    notify(
        recipients=[item.owner],  # type: ignore[attr-defined]
        kind=Kind.ASSIGNED,
        item=item,
        text=f"{who} gave you the {item._meta.verbose_name} “{item}”",
        url=url_of(item),
        actor=actor,
    )


def _mentions(
    item: models.Model, actor: Actor, before: dict[str, Any] | None, fields: tuple[str, ...]
) -> None:
    """The people newly named in the item's text, among those who may see it."""
    now = " ".join(str(getattr(item, name, "") or "") for name in fields)
    if "@" not in now:
        return
    if before is not None and not any(name in before for name in fields):
        return
    people = mentionable(
        item.workspace_id,  # type: ignore[attr-defined]
        item.partnership if getattr(item, "partnership_id", None) else None,  # type: ignore[attr-defined]
        getattr(item, "visibility", ""),
    )
    named = mentioned(now, people)
    if before is not None:
        earlier = " ".join(str(before.get(name, getattr(item, name, "")) or "") for name in fields)
        already = {person.pk for person in mentioned(earlier, people)}
        named = [person for person in named if person.pk not in already]
    if not named:
        return
    who = actor.user.get_full_name() if actor.user is not None else "Someone"
    notify(
        recipients=named,
        kind=Kind.MENTION,
        item=item,
        text=f"{who} mentioned you in the {item._meta.verbose_name} “{item}”",
        url=url_of(item),
        actor=actor,
    )
