"""Reading the ideas backlog, always through the requesting actor."""

from __future__ import annotations

from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from tandem.core.access import Actor
from tandem.ideas.models import OPEN_STATUSES, Idea, IdeaStatus
from tandem.traction.models import Rock, Todo

COLUMNS = (
    "title", "details", "horizon", "status", "position", "visibility", "version",
    "committed_at", "closed_at", "created_at", "workspace_id", "partnership_id", "owner_id",
    "todo_id", "rock_id", "owner__name", "owner__email",
)  # fmt: skip


def ideas_for(actor: Actor, scope: Any) -> QuerySet[Idea]:
    """Every idea of a partnership (or the program) the actor may see, with its owner."""
    return (
        Idea.objects.visible_to(actor)
        .filter(workspace_id=scope.workspace_id, partnership_id=scope.id)
        .select_related("owner")
        .only(*COLUMNS)
    )


def group(actor: Actor, scope: Any, horizon: str) -> QuerySet[Idea]:
    """One group's open ideas (backlog and committed) in priority order."""
    return (
        ideas_for(actor, scope)
        .filter(horizon=horizon, status__in=OPEN_STATUSES)
        .order_by("position", "id")
    )


def closed(actor: Actor, scope: Any) -> QuerySet[Idea]:
    """Ideas that were finished or became a rock or to-do, newest first."""
    return with_links(
        ideas_for(actor, scope).filter(status__in=(IdeaStatus.DONE, IdeaStatus.CONVERTED)),
        actor,
    ).order_by("-closed_at", "-id")


def with_links(ideas: QuerySet[Idea], actor: Actor) -> QuerySet[Idea]:
    """The rock or to-do each idea became, read through the actor's scope in the same
    query (a rock made internal since is not shown to the partner's side): ``rock_title``,
    ``rock_year``, ``rock_quarter`` and ``todo_title``, None when there is none to show."""
    rocks = Rock.objects.visible_to(actor).filter(pk=OuterRef("rock_id"))
    todos = Todo.objects.visible_to(actor).filter(pk=OuterRef("todo_id"))
    return ideas.annotate(
        rock_title=Subquery(rocks.values("title")[:1]),
        rock_year=Subquery(rocks.values("year")[:1]),
        rock_quarter=Subquery(rocks.values("quarter")[:1]),
        todo_title=Subquery(todos.values("title")[:1]),
    )


def committed_count(scope: Any) -> int:
    """All committed ideas of the scope, internal ones too: the limit is the partnership's."""
    return Idea.objects.filter(
        workspace_id=scope.workspace_id, partnership_id=scope.id, status=IdeaStatus.COMMITTED
    ).count()
