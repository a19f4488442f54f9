"""Reading values, company goals and alignment, always through the requesting actor."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from tandem.core.access import Actor
from tandem.core.scope import Scope
from tandem.partners.models import Partnership, Stage
from tandem.vision.models import CompanyGoal, Value


def program_values(actor: Actor, workspace_id: int) -> QuerySet[Value]:
    """The program's values as the actor sees them: members all of them, partner-side people
    the shared ones — what the program stands for, stated to its partners (seed 004)."""
    return (
        Value.objects.visible_to(actor)
        .filter(workspace_id=workspace_id, partnership__isnull=True)
        .order_by("name", "id")
    )


@dataclass
class Alignment:
    """A partnership's values beside the program's: which of ours the partner shares."""

    ours: list[Value]
    theirs: list[Value]
    shared_ids: set[int] = field(default_factory=set)

    @property
    def shared(self) -> list[Value]:
        return [value for value in self.ours if value.pk in self.shared_ids]

    @property
    def aligned(self) -> bool:
        return bool(self.shared_ids)


def partner_values(actor: Actor, partnership: Scope) -> QuerySet[Value]:
    """The values a partner stated, as far as the actor sees them."""
    return Value.objects.visible_to(actor).in_scope(partnership).order_by("name", "id")


def alignment(actor: Actor, partnership: Scope) -> Alignment:
    ours = list(program_values(actor, partnership.workspace_id))
    theirs = hide_unseen_matches(ours, partner_values(actor, partnership))
    by_id = {value.pk: value for value in ours}
    for value in theirs:
        match = by_id.get(value.matches_id) if value.matches_id is not None else None
        value.match = match  # type: ignore[attr-defined]
    shared_ids = {value.matches_id for value in theirs if value.matches_id in by_id}
    for value in ours:
        value.is_shared = value.pk in shared_ids  # type: ignore[attr-defined]
    return Alignment(ours=ours, theirs=theirs, shared_ids=shared_ids)


def hide_unseen_matches(ours: list[Value], theirs: Iterable[Value]) -> list[Value]:
    """The partner's values, each naming the program value it matches only if the reader
    sees that value (``ours``): a match with an internal one reads as no match, so not even
    its id reaches the partner side."""
    seen = {value.pk for value in ours}
    values = list(theirs)
    for value in values:
        if value.matches_id not in seen:
            value.matches_id = None
    return values


def alignment_partnerships(actor: Actor, workspace_id: int) -> QuerySet[Partnership]:
    """The rows of the program's values alignment table: the workspace's partnerships the
    actor sees that are neither archived nor ended, by name."""
    return (
        Partnership.objects.visible_to(actor)
        .current()
        .filter(workspace_id=workspace_id)
        .exclude(stage=Stage.ENDED)
        .only("id", "name", "stage")
        .order_by("name", "id")
    )


def alignment_table(workspace_id: int, partnerships: Iterable[Partnership]) -> list[dict[str, Any]]:
    """Each of ``partnerships`` (a page of them) with how many values the partner stated and
    how many of the program's it shares. One query, whatever the size of the program."""
    partnerships = list(partnerships)
    counts = {
        row["partnership_id"]: (row["stated"], row["shared"])
        for row in Value.objects.filter(
            workspace_id=workspace_id, partnership__in=[p.pk for p in partnerships]
        )
        .values("partnership_id")
        .annotate(
            stated=Count("id"),
            shared=Count("matches", filter=Q(matches__partnership__isnull=True), distinct=True),
        )
        .order_by()
    }
    table: list[dict[str, Any]] = []
    for partnership in partnerships:
        stated, shared = counts.get(partnership.pk, (0, 0))
        table.append({"partnership": partnership, "stated": stated, "shared": shared})
    return table


def alignment_counts(actor: Actor, workspace_id: int) -> tuple[int, int]:
    """How many partnerships the alignment table holds, and how many of them share none of
    the program's values: one query, counted in the database."""
    sharing = Value.objects.filter(
        workspace_id=workspace_id,
        partnership__isnull=False,
        matches__isnull=False,
        matches__partnership__isnull=True,
    ).values("partnership_id")
    counts = alignment_partnerships(actor, workspace_id).aggregate(
        total=Count("pk"), unaligned=Count("pk", filter=~Q(pk__in=sharing))
    )
    return counts["total"], counts["unaligned"]


def company_goals(workspace_id: int) -> QuerySet[CompanyGoal]:
    return CompanyGoal.objects.filter(workspace_id=workspace_id, partnership__isnull=True).order_by(
        "title", "id"
    )
