"""Reading the health of partnerships: ``health_of`` for any number of them in a fixed
number of queries, the workspace's weights, and the weekly snapshots a reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet

from tandem.core.access import Actor
from tandem.evaluation.health.models import DEFAULT_WEIGHTS, HealthSettings, HealthSnapshot, View
from tandem.evaluation.health.parts import Context, Part, all_parts
from tandem.partners.models import Partnership

if TYPE_CHECKING:
    from tandem.accounts.models import User

TREND_WEEKS = 13


@dataclass(frozen=True)
class Health:
    """A partnership's health as one reader sees it: the weighted mean of the parts that
    have data (``score`` None when none has, or all of those weigh 0), and every part."""

    partnership_id: int
    score: int | None
    parts: tuple[Part, ...]

    @property
    def with_data(self) -> list[Part]:
        return [part for part in self.parts if part.has_data]

    @property
    def without_data(self) -> list[Part]:
        return [part for part in self.parts if not part.has_data]

    def part(self, key: str) -> Part:
        return next(part for part in self.parts if part.key == key)


def total(parts: Iterable[Part]) -> int | None:
    """The weighted mean of the scores of the parts with data; None when their weights add
    up to nothing."""
    weighed = [(part.score, part.weight) for part in parts if part.score is not None]
    weight = sum(w for _, w in weighed)
    if not weight:
        return None
    return round(sum(score * w for score, w in weighed) / weight)


def weights_of(workspace_ids: Iterable[int]) -> dict[int, dict[str, int]]:
    """Each workspace's weights (the defaults where it never set any): one query."""
    ids = sorted(set(workspace_ids))
    found = {
        row.workspace_id: row.weights for row in HealthSettings.objects.filter(workspace_id__in=ids)
    }
    return {pk: found.get(pk, dict(DEFAULT_WEIGHTS)) for pk in ids}


def health_of(
    actor: Actor, partnerships: Iterable[Partnership | int], today: date
) -> dict[int, Health]:
    """The health of each partnership ``actor`` may see among ``partnerships`` (objects or
    ids), as of ``today``, read with the actor's ``visible_to``: a partner-side reader's
    parts come from shared items only. About twenty queries, whatever the number of
    partnerships or the length of their history (each part groups by partnership)."""
    ids = sorted({p if isinstance(p, int) else p.pk for p in partnerships})
    if not ids:
        return {}
    loaded = list(
        Partnership.objects.visible_to(actor)
        .filter(pk__in=ids)
        .select_related("schedule", "workspace")
        .order_by("pk")
    )
    if not loaded:
        return {}
    ctx = Context(actor=actor, partnerships=loaded, today=today)
    weights = weights_of(p.workspace_id for p in loaded)
    computed = all_parts(ctx)
    result = {}
    for partnership in loaded:
        weight = weights[partnership.workspace_id]
        parts = tuple(
            _weighed(found[partnership.pk], weight[key]) for key, found in computed.items()
        )
        result[partnership.pk] = Health(partnership.pk, total(parts), parts)
    return result


def _weighed(part: Part, weight: int) -> Part:
    return Part(part.key, part.label, part.score, part.evidence, part.url, weight)


class _PartnerSide:
    """Stands in for a partner-side person when a task computes what they would see: only
    being signed in counts to ``visible_to``; nobody is notified or named."""

    pk = 0
    is_authenticated = True


def shared_view(partnership_ids: Iterable[int]) -> Actor:
    """A reader on the partner side of every partnership in ``partnership_ids``: it sees
    their shared items only, exactly as each partnership's own partner-side people do (the
    rule of ``visible_to`` depends on nothing else)."""
    return Actor(user=cast("User", _PartnerSide()), partner_partnerships=frozenset(partnership_ids))


def member_view(workspace_ids: Iterable[int]) -> Actor:
    """A member of every workspace in ``workspace_ids``: it sees everything in them."""
    return Actor(user=cast("User", _PartnerSide()), roles=dict.fromkeys(workspace_ids, "member"))


def view_of(actor: Actor, partnership: Any) -> str:
    """Which snapshots a reader sees: everything for a member, shared only otherwise."""
    return View.ALL if actor.is_member(partnership.workspace_id) else View.SHARED


def snapshots_for(actor: Actor, partnership: Any) -> QuerySet[HealthSnapshot]:
    """The partnership's weekly snapshots in the reader's view, latest first (the caller
    has already reached the partnership through the actor)."""
    actor.require(actor.can_see_partnership(partnership))
    return HealthSnapshot.objects.filter(
        partnership_id=partnership.pk, view=view_of(actor, partnership)
    ).order_by("-week")


def trend(actor: Actor, partnership: Any, today: date) -> list[tuple[date, int | None]]:
    """The last 13 weeks (Mondays, oldest first) with the reader's snapshot score, None for
    a week without a snapshot or without enough data."""
    monday = today - timedelta(days=today.weekday())
    weeks = [monday - timedelta(weeks=n) for n in range(TREND_WEEKS - 1, -1, -1)]
    found = dict(
        snapshots_for(actor, partnership)
        .filter(week__gte=weeks[0], week__lte=weeks[-1])
        .values_list("week", "score")
    )
    return [(week, found.get(week)) for week in weeks]


def latest_snapshot(actor: Actor, partnership: Any) -> HealthSnapshot | None:
    """The reader's latest weekly snapshot (for a summary beside other figures: one query,
    where computing the health afresh takes twenty)."""
    return snapshots_for(actor, partnership).only("week", "score", "view").first()
