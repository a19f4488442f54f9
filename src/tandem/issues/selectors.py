"""Reading issues, always through the requesting actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from tandem.core.access import Actor
from tandem.core.scope import Scope
from tandem.issues.models import VOTES_PER_PERSON, Issue, Term, Vote
from tandem.partners.selectors import portfolio
from tandem.traction.models import Todo

ISSUE_COLUMNS = (
    "title", "details", "term", "rank", "visibility", "version", "owner_id", "workspace_id",
    "partnership_id", "created_at", "solved_at", "decision", "owner__name", "owner__email",
)  # fmt: skip


def open_issues(actor: Actor, scope: Scope, term: str) -> QuerySet[Issue]:
    """One open list in rank order, with each issue's votes, whether the actor voted, and
    its ``place``: its number in the list as the actor sees it. The stored rank also counts
    issues the actor cannot see (a partner's list skips the internal ones), so readers are
    given the place, and moves are asked for by place (``services.issue_rank``)."""
    return (
        Issue.objects.visible_to(actor)
        .in_scope(scope)
        .filter(solved_at__isnull=True, term=term)
        .select_related("owner")
        .only(*ISSUE_COLUMNS)
        .annotate(
            vote_count=Count("votes"),
            my_vote=Exists(Vote.objects.filter(issue=OuterRef("pk"), voter=actor.user)),
            place=Window(RowNumber(), order_by=(F("rank").asc(), F("id").asc())),
        )
        .order_by("rank", "id")
    )


def place_of(actor: Actor, issue: Issue) -> int:
    """One issue's number in its list as the actor sees it (a solved issue keeps its last
    rank: the list it was ranked in has moved on)."""
    if issue.is_solved:
        return issue.rank
    above = (
        Issue.objects.visible_to(actor)
        .filter(
            workspace_id=issue.workspace_id,
            # None: the program level (IS NULL), which django-stubs' lookup types leave out.
            partnership_id=issue.partnership_id,  # type: ignore[misc]
            solved_at__isnull=True,
            term=issue.term,
        )
        .filter(Q(rank__lt=issue.rank) | Q(rank=issue.rank, pk__lt=issue.pk))
    )
    return above.count() + 1


def list_counts(actor: Actor, scope: Scope) -> dict[str, int]:
    """How many issues each tab holds, in one query."""
    visible = Issue.objects.visible_to(actor).in_scope(scope)
    counts = visible.aggregate(
        short=Count("id", filter=Q(solved_at__isnull=True, term=Term.SHORT)),
        long=Count("id", filter=Q(solved_at__isnull=True, term=Term.LONG)),
        solved=Count("id", filter=Q(solved_at__isnull=False)),
    )
    return counts


def votes_left(actor: Actor, scope: Scope, term: str) -> int:
    used = Vote.objects.filter(
        voter=actor.user,
        issue__in=Issue.objects.in_scope(scope).filter(solved_at__isnull=True, term=term),
    ).count()
    return max(0, VOTES_PER_PERSON - used)


def solved_issues(actor: Actor, scope: Scope, q: str = "") -> QuerySet[Issue]:
    """Solved issues, newest first, searchable in their title, details and decision, with
    the to-dos that came of them (those the actor can see)."""
    issues = (
        Issue.objects.visible_to(actor)
        .in_scope(scope)
        .filter(solved_at__isnull=False)
        .select_related("owner", "solved_by")
        .annotate(place=F("rank"))  # a solved issue keeps its last place (``place_of``)
        .order_by("-solved_at", "-id")
    )
    if q:
        issues = issues.filter(
            Q(title__icontains=q) | Q(details__icontains=q) | Q(decision__icontains=q)
        )
    return issues


def with_todos(actor: Actor, issues: list[Issue]) -> list[Issue]:
    """Give each issue ``decided_todos``: the to-dos its decision made, that the actor sees.

    Two lookups by key (the links, then the to-dos by id) rather than a prefetch: joined to
    the link table, the to-do query is planned from the workspace index and reads every
    to-do of the workspace."""
    links = list(
        Issue.todos.through.objects.filter(issue_id__in=[issue.pk for issue in issues])
        .values_list("issue_id", "todo_id")
        .order_by("todo_id")
    )
    todos = (
        Todo.objects.visible_to(actor)
        .filter(pk__in=[todo_id for _issue_id, todo_id in links])
        .select_related("owner")
        .in_bulk()
    )
    for issue in issues:
        issue.decided_todos = [  # type: ignore[attr-defined]
            todos[todo_id]
            for issue_id, todo_id in links
            if issue_id == issue.pk and todo_id in todos
        ]
    return issues


def issues_owned_by(actor: Actor, user: Any) -> QuerySet[Issue]:
    """The open issues a person owns, wherever the actor can see them (for "My week")."""
    return (
        Issue.objects.visible_to(actor)
        .filter(owner=user, solved_at__isnull=True)
        .filter(Q(partnership__isnull=True) | Q(partnership__archived_at__isnull=True))
        .select_related("partnership")
        .only(*ISSUE_COLUMNS[:-2], "partnership__name")
        .order_by("-term", "partnership_id", "rank", "id")
    )


def destinations(actor: Actor, issue: Issue) -> list[tuple[str, str]]:
    """Where an issue can go: the program level and the workspace's other partnerships."""
    choices = [] if issue.partnership_id is None else [("program", "The program level")]
    others = portfolio(actor, workspace_id=issue.workspace_id)
    if issue.partnership_id is not None:
        others = others.exclude(pk=issue.partnership_id)
    choices += [(str(pk), name) for pk, name in others.values_list("pk", "name")]
    return choices
