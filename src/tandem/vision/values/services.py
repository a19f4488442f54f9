"""Changing values and company goals. Pages and the API both call these.

The program's values and the company's goals live at the program level: only workspace
members change them. A program value is shared (stated to every partner) unless the program
marks it internal. A partner's stated values live in its partnership: partner-side people
add and edit them (always shared) and say which of the program's values each one matches.
"""

from __future__ import annotations

from typing import Any

from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import item_values, require_open
from tandem.core.scope import scope_of
from tandem.vision.models import CompanyGoal, Value

VALUE_FIELDS = Value.concurrency_fields
COMPANY_GOAL_FIELDS = CompanyGoal.concurrency_fields


def _check_value(
    actor: Actor, scope: Any, values: dict[str, Any], *, value: Value | None = None
) -> None:
    name = (values.get("name", value.name if value else "") or "").strip()
    if "name" in values or value is None:
        if not name:
            raise InvalidInput.on("name", "Name the value in a word or a few.")
        values["name"] = name
        # Among the values this person sees: an internal one's name is not theirs to learn.
        duplicate = Value.objects.visible_to(actor).filter(
            workspace_id=scope.workspace_id, partnership_id=scope.id, name__iexact=name
        )
        if value is not None:
            duplicate = duplicate.exclude(pk=value.pk)
        if duplicate.exists():
            raise InvalidInput.on("name", f"“{name}” is already on this list.")
    if "meaning" in values:
        values["meaning"] = (values["meaning"] or "").strip()
    matches = values.get("matches")
    if matches is not None:
        if scope.is_program:
            raise InvalidInput.on("matches", "The program's own values don't match other values.")
        if (
            matches.workspace_id != scope.workspace_id
            or matches.partnership_id is not None
            or not Value.objects.visible_to(actor).filter(pk=matches.pk).exists()
        ):
            raise InvalidInput.on("matches", "Choose one of the program's values.")


def value_create(
    *,
    actor: Actor,
    partnership: Any,
    name: str,
    meaning: str = "",
    matches: Value | None = None,
    visibility: str | None = None,
) -> Value:
    """Add a program value (``partnership`` is the program) or a partner's stated value."""
    actor.require(actor.can_see_partnership(partnership))  # the program: members only
    require_open(partnership)
    values = item_values(
        actor,
        partnership,
        {
            "name": name,
            "meaning": meaning,
            "matches": matches,
            "visibility": visibility or Visibility.SHARED,
        },
        model=Value,
    )
    _check_value(actor, partnership, values)
    value = Value(workspace_id=partnership.workspace_id, partnership_id=partnership.id, **values)
    core.create(value, actor=actor, fields=("name", "meaning", "matches"))
    return value


def value_update(value: Value, *, actor: Actor, version: int | None, **changes: Any) -> Value:
    actor.require(actor.can_change(value))
    scope = scope_of(value)
    require_open(scope)
    unknown = set(changes) - set(VALUE_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = item_values(actor, scope, changes, model=Value)
    _check_value(actor, scope, changes, value=value)
    core.update(value, actor=actor, version=version, changes=changes)
    return value


def value_delete(value: Value, *, actor: Actor, version: int | None) -> None:
    """Delete a value. A program value's matches in partnerships are unlinked, not deleted:
    the partner still holds that value."""
    actor.require(actor.can_change(value))
    require_open(scope_of(value))
    core.delete(value, actor=actor, version=version)


def company_goal_create(*, actor: Actor, program: Any, title: str, target: str = "") -> CompanyGoal:
    if not program.is_program:
        raise InvalidInput("Company goals belong to the program level.")
    actor.require(actor.is_member(program.workspace_id))
    title = (title or "").strip()
    if not title:
        raise InvalidInput.on("title", "Name the company goal.")
    goal = CompanyGoal(
        workspace_id=program.workspace_id,
        partnership_id=None,
        title=title,
        target=(target or "").strip(),
        **item_values(actor, program, {}),
    )
    core.create(goal, actor=actor, fields=("title", "target"))
    return goal


def company_goal_update(
    goal: CompanyGoal, *, actor: Actor, version: int | None, **changes: Any
) -> CompanyGoal:
    actor.require(actor.is_member(goal.workspace_id))
    unknown = set(changes) - set(COMPANY_GOAL_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
        if not changes["title"]:
            raise InvalidInput.on("title", "Name the company goal.")
    if "target" in changes:
        changes["target"] = (changes["target"] or "").strip()
    core.update(goal, actor=actor, version=version, changes=changes)
    return goal


def company_goal_delete(goal: CompanyGoal, *, actor: Actor, version: int | None) -> None:
    """Delete a company goal; the program goals that served it stay, unlinked."""
    actor.require(actor.is_member(goal.workspace_id))
    core.delete(goal, actor=actor, version=version)
