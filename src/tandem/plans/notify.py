"""Telling both sides that a quarter's plan waits for their signature: when it changed after
someone signed it, and when a quarterly meeting ends (the meeting calls
``after_quarterly_meeting``). Told through the in-app notifications (and e-mail for those
who chose it); once per change after a signature, not at every later edit."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.actors import actor_for
from tandem.accounts.models import Role
from tandem.core.access import Actor
from tandem.core.dates import quarter_of
from tandem.core.scope import partnership_model
from tandem.plans import content as plan_content
from tandem.plans.models import OURS, PARTNER, PlanReminder, PlanSignature
from tandem.plans.selectors import PlanState, plan_state

# Changes to these items may change a plan (label_lower of the models a plan holds).
WATCHED = frozenset({"traction.rock", "commitments.commitment", "vision.goal"})


def people_to_sign(partnership: Any, year: int, quarter: int) -> list[Any]:
    """Who should sign the quarter's plan now: on each side that has not signed its current
    version, our side's owner and executive sponsor of the partnership (the workspace's
    owners and admins when it names neither) and the partner's people."""
    return list(_people(partnership, plan_state(None, partnership, year, quarter).to_sign()))


def _people(partnership: Any, sides: list[str]) -> QuerySet[Any]:
    condition = Q(pk__in=[])
    if OURS in sides:
        ours = [pk for pk in (partnership.owner_id, partnership.sponsor_id) if pk]
        condition |= (
            Q(pk__in=ours)
            if ours
            else Q(
                memberships__workspace_id=partnership.workspace_id,
                memberships__role__in=[Role.OWNER, Role.ADMIN],
            )
        )
    if PARTNER in sides:
        condition |= Q(partner_accesses__partnership_id=partnership.pk)
    return (
        get_user_model()
        .objects.filter(condition, is_active=True)
        .distinct()
        .order_by("name", "email")
    )


def plan_url(partnership: Any, year: int, quarter: int) -> str:
    path = reverse("plan", args=[partnership.pk])
    return f"{path}?quarter={plan_content.quarter_key(year, quarter)}"


def tell(state: PlanState, *, actor: Actor, reason: str) -> int:
    """Notify the people of the sides that still have to sign ``state``'s current version,
    and note that they were told. Answers how many were told."""
    from tandem.notifications.services import notify

    sides = state.to_sign()
    if not sides:
        return 0
    partnership = state.partnership
    people = list(_people(partnership, sides))
    words = (
        "changed since it was signed: please review and sign again"
        if reason == "changed"
        else "is ready: please review and sign it"
    )
    reminder = PlanReminder.objects.create(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.pk,
        year=state.year,
        quarter=state.quarter,
        content_hash=state.content_hash,
        reason=reason,
    )
    notify(
        recipients=people,
        kind="plan_to_sign",
        item=reminder,
        text=f"The {state.label} plan of {partnership.name} {words}.",
        url=plan_url(partnership, state.year, state.quarter),
        actor=actor,
    )
    return len(people)


def after_quarterly_meeting(partnership: Any, year: int, quarter: int, *, actor: Actor) -> int:
    """A quarterly meeting set the quarter's plan: ask both sides to sign it (those who
    already signed this very version are not asked)."""
    return tell(plan_state(None, partnership, year, quarter), actor=actor, reason="meeting")


def plan_changed(partnership_id: int, *, user: Any) -> int:
    """After a change to a partnership's rock, commitment or goal: for each plan of this
    quarter or a later one that was signed, if it now differs from what a side signed and
    nobody was told since the latest signature, tell both sides. One query when nothing of
    the partnership was ever signed."""
    this = quarter_of(timezone.localdate())
    signed = (
        PlanSignature.objects.filter(partnership_id=partnership_id, year__gte=this[0])
        .order_by()
        .values_list("year", "quarter")
        .distinct()
    )
    quarters = sorted(key for key in set(signed) if key >= this)
    if not quarters:
        return 0
    partnership = partnership_model().objects.select_related("workspace").get(pk=partnership_id)
    told = 0
    for year, quarter in quarters:
        state = plan_state(None, partnership, year, quarter)
        stale = [side.latest for side in state.sides.values() if side.stale and side.latest]
        if not stale:
            continue
        since = max(side.latest.signed_at for side in state.sides.values() if side.latest)
        reminded = PlanReminder.objects.filter(
            partnership_id=partnership_id,
            year=year,
            quarter=quarter,
            reason="changed",
            sent_at__gte=since,
        ).exists()
        if not reminded:
            told += tell(state, actor=actor_for(user), reason="changed")
    return told
