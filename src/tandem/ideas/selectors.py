"""Reading the ideas backlog, always through the requesting actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tandem.core.access import Actor
from tandem.core.scope import Scope
from tandem.ideas.models import OPEN_STATUSES, Idea, IdeaStatus
from tandem.traction.models import Rock, Todo

COLUMNS = (
    "title", "details", "horizon", "status", "position", "visibility", "version",
    "committed_at", "closed_at", "created_at", "workspace_id", "partnership_id", "owner_id",
    "todo_id", "rock_id", "owner__name", "owner__email",
)  # fmt: skip


def ideas_for(actor: Actor, scope: Scope) -> QuerySet[Idea]:
    """Every idea of a partnership (or the program) the actor may see, with its owner."""
    return Idea.objects.visible_to(actor).in_scope(scope).select_related("owner").only(*COLUMNS)


def group(actor: Actor, scope: Scope, horizon: str) -> QuerySet[Idea]:
    """One group's open ideas (backlog and committed) in priority order."""
    return (
        ideas_for(actor, scope)
        .filter(horizon=horizon, status__in=OPEN_STATUSES)
        .order_by("position", "id")
    )


def closed(actor: Actor, scope: Scope) -> QuerySet[Idea]:
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


def with_places(ideas: QuerySet[Idea], actor: Actor) -> QuerySet[Idea]:
    """Give each idea ``place``: its number in its group's priority order as the actor sees
    it (1 = first). Positions are sort keys that also hold internal ideas, so a partner's
    numbers would skip; this counts only the open ideas ahead of it that the actor sees."""
    ahead = (
        Idea.objects.visible_to(actor)
        .filter(
            workspace_id=OuterRef("workspace_id"),
            partnership_id=OuterRef("partnership_id"),
            horizon=OuterRef("horizon"),
            status__in=OPEN_STATUSES,
        )
        .filter(
            Q(position__lt=OuterRef("position"))
            | Q(position=OuterRef("position"), pk__lt=OuterRef("pk"))
        )
        .order_by()
        .values("horizon")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return ideas.annotate(place=Coalesce(Subquery(ahead), 0) + 1)


def committed_count(scope: Scope) -> int:
    """All committed ideas of the scope, internal ones too: the limit is the partnership's."""
    return Idea.objects.in_scope(scope).filter(status=IdeaStatus.COMMITTED).count()


@dataclass(frozen=True)
class CommitBar:
    """The commit limit as one reader reads it.

    The limit is the partnership's, so it counts both teams' committed ideas (``taken``);
    a partner-side reader sees only the shared ones (``seen``). Hiding the others from the
    figure would show room that a commit then refuses, so the reader is told how many more
    count, never which ones."""

    limit: int
    seen: int
    taken: int

    @property
    def hidden(self) -> int:
        return self.taken - self.seen

    @property
    def room(self) -> int:
        return max(self.limit - self.taken, 0)


def commit_bar(actor: Actor, scope: Scope, limit: int) -> CommitBar:
    """Both figures in one query: the committed ideas the actor sees, and all of them."""
    counts = (
        Idea.objects.in_scope(scope)
        .filter(status=IdeaStatus.COMMITTED)
        .aggregate(
            taken=Count("pk"),
            seen=Count("pk", filter=Q(pk__in=Idea.objects.visible_to(actor).values("pk"))),
        )
    )
    return CommitBar(limit=limit, seen=counts["seen"], taken=counts["taken"])
