"""Changing commitments and their reviews. Pages and the API both call these.

Members manage every commitment and choose its visibility. Partner-side people add, edit
and review their own side's commitments, which are always shared.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import transaction

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.clock import local_today
from tandem.core.errors import InvalidInput
from tandem.core.items import VIEW, ItemType, checks, text_fields
from tandem.core.policy import require_open
from tandem.core.scope import Scope, scope_of
from tandem.relationship.commitments.forms import CommitmentForm
from tandem.relationship.commitments.models import (
    SUGGESTIONS,
    Commitment,
    CommitmentReview,
    Kind,
    Period,
    Side,
    period_label,
    period_start,
)


def _check_choices(values: dict[str, Any]) -> None:
    for name, choices in (("side", Side), ("kind", Kind), ("period", Period)):
        if name in values and values[name] not in choices.values:
            raise InvalidInput.on(
                name, f"Choose one of: {', '.join(str(label) for label in choices.labels)}."
            )
    number = values.get("target_number")
    if number is not None and (not Decimal(number).is_finite() or Decimal(number) < 0):
        raise InvalidInput.on("target_number", "Enter a number of zero or more.")


def _check_side(actor: Actor, partnership: Scope, side: str) -> None:
    """Partner-side people speak for their own side only."""
    if not actor.is_member(partnership.workspace_id) and side != Side.PARTNER:
        raise InvalidInput.on("side", "You can add and change what your side provides.")


def _check_owner(partnership: Scope, owner: User | None, side: str, visibility: str) -> None:
    """Our promises are owned by a member of the workspace, the partner's by one of the
    partner's people (who only see shared commitments)."""
    if owner is None:
        return
    if side == Side.OURS:
        if not owner.memberships.filter(workspace_id=partnership.workspace_id).exists():
            raise InvalidInput.on("owner", "Choose someone from your workspace.")
        return
    if not owner.partner_accesses.filter(partnership_id=partnership.pk).exists():
        raise InvalidInput.on("owner", "Choose one of the partner's people.")
    if visibility != Visibility.SHARED:
        raise InvalidInput.on(
            "owner", "Only a shared commitment can name one of the partner's people."
        )


def _validate(
    actor: Actor, scope: Scope, values: dict[str, Any], commitment: Commitment | None
) -> None:
    side = values.get("side", getattr(commitment, "side", Side.OURS))
    _check_side(actor, scope, side)
    if commitment is None or {"owner", "side", "visibility"} & set(values):
        _check_owner(
            scope,
            values.get("owner", getattr(commitment, "owner", None)),
            side,
            values.get("visibility", getattr(commitment, "visibility", Visibility.SHARED)),
        )


def can_change(actor: Actor, commitment: Commitment) -> bool:
    """Members change any commitment they see; partner-side people only their side's."""
    return actor.can_change(commitment) and _may_change(actor, commitment)


def _may_change(actor: Actor, commitment: Commitment) -> bool:
    return actor.is_member(commitment.workspace_id) or commitment.side == Side.PARTNER


COMMITMENTS = ItemType(
    model=Commitment,
    name="commitment",
    label="commitment",
    form=CommitmentForm,
    delete=VIEW,  # partner-side people delete their own side's (``may_change``)
    required={
        "description": "Describe what is promised.",
        "target": "Give a measurable target.",
    },
    defaults={
        "side": Side.OURS,
        "kind": Kind.OTHER,
        "period": Period.QUARTERLY,
        "visibility": Visibility.SHARED,
    },
    check=checks(text_fields("description", "target"), _check_choices),
    validate=_validate,
    may_change=_may_change,
    logged=("side", "kind", "description", "target", "period", "visibility"),
)

commitment_create = COMMITMENTS.create
commitment_update = COMMITMENTS.update
commitment_delete = COMMITMENTS.remove


def suggestion_add(*, actor: Actor, partnership: Scope, side: str, kind: str) -> Commitment:
    """Add one of a side's usual commitments, to adjust afterwards."""
    for suggested_kind, description, target, period in SUGGESTIONS.get(side, []):
        if suggested_kind == kind:
            return commitment_create(
                actor=actor,
                partnership=partnership,
                side=side,
                kind=kind,
                description=description,
                target=target,
                period=period,
            )
    raise InvalidInput("That is not one of the suggested commitments.")


def _require_side(actor: Actor, commitment: Commitment) -> None:
    actor.require(can_change(actor, commitment))


def current_period(commitment: Commitment, today: date) -> date:
    return period_start(commitment.period, today, one_off=_one_off_day(commitment))


def _one_off_day(commitment: Commitment) -> date | None:
    created = commitment.created_at
    return created.date() if created is not None else None


def commitment_review(
    commitment: Commitment,
    *,
    actor: Actor,
    kept: bool,
    on: date | None = None,
    note: str = "",
    seen: str | None = None,
    seen_at: datetime | None = None,
) -> CommitmentReview:
    """Mark a commitment kept or missed for the period ``on`` falls in (today's period on
    the partnership's clock if not given). A period not yet begun cannot be judged.

    Marking a period again replaces its verdict, but never one the person has not seen:
    ``seen`` is the verdict they were looking at ("none", "kept" or "missed"), ``seen_at``
    when they looked at the whole history. With neither, only an unreviewed period or the
    same verdict again is taken."""
    _require_side(actor, commitment)
    partnership = scope_of(commitment)
    require_open(partnership)
    if not isinstance(kept, bool):
        raise InvalidInput.on("kept", "Say whether it was kept or missed.")
    note = core.short_note(note)
    core.check_date("on", on)
    today = local_today(partnership)
    day = on or today
    if day > today:
        raise InvalidInput.on("on", "A period that has not begun yet cannot be reviewed.")
    start = period_start(commitment.period, day, one_off=_one_off_day(commitment))
    with transaction.atomic():
        review, created = CommitmentReview.objects.select_for_update().get_or_create(
            commitment=commitment,
            period_start=start,
            defaults={"kept": kept, "note": note, "reviewed_by": actor.user},
        )
        before = None if created else review.kept
        saved = "none" if before is None else ("kept" if before else "missed")
        replacing = not created and before != kept
        if seen is None and seen_at is None and replacing:
            raise InvalidInput.on(
                "seen",
                f"This period is already marked {saved}. To change it, say which verdict you"
                " are replacing (seen).",
            )
        if seen is not None:
            unseen = seen != saved
        else:
            unseen = replacing and seen_at is not None and review.reviewed_at > seen_at
        if unseen:
            raise InvalidInput.on(
                "kept",
                f"Someone else marked this period {saved if before is not None else 'unreviewed'}"
                " meanwhile. Reload to see it, then mark it again if you still disagree.",
            )
        if not created:
            review.kept, review.note, review.reviewed_by = kept, note, actor.user
            review.save()
        review.commitment = commitment
        word = "kept" if kept else "missed"
        changes = {
            "period": ["", period_label(commitment.period, start)],
            "verdict": ["" if before is None else ("kept" if before else "missed"), word],
        }
        if note:
            changes["note"] = ["", note]
        core.record(actor=actor, verb="reviewed", target=commitment, changes=changes)
    return review


def review_delete(review: CommitmentReview, *, actor: Actor, seen: str) -> None:
    """Take back a verdict given by mistake: the period is unreviewed again. ``seen`` is the
    verdict the person means to take back ("kept" or "missed"); one changed since is kept."""
    commitment = review.commitment
    _require_side(actor, commitment)
    require_open(scope_of(commitment))
    if seen not in ("kept", "missed"):
        raise InvalidInput.on("seen", "Say which verdict you are clearing: kept or missed.")
    with transaction.atomic():
        locked = CommitmentReview.objects.select_for_update().filter(pk=review.pk).first()
        label = period_label(commitment.period, review.period_start)
        if locked is None:
            raise InvalidInput(f"The verdict for {label} was already cleared.")
        saved = "kept" if locked.kept else "missed"
        if seen != saved:
            raise InvalidInput.on(
                "seen",
                f"{label} is marked {saved} now, not {seen}: someone changed it meanwhile."
                " Reload to see it, then clear it if you still mean to.",
            )
        locked.delete()
        core.record(
            actor=actor,
            verb="cleared a review of",
            target=commitment,
            changes={"period": [label, ""], "verdict": [saved, ""]},
        )
