"""The write path every service uses: one transaction, a version check, an activity entry.

Services for each component (``partners.services`` …) validate their own rules and then call
``create``, ``update`` or ``delete`` here, so optimistic concurrency and the activity log are
written once for the whole product.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models, transaction
from django.db.models import F
from django.dispatch import Signal
from django.utils import timezone

from tandem.core import params, text
from tandem.core.access import Actor, Visibility
from tandem.core.errors import Conflict, InvalidInput, display
from tandem.core.models import ActivityEntry, ActivityMention, Versioned, follows_its_item
from tandem.core.scope import partnership_model

# Sent inside the write's transaction after ``create`` (``before=None``) and after an
# ``update`` that changed fields (``before``: their earlier values), with ``item`` and
# ``actor``: notifications listen (an owner given, a mention) while core imports no app.
written = Signal()


def clean(instance: models.Model, **options: Any) -> None:
    """The model's own validation, as a refusal a person can read (never a 500)."""
    errors: dict[str, list[str]] = {}
    for field in instance._meta.concrete_fields:
        value = getattr(instance, field.attname)
        # full_clean lets None through on blank=True text fields; the database would not.
        if (
            value is None
            and not field.null
            and isinstance(field, models.CharField | models.TextField)
        ):
            errors[field.name] = ["Send an empty string rather than null."]
        if isinstance(value, str):
            if isinstance(field, models.CharField):
                value = text.tidy(value)
                setattr(instance, field.attname, value)
                problem = text.line_problem(value)
            else:
                problem = text.body_problem(value)
            if problem:
                errors[field.name] = [f"{str(field.verbose_name).capitalize()}: {problem}"]
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)


def check_date(field: str, value: date | None) -> None:
    """A date a person typed: refused outside 2000–2100, where it is surely a slip."""
    if value is not None and not params.EARLIEST <= value <= params.LATEST:
        raise InvalidInput.on(field, params.DATE_MESSAGE)


def short_note(note: str | None, *, field: str = "note", limit: int = 500) -> str:
    """A one-line note that goes with a mark or a verdict: tidied, and refused when too long
    or holding what a title may not, as ``clean`` would."""
    note = text.line(field, note or "")
    if len(note) > limit:
        raise InvalidInput.on(field, f"Keep the note under {limit} characters.")
    return note


def tidied(instance: models.Model, changes: dict[str, Any]) -> dict[str, Any]:
    """``changes`` with names and titles in the one spelling ``clean`` stores, so that an edit
    that only adds a trailing space changes nothing."""
    tidy = {}
    for name, value in changes.items():
        if isinstance(value, str):
            try:
                field = instance._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if isinstance(field, models.CharField):
                value = text.tidy(value)
        tidy[name] = value
    return tidy


def validate(instance: models.Model, changes: dict[str, Any]) -> None:
    """Run the model's own validation on the row as it would be after ``changes``."""
    candidate = copy.copy(instance)
    for name, value in changes.items():
        setattr(candidate, name, value)
    clean(candidate, validate_unique=False, validate_constraints=False)


def _label(instance: models.Model) -> str:
    return str(instance)[:200]


def _display_value(instance: models.Model, name: str, value: Any) -> str:
    field = instance._meta.get_field(name)
    if getattr(field, "choices", None):
        choices = dict(getattr(field, "flatchoices", ()))
        return str(choices.get(value, value)) if value else "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return display(value)


def _visibility_of(instance: models.Model, *values: Any) -> str:
    """An entry is shared only when the item was and stays shared, and the change names no
    internal item (a shared rock linked to an internal goal: the goal's title is in the
    change), fail closed. ``values`` are earlier visibilities or the related items named."""
    fixed = getattr(instance, "activity_visibility", None)
    if fixed:
        return fixed
    seen = {
        getattr(instance, "visibility", Visibility.INTERNAL),
        *(getattr(value, "visibility", value) for value in values if value is not None),
    }
    return Visibility.INTERNAL if Visibility.INTERNAL in seen else Visibility.SHARED


def _related(instance: models.Model, values: dict[str, Any]) -> list[Any]:
    """The items a change names through its foreign keys (as loaded, no extra query)."""
    return [
        value
        for name, value in values.items()
        if isinstance(value, models.Model) and instance._meta.get_field(name).is_relation
    ]


def _scope(instance: models.Model) -> tuple[int, int | None]:
    if hasattr(instance, "workspace_id") and instance._meta.model_name == "partnership":
        return instance.workspace_id, instance.pk
    return instance.workspace_id, getattr(instance, "partnership_id", None)  # type: ignore[attr-defined]


def touch(workspace_id: int, partnership_id: int | None) -> None:
    """Move the data versions on, so what is derived from this workspace and partnership
    looks again (a live meeting's poll, the dashboard's standings). ``record`` does this for
    every change; a change that is not news (a vote, a recap sent) calls it alone."""
    apps.get_model("accounts", "Workspace").objects.filter(pk=workspace_id).update(
        data_version=F("data_version") + 1
    )
    if partnership_id is not None:
        partnership_model().objects.filter(pk=partnership_id).update(
            data_version=F("data_version") + 1
        )
        from tandem.core import live

        live.announce([partnership_id])  # once committed, its live meeting pages hear of it


def touch_partnerships(ids: Any) -> None:
    """Move on the data version of several partnerships (ids, or a query of them) in one
    query. For changes beside a ``record``, which moves the workspace's."""
    partnership_model().objects.filter(pk__in=ids).update(data_version=F("data_version") + 1)
    from tandem.core import live

    live.announce(ids)


def record(
    *,
    actor: Actor,
    verb: str,
    target: models.Model,
    changes: dict[str, list[str]] | None = None,
    visibility: str | None = None,
    gone: bool = False,
    mentions: Iterable[models.Model] = (),
) -> ActivityEntry:
    """Write the activity entry for a change, and move the data versions of its workspace and
    partnership on, in the caller's transaction: every change anyone can see passes here.
    ``mentions``: the other items the change names (their titles are in ``changes``)."""
    workspace_id, partnership_id = _scope(target)
    touch(workspace_id, partnership_id)
    entry = ActivityEntry.objects.create(
        workspace_id=workspace_id,
        partnership_id=partnership_id,
        visibility=visibility or _visibility_of(target),
        actor=actor.user,
        verb=verb,
        target_type=str(target._meta.verbose_name),
        target_model=target._meta.label_lower,
        target_id=target.pk,
        target_gone=gone,
        target_label=_label(target),
        changes=changes or {},
    )
    named = [item for item in mentions if follows_its_item(type(item)) == "item"]
    ActivityMention.objects.bulk_create(
        ActivityMention(
            entry=entry,
            target_model=item._meta.label_lower,
            target_id=item.pk,
            visibility=item.visibility,  # type: ignore[attr-defined]
        )
        for item in named
    )
    return entry


def create(instance: Versioned, *, actor: Actor, fields: tuple[str, ...] = ()) -> Versioned:
    """Save a new row and record who created it."""
    with transaction.atomic():
        if hasattr(instance, "created_by_id") and actor.user is not None:
            instance.created_by = actor.user  # type: ignore[attr-defined]
        clean(instance)
        instance.save()
        changes = {
            name: ["", _display_value(instance, name, getattr(instance, name))]
            for name in fields
            if getattr(instance, name) not in (None, "")
        }
        named = _related(instance, {name: getattr(instance, name) for name in fields})
        record(
            actor=actor,
            verb="created",
            target=instance,
            changes=changes,
            visibility=_visibility_of(instance, *named),
            mentions=named,
        )
        written.send(sender=type(instance), item=instance, actor=actor, before=None)
    return instance


def check_version(
    instance: Versioned,
    version: int | str | None,
    *,
    attempted: dict[str, Any] | None = None,
    message: str = "Someone else changed this while you were editing.",
) -> int:
    """Refuse an action based on a version someone else has replaced; answer the version,
    read as a number. Every versioned action asks this first — before deciding that there
    is nothing to do — so two people ticking a to-do done and not done from the same page
    are never both told they won."""
    try:
        checked = None if version is None else int(version)
    except (TypeError, ValueError):
        checked = None
    if checked is None or checked != instance.version:
        current = type(instance)._base_manager.filter(pk=instance.pk).first() or instance
        raise Conflict(
            message,
            current=current,
            attempted=attempted or {},
            fields=instance.concurrency_fields or tuple(attempted or ()),
        )
    return checked


def update(
    instance: Versioned,
    *,
    actor: Actor,
    version: int | None,
    changes: dict[str, Any],
    verb: str = "updated",
    visibility: str | None = None,
    logged: dict[str, list[str]] | None = None,
    message: str = "Someone else changed this while you were editing.",
) -> Versioned:
    """Apply ``changes`` if nobody changed the row since ``version``; else raise Conflict.

    The UPDATE itself carries the version condition, so two writers racing past the first
    check still cannot both win. ``visibility``: the entry's, when the caller decides it
    (else from the item and what the change names). ``logged``: the entry's changes, when
    the caller words them (a change to rows beside this one): the row's version moves on
    even when none of its own fields change. ``message``: what a stale version is told.
    """
    changes = tidied(instance, changes)
    checked = check_version(instance, version, attempted=changes, message=message)
    diff = {name: value for name, value in changes.items() if getattr(instance, name) != value}
    if not diff and logged is None:
        return instance
    validate(instance, diff)
    old_values = {name: getattr(instance, name) for name in diff}
    with transaction.atomic():
        write(instance, version=checked, changes=diff, attempted=changes, message=message)
        earlier = (old_values["visibility"],) if "visibility" in old_values else ()
        named = _related(instance, old_values) + _related(instance, diff)
        record(
            actor=actor,
            verb=verb,
            target=instance,
            visibility=visibility or _visibility_of(instance, *earlier, *named),
            mentions=named,
            changes=logged
            if logged is not None
            else {
                name: [
                    _display_value(instance, name, old_values[name]),
                    _display_value(instance, name, value),
                ]
                for name, value in diff.items()
                if instance._meta.get_field(name).editable  # derived fields are not news
            },
        )
        written.send(sender=type(instance), item=instance, actor=actor, before=old_values)
    return instance


def write(
    instance: Versioned,
    *,
    version: int | str | None,
    changes: dict[str, Any],
    attempted: dict[str, Any] | None = None,
    message: str = "Someone else changed this while you were editing.",
) -> Versioned:
    """The version-checked UPDATE itself, and the only one: refuse a stale ``version``
    (``check_version``), then write ``changes`` on condition that the version is still that
    one, moving it on, so two writers racing past the check cannot both win. No activity
    entry: ``update`` records one, and a caller that writes something else (a meeting's
    clock, a measurable's period value) records its own or none. ``attempted``: what a
    conflict shows as sent (default ``changes``)."""
    model = type(instance)
    attempted = changes if attempted is None else attempted
    checked = check_version(instance, version, attempted=attempted, message=message)
    with transaction.atomic():
        updated = model._base_manager.filter(pk=instance.pk, version=checked).update(
            version=F("version") + 1, updated_at=timezone.now(), **changes
        )
        if not updated:
            current = model._base_manager.get(pk=instance.pk)
            fields = instance.concurrency_fields or tuple(attempted)
            raise Conflict(message, current=current, attempted=attempted, fields=fields)
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version = checked + 1
    return instance


def delete(instance: Versioned, *, actor: Actor, version: int | None) -> bool:
    """Delete a row that nobody changed since ``version``; False when it was already gone."""
    model = type(instance)
    with transaction.atomic():
        rows = model._base_manager.filter(pk=instance.pk)
        # No version read: nothing matches, and the row that is there is the conflict.
        deleted, _ = (rows.none() if version is None else rows.filter(version=version)).delete()
        if not deleted:
            current = model._base_manager.filter(pk=instance.pk).first()
            if current is None:
                return False
            raise Conflict(
                "Someone else changed this since you opened it; review it before deleting.",
                current=current,
                attempted={},
            )
        forget(instance)
        record(actor=actor, verb="deleted", target=instance, gone=True)
    return True


def forget(instance: models.Model) -> None:
    """After ``instance`` is deleted, its activity keeps the visibility the item had last:
    nobody can ask the item any more (``ActivityQuerySet.visible_to``)."""
    gone: dict[str, Any] = {"target_gone": True}
    if _visibility_of(instance) == Visibility.INTERNAL:
        gone["visibility"] = Visibility.INTERNAL
    key = {"target_model": instance._meta.label_lower, "target_id": instance.pk}
    ActivityEntry.objects.filter(**key).update(**gone)
    ActivityMention.objects.filter(**key).update(**gone)
