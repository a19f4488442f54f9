"""Goals: the item type, declared once. Pages and the API both write through ``GOALS``."""

from __future__ import annotations

from typing import Any

from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.items import ItemType, checks, text_fields
from tandem.core.scope import Scope
from tandem.vision.forms import GoalForm
from tandem.vision.models import Goal, Horizon, a_year_from_now


def _check(values: dict[str, Any]) -> None:
    if "horizon" in values and values["horizon"] not in Horizon.values:
        raise InvalidInput.on("horizon", "Choose a 1-year goal or the 3-year picture.")
    core.check_date("due_on", values.get("due_on"))


def _validate(actor: Actor, scope: Scope, values: dict[str, Any], goal: Goal | None) -> None:
    """Only program goals serve a company goal. A goal that shared rocks serve stays shared
    (making it internal would leave the partner looking at rocks that point at nothing), and
    a goal rocks serve stays a 1-year goal."""
    company_goal = values.get("company_goal")
    if company_goal is not None and (
        not scope.is_program or company_goal.workspace_id != scope.workspace_id
    ):
        raise InvalidInput.on("company_goal", "Only program goals serve a company goal of yours.")
    if goal is None:
        return
    if (
        values.get("visibility", goal.visibility) == Visibility.INTERNAL
        and goal.visibility == Visibility.SHARED
        and goal.rocks.filter(visibility=Visibility.SHARED).exists()
    ):
        raise InvalidInput.on("visibility", "Shared rocks serve this goal, so it stays shared.")
    if values.get("horizon", goal.horizon) != Horizon.ONE_YEAR and goal.rocks.exists():
        raise InvalidInput.on("horizon", "Rocks serve this 1-year goal; unlink them first.")


GOALS = ItemType(
    model=Goal,
    name="goal",
    label="goal",
    form=GoalForm,
    program=True,
    delete="partnership",  # rocks that served it stay, unlinked
    defaults={
        "visibility": Visibility.SHARED,
        "horizon": Horizon.ONE_YEAR,
        "due_on": lambda scope: a_year_from_now(),
    },
    check=checks(_check, text_fields("title", "target")),
    validate=_validate,
    logged=("title", "target", "horizon", "due_on", "company_goal", "visibility"),
)

goal_create = GOALS.create
goal_update = GOALS.update
goal_delete = GOALS.remove
