"""Changing to-dos. Pages and the API both call these."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import check_owner, item_values, people_of, require_open
from tandem.core.scope import scope_of
from tandem.partners.models import Partnership
from tandem.traction.models import Todo, default_due

TODO_FIELDS = Todo.concurrency_fields


def check_due(due_on: date | None) -> None:
    """Any date in the one window (``core.params``): a to-do or rock may be due next week or
    years on; what the window keeps out is a slip of the keyboard."""
    core.check_date("due_on", due_on)


def todo_create(
    *,
    actor: Actor,
    partnership: Partnership,
    title: str,
    owner: User | None = None,
    due_on: date | None = None,
    details: str = "",
    repeat: str = "",
    visibility: str = Visibility.SHARED,
) -> Todo:
    """A new to-do, owned by whoever adds it unless they name someone, due in 7 days."""
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    values = item_values(actor, partnership, {"visibility": visibility})
    owner = owner if owner is not None else actor.user
    check_owner(partnership, owner, values["visibility"])
    check_due(due_on)
    todo = Todo(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.id,
        title=(title or "").strip(),
        details=details or "",
        owner=owner,
        due_on=due_on or default_due(),
        repeat=repeat or "",
        visibility=values["visibility"],
    )
    todo.repeat_day = todo.due_on.day if todo.repeat == "monthly" else None
    core.create(todo, actor=actor, fields=("title", "owner", "due_on", "repeat", "visibility"))
    return todo


def todo_update(todo: Todo, *, actor: Actor, version: int | None, **changes: Any) -> Todo:
    actor.require(actor.can_change(todo))
    partnership = scope_of(todo)
    require_open(partnership)  # type: ignore[arg-type]
    unknown = set(changes) - set(TODO_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = item_values(actor, partnership, changes)  # type: ignore[arg-type]
    if "owner" in changes and changes["owner"] != todo.owner or "visibility" in changes:
        # Only an owner being set (or an item becoming internal) is checked: an untouched
        # owner who has since left does not block an edit of the title.
        check_owner(
            partnership,  # type: ignore[arg-type]
            changes.get("owner", todo.owner),
            changes.get("visibility", todo.visibility),
        )
    check_due(changes.get("due_on"))
    if changes.get("repeat", todo.repeat) == "monthly" and (
        "due_on" in changes or "repeat" in changes
    ):
        changes["repeat_day"] = changes.get("due_on", todo.due_on).day
    core.update(todo, actor=actor, version=version, changes=changes)
    return todo


def todo_set_done(todo: Todo, *, actor: Actor, version: int | None, done: bool) -> Todo:
    """Tick a to-do off (or reopen it). A repeating to-do, once done, comes back with its
    next due date — once, however often it is ticked and unticked."""
    actor.require(actor.can_change(todo))
    require_open(scope_of(todo))
    core.check_version(todo, version)
    if done == todo.is_done:
        return todo
    with transaction.atomic():
        core.update(
            todo,
            actor=actor,
            version=version,
            changes={"done_at": timezone.now() if done else None},
            verb="completed" if done else "reopened",
        )
        next_due = todo.next_due()
        if done and next_due and not Todo.objects.filter(repeated_from=todo).exists():
            owner = todo.owner
            if (
                owner
                and not people_of(scope_of(todo), visibility=todo.visibility)
                .filter(  # type: ignore[arg-type]
                    pk=owner.pk
                )
                .exists()
            ):
                owner = None  # they left the partnership: the next one waits for an owner
            follow_up = Todo(
                workspace_id=todo.workspace_id,
                partnership_id=todo.partnership_id,
                title=todo.title,
                details=todo.details,
                owner=owner,
                repeat_day=todo.repeat_day,
                due_on=next_due,
                repeat=todo.repeat,
                visibility=todo.visibility,
                repeated_from=todo,
            )
            core.create(follow_up, actor=actor, fields=("title", "due_on"))
    return todo


def todo_delete(todo: Todo, *, actor: Actor, version: int | None) -> None:
    actor.require(actor.can_change(todo))
    require_open(scope_of(todo))
    core.delete(todo, actor=actor, version=version)
