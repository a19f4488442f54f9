"""One person's items across every partnership (and the program level) the actor can see.

Each reads one list in one query, whatever the number of partnerships: the scope comes along
with ``select_related`` so a page can say where each item lives.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core.access import Actor
from tandem.core.ids import parse_id
from tandem.traction.models import Milestone, Rock, Todo, quarter_of

# Items of archived partnerships are history, not work: they stay off a person's week.
OPEN_SCOPE = Q(partnership__isnull=True) | Q(partnership__archived_at__isnull=True)
SCOPE_COLUMNS = ("partnership__name", "partnership__archived_at")


def open_todos_of(actor: Actor, user: Any) -> QuerySet[Todo]:
    return (
        Todo.objects.visible_to(actor)
        .filter(OPEN_SCOPE, owner=user, done_at__isnull=True)
        .select_related("partnership", "owner")
        .only(
            "title", "due_on", "done_at", "repeat", "visibility", "version", "owner_id",
            "workspace_id", "partnership_id", "owner__name", "owner__email", *SCOPE_COLUMNS,
        )
        .order_by("due_on", "id")
    )  # fmt: skip


def milestones_of(actor: Actor, user: Any, *, days: int = 7) -> QuerySet[Milestone]:
    """Open milestones of the person's rocks of this quarter, due within ``days`` (or
    overdue): a past quarter's rocks were closed at its quarterly meeting."""
    year, quarter = quarter_of(timezone.localdate())
    rocks = Rock.objects.visible_to(actor).filter(
        OPEN_SCOPE, owner=user, year=year, quarter=quarter
    )
    return (
        Milestone.objects.filter(
            rock__in=rocks,
            done_at__isnull=True,
            due_on__lte=timezone.localdate() + timedelta(days=days),
        )
        .select_related("rock", "rock__partnership")
        .order_by("due_on", "id")
    )


def rocks_of(
    actor: Actor, user: Any, year: int, quarter: int, *, workspace_id: int | None = None
) -> QuerySet[Rock]:
    rocks = Rock.objects.visible_to(actor).filter(
        OPEN_SCOPE, owner=user, year=year, quarter=quarter
    )
    if workspace_id is not None:
        rocks = rocks.filter(workspace_id=workspace_id)
    return rocks.select_related("partnership").order_by("due_on", "partnership__name", "id")


def person_in(workspace: Any, user_id: str) -> User | None:
    """Someone of this workspace: a member, or a partner-side person of one of its
    partnerships. Anyone else is not there."""
    ours = Q(memberships__workspace=workspace) | Q(
        partner_accesses__partnership__workspace=workspace
    )
    return User.objects.filter(ours, pk=parse_id(user_id)).distinct().first()


def here(items: QuerySet[Any], workspace: Any, *, via: str = "") -> QuerySet[Any]:
    """Partnership items from anywhere, but program-level ones only from the workspace the
    person is working in: those are the ones whose pages open (``/partnerships/program/``
    is the current workspace's program). ``via`` reaches the item from a row of its own
    (``"rock__"`` for milestones)."""
    condition = Q(**{f"{via}partnership__isnull": False})
    if workspace is not None:
        condition |= Q(**{f"{via}workspace_id": workspace.pk})
    return items.filter(condition)
