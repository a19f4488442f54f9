"""Which side a reader speaks for in a partnership's ledger."""

from __future__ import annotations

from tandem.core.access import Actor
from tandem.core.scope import Scope
from tandem.exchange.ledger.models import Direction


def side_of(actor: Actor, scope: Scope) -> str:
    """A workspace member speaks for our side; a partner-side person for the partner."""
    return Direction.OURS if actor.is_member(scope.workspace_id) else Direction.PARTNER
