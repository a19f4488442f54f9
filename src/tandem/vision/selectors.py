"""Reading goals, always through the requesting actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tandem.core.access import Actor
from tandem.core.scope import Scope
from tandem.vision.models import Goal

# Rocks (in ``traction``, which builds on vision) serve goals; vision reads them only through
# the goal's reverse relation, so it never imports the app above it.
DONE = "done"


def goals_for(actor: Actor, scope: Scope, *, horizon: str | None = None) -> QuerySet[Goal]:
    goals = Goal.objects.visible_to(actor).in_scope(scope).select_related("owner", "company_goal")
    if horizon:
        goals = goals.filter(horizon=horizon)
    return goals.order_by("horizon", "due_on", "id")


def goals_with_rocks(actor: Actor, scope: Scope) -> QuerySet[Goal]:
    """Each goal with how many of the rocks the actor sees serve it, and how many are done.
    A rock serves a goal of its own scope (``traction.rocks.check_goal``): only the scope's
    rocks are asked about, not every rock of the workspace's years."""
    rocks: Any = Goal._meta.get_field("rocks").related_model
    visible_rocks = rocks.objects.visible_to(actor).in_scope(scope).values("pk")
    return goals_for(actor, scope).annotate(
        rock_count=Count("rocks", filter=Q(rocks__in=visible_rocks), distinct=True),
        rocks_done=Count(
            "rocks",
            filter=Q(rocks__in=visible_rocks, rocks__status=DONE),
            distinct=True,
        ),
    )
