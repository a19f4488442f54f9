"""Changing goals. Pages and the API both call these."""

from __future__ import annotations

from datetime import date
from typing import Any

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.policy import check_owner, item_values, require_open
from tandem.core.scope import scope_of
from tandem.traction.services import check_due
from tandem.vision.models import CompanyGoal, Goal, Horizon, a_year_from_now

GOAL_FIELDS = Goal.concurrency_fields


def _check(horizon: str) -> None:
    if horizon not in Horizon.values:
        raise InvalidInput.on("horizon", "Choose a 1-year goal or the 3-year picture.")


def _check_company_goal(scope: Any, company_goal: CompanyGoal | None) -> None:
    if company_goal is None:
        return
    if not scope.is_program or company_goal.workspace_id != scope.workspace_id:
        raise InvalidInput.on("company_goal", "Only program goals serve a company goal of yours.")


def goal_create(
    *,
    actor: Actor,
    partnership: Any,
    title: str,
    target: str,
    horizon: str = Horizon.ONE_YEAR,
    due_on: date | None = None,
    owner: User | None = None,
    company_goal: CompanyGoal | None = None,
    visibility: str = Visibility.SHARED,
) -> Goal:
    actor.require(actor.can_see_partnership(partnership))
    require_open(partnership)
    _check(horizon)
    values = item_values(actor, partnership, {"visibility": visibility})
    check_owner(partnership, owner, values["visibility"])
    check_due(due_on)
    _check_company_goal(partnership, company_goal)
    goal = Goal(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.id,
        title=(title or "").strip(),
        target=(target or "").strip(),
        horizon=horizon,
        due_on=due_on or a_year_from_now(),
        owner=owner,
        company_goal=company_goal,
        visibility=values["visibility"],
    )
    core.create(
        goal,
        actor=actor,
        fields=("title", "target", "horizon", "due_on", "company_goal", "visibility"),
    )
    return goal


def goal_update(goal: Goal, *, actor: Actor, version: int | None, **changes: Any) -> Goal:
    """Edit a goal. A goal that shared rocks serve stays shared: making it internal would
    leave the partner looking at rocks that point at nothing."""
    actor.require(actor.can_change(goal))
    scope = scope_of(goal)
    require_open(scope)
    unknown = set(changes) - set(GOAL_FIELDS)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = item_values(actor, scope, changes)
    if "horizon" in changes:
        _check(changes["horizon"])
    if "owner" in changes and changes["owner"] != goal.owner or "visibility" in changes:
        check_owner(
            scope, changes.get("owner", goal.owner), changes.get("visibility", goal.visibility)
        )
    if (
        changes.get("visibility", goal.visibility) == Visibility.INTERNAL
        and goal.visibility == Visibility.SHARED
        and goal.rocks.filter(visibility=Visibility.SHARED).exists()
    ):
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"visibility": ["Shared rocks serve this goal, so it stays shared."]},
        )
    if changes.get("horizon", goal.horizon) != Horizon.ONE_YEAR and goal.rocks.exists():
        raise InvalidInput(
            "Please correct the highlighted fields.",
            errors={"horizon": ["Rocks serve this 1-year goal; unlink them first."]},
        )
    check_due(changes.get("due_on"))
    if changes.get("company_goal") is not None:
        _check_company_goal(scope, changes["company_goal"])
    core.update(goal, actor=actor, version=version, changes=changes)
    return goal


def goal_delete(goal: Goal, *, actor: Actor, version: int | None) -> None:
    """Delete a goal; the rocks that served it stay, unlinked."""
    actor.require(actor.can_change(goal))
    require_open(scope_of(goal))
    core.delete(goal, actor=actor, version=version)
