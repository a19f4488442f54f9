"""Signing a quarter's plan: one person signs for their side the version they read (its
hash). A plan that changed meanwhile is a conflict, never a signature of something unseen;
the same version signed again by the same side is refused politely."""

from __future__ import annotations

from types import SimpleNamespace

from django.db import transaction

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.dates import day
from tandem.core.errors import Conflict, InvalidInput, display
from tandem.core.policy import require_open
from tandem.core.scope import Scope
from tandem.core.sides import side_name
from tandem.plans import content as plan_content
from tandem.plans.models import PlanSignature
from tandem.plans.selectors import latest_signatures, side_of

CHANGED = "The plan changed since you read it: review what changed, then sign again."


def sign(
    *, actor: Actor, partnership: Scope, year: int, quarter: int, content_hash: str
) -> PlanSignature:
    """Record ``actor``'s signature for their side of the quarter's plan as it is now, if
    it is the version they read (``content_hash``)."""
    if partnership.is_program:
        raise InvalidInput("A plan is signed by the two sides of a partnership.")
    require_open(partnership)
    side = side_of(actor, partnership)
    actor.require(side is not None and actor.user is not None)
    assert side is not None and actor.user is not None  # for the type checker
    with transaction.atomic():
        content = plan_content.build(partnership, year, quarter)
        current = plan_content.digest(content)
        if content_hash != current:
            raise Conflict(
                CHANGED,
                current=SimpleNamespace(
                    pk=plan_content.quarter_key(year, quarter),
                    version=None,
                    content_hash=current,
                    concurrency_fields=("content_hash",),
                ),
                attempted={"content_hash": content_hash},
                fields=("content_hash",),
            )
        earlier = latest_signatures(partnership, year, quarter).get(side)
        if earlier is not None and earlier.content_hash == current:
            when = day(earlier.signed_at)
            if earlier.user_id == actor.user.pk:
                raise InvalidInput(f"You signed this version on {when}: nothing more to do.")
            name = side_name(side, actor, partnership).name
            raise InvalidInput(
                f"{earlier.signer_name} signed this version for {name} on {when}:"
                " nothing more to do."
            )
        signature = PlanSignature.objects.create(
            workspace_id=partnership.workspace_id,
            partnership_id=partnership.pk,
            year=year,
            quarter=quarter,
            user=actor.user,
            signer_name=display(actor.user)[:200],
            side=side,
            content=content,
            content_hash=current,
        )
        core.record(
            actor=actor,
            verb="signed",
            target=signature,
            changes={"plan": ["", f"Q{quarter} {year}"]},
        )
    return signature
