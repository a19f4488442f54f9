"""Reading issues, always through the requesting actor."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from tandem.core.access import Actor
from tandem.issues.models import VOTES_PER_PERSON, Issue, Term, Vote
from tandem.traction.models import Todo

ISSUE_COLUMNS = (
    "title", "details", "term", "rank", "visibility", "version", "owner_id", "workspace_id",
    "partnership_id", "created_at", "solved_at", "decision", "owner__name", "owner__email",
)  # fmt: skip


def open_issues(actor: Actor, scope: Any, term: str) -> QuerySet[Issue]:
    """One open list in rank order, with each issue's votes and whether the actor voted."""
    return (
        Issue.objects.visible_to(actor)
        .in_scope(scope)
        .filter(solved_at__isnull=True, term=term)
        .select_related("owner")
        .only(*ISSUE_COLUMNS)
        .annotate(
            vote_count=Count("votes"),
            my_vote=Exists(Vote.objects.filter(issue=OuterRef("pk"), voter=actor.user)),
        )
        .order_by("rank", "id")
    )


def list_counts(actor: Actor, scope: Any) -> dict[str, int]:
    """How many issues each tab holds, in one query."""
    visible = Issue.objects.visible_to(actor).in_scope(scope)
    counts = visible.aggregate(
        short=Count("id", filter=Q(solved_at__isnull=True, term=Term.SHORT)),
        long=Count("id", filter=Q(solved_at__isnull=True, term=Term.LONG)),
        solved=Count("id", filter=Q(solved_at__isnull=False)),
    )
    return counts


def votes_left(actor: Actor, scope: Any, term: str) -> int:
    used = Vote.objects.filter(
        voter=actor.user,
        issue__in=Issue.objects.in_scope(scope).filter(solved_at__isnull=True, term=term),
    ).count()
    return max(0, VOTES_PER_PERSON - used)


def solved_issues(actor: Actor, scope: Any, q: str = "") -> QuerySet[Issue]:
    """Solved issues, newest first, searchable in their title, details and decision, with
    the to-dos that came of them (those the actor can see)."""
    issues = (
        Issue.objects.visible_to(actor)
        .in_scope(scope)
        .filter(solved_at__isnull=False)
        .select_related("owner", "solved_by")
        .prefetch_related(
            Prefetch(
                "todos",
                queryset=Todo.objects.visible_to(actor).select_related("owner").order_by("id"),
            )
        )
        .order_by("-solved_at", "-id")
    )
    q = q.replace("\x00", "").strip()
    if q:
        issues = issues.filter(
            Q(title__icontains=q) | Q(details__icontains=q) | Q(decision__icontains=q)
        )
    return issues


def issues_owned_by(actor: Actor, user: Any) -> QuerySet[Issue]:
    """The open issues a person owns, wherever the actor can see them (for "My week")."""
    return (
        Issue.objects.visible_to(actor)
        .filter(owner=user, solved_at__isnull=True)
        .select_related("partnership")
        .only(*ISSUE_COLUMNS[:-2], "partnership__name")
        .order_by("-term", "partnership_id", "rank", "id")
    )
