"""To-dos: the item type, declared once, and ticking one off. Pages and the API both write
through ``TODOS``."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.items import ItemType, checks, text_fields
from tandem.core.policy import people_of, require_open
from tandem.core.scope import Scope, scope_of
from tandem.traction.forms import TodoForm
from tandem.traction.models import Repeat, Todo, default_due


def check_due(due_on: date | None) -> None:
    """Any date in the one window (``core.params``): a to-do or rock may be due next week or
    years on; what the window keeps out is a slip of the keyboard."""
    core.check_date("due_on", due_on)


def _check(values: dict[str, Any]) -> None:
    check_due(values.get("due_on"))


def _validate(actor: Actor, scope: Scope, values: dict[str, Any], todo: Todo | None) -> None:
    """A new to-do is owned by whoever adds it unless they name someone. A monthly to-do
    keeps the day of the month it was set for."""
    if todo is None:
        if values.get("owner") is None:
            values["owner"] = actor.user
        if values.get("repeat") == Repeat.MONTHLY:
            values["repeat_day"] = values["due_on"].day
    elif values.get("repeat", todo.repeat) == Repeat.MONTHLY and (
        "due_on" in values or "repeat" in values
    ):
        values["repeat_day"] = values.get("due_on", todo.due_on).day


TODOS = ItemType(
    model=Todo,
    name="todo",
    label="to-do",
    form=TodoForm,
    program=True,
    delete="partnership",
    defaults={
        "visibility": Visibility.SHARED,
        "due_on": lambda scope: default_due(),
        "details": "",
        "repeat": "",
    },
    check=checks(_check, text_fields("title")),
    validate=_validate,
    logged=("title", "owner", "due_on", "repeat", "visibility"),
)

todo_create = TODOS.create
todo_update = TODOS.update


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
            people = people_of(scope_of(todo), visibility=todo.visibility)
            if owner and not people.filter(pk=owner.pk).exists():
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
