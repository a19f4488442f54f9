"""Reading goals, always through the requesting actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet

from tandem.core.access import Actor
from tandem.traction.models import Rock, RockStatus
from tandem.vision.models import Goal


def goals_for(actor: Actor, scope: Any, *, horizon: str | None = None) -> QuerySet[Goal]:
    goals = Goal.objects.visible_to(actor).in_scope(scope).select_related("owner", "company_goal")
    if horizon:
        goals = goals.filter(horizon=horizon)
    return goals.order_by("horizon", "due_on", "id")


def goals_with_rocks(actor: Actor, scope: Any) -> QuerySet[Goal]:
    """Each goal with how many of the rocks the actor sees serve it, and how many are done."""
    visible_rocks = Rock.objects.visible_to(actor).values("pk")
    return goals_for(actor, scope).annotate(
        rock_count=Count("rocks", filter=Q(rocks__in=visible_rocks), distinct=True),
        rocks_done=Count(
            "rocks",
            filter=Q(rocks__in=visible_rocks, rocks__status=RockStatus.DONE),
            distinct=True,
        ),
    )
