"""Reading commitments, always through the requesting actor."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet

from tandem.core.access import Actor
from tandem.core.numbers import percent
from tandem.core.scope import Scope
from tandem.relationship.commitments.models import Commitment, CommitmentReview, Side


@dataclass(frozen=True)
class Record:
    """One side's trust record: of the periods reviewed, how many promises were kept."""

    side: str
    kept: int
    reviewed: int

    @property
    def missed(self) -> int:
        return self.reviewed - self.kept

    @property
    def percent(self) -> int | None:
        return percent(self.kept, self.reviewed)


def commitments_for(actor: Actor, partnership: Scope) -> QuerySet[Commitment]:
    return (
        Commitment.objects.visible_to(actor)
        .in_scope(partnership)
        .select_related("owner")
        .order_by("side", "kind", "id")
    )


def commitments_with_reviews(actor: Actor, partnership: Scope) -> QuerySet[Commitment]:
    """Each commitment with its reviews, latest period first (one more query in all)."""
    return commitments_for(actor, partnership).prefetch_related(
        Prefetch(
            "reviews",
            queryset=CommitmentReview.objects.select_related("reviewed_by").order_by(
                "-period_start", "-id"
            ),
        )
    )


def reviews_for(actor: Actor, commitment: Commitment) -> QuerySet[CommitmentReview]:
    """A commitment's review history (the commitment was read through the actor)."""
    actor.require(actor.can_see(commitment))
    return commitment.reviews.select_related("reviewed_by").order_by("-period_start", "-id")


def trust_record(actor: Actor, partnership: Scope) -> dict[str, Record]:
    """The kept ratio of each side over the commitments the actor sees: one query.
    ``{"ours": Record, "partner": Record}``."""
    visible = commitments_for(actor, partnership).values("pk")
    rows = (
        CommitmentReview.objects.filter(commitment__in=visible)
        .values("commitment__side")
        .annotate(reviewed=Count("pk"), kept=Count("pk", filter=Q(kept=True)))
        .order_by()
    )
    found = {row["commitment__side"]: (row["kept"], row["reviewed"]) for row in rows}
    return {
        side: Record(
            side=side,
            kept=found.get(side, (0, 0))[0],
            reviewed=found.get(side, (0, 0))[1],
        )
        for side in Side.values
    }
