"""Changing values and company goals. Pages and the API both call these.

The program's values and the company's goals live at the program level: only workspace
members change them. A program value is shared (stated to every partner) unless the program
marks it internal. A partner's stated values live in its partnership: partner-side people
add and edit them (always shared) and say which of the program's values each one matches.
"""

from __future__ import annotations

from typing import Any

from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.items import MANAGE, ItemType, text_fields
from tandem.core.scope import Scope
from tandem.vision.models import CompanyGoal, Value
from tandem.vision.values.forms import ValueForm


def _check_value(actor: Actor, scope: Scope, values: dict[str, Any], value: Value | None) -> None:
    """A value has a name, once on its list; a partner's value matches one of the
    program's own values."""
    name = (values.get("name", value.name if value else "") or "").strip()
    if "name" in values or value is None:
        if not name:
            raise InvalidInput.on("name", "Name the value in a word or a few.")
        values["name"] = name
        # Among the values this person sees: an internal one's name is not theirs to learn.
        duplicate = Value.objects.visible_to(actor).in_scope(scope).filter(name__iexact=name)
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


VALUES = ItemType(
    model=Value,
    name="value",
    label="value",
    form=ValueForm,
    program=True,
    # A program value's matches in partnerships are unlinked, not deleted: the partner
    # still holds that value.
    delete="partnership",
    defaults={"visibility": Visibility.SHARED},
    validate=_check_value,
    logged=("name", "meaning", "matches"),
)
COMPANY_GOALS = ItemType(
    model=CompanyGoal,
    name="company_goal",
    label="company goal",
    program=True,
    change=MANAGE,
    delete=MANAGE,  # the program goals that served it stay, unlinked
    required={"title": "Name the company goal."},
    check=text_fields("title", "target"),
    logged=("title", "target"),
)

value_create = VALUES.create
value_update = VALUES.update
value_delete = VALUES.remove
company_goal_update = COMPANY_GOALS.update
company_goal_delete = COMPANY_GOALS.remove


def company_goal_create(*, actor: Actor, program: Scope, **values: Any) -> CompanyGoal:
    """Company goals live at the program level only."""
    if not program.is_program:
        raise InvalidInput("Company goals belong to the program level.")
    return COMPANY_GOALS.create(actor=actor, partnership=program, **values)
