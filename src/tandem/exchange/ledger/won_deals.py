"""A won deal is value given: the ledger records it once, as the deal closes.

The partner gave it when they sourced or influenced the deal; we gave it when we sourced it
for them. The entry carries the deal's amount and currency, its owner and visibility, and
links to the deal; it is logged by the side that moved the deal to won, so the other side
confirms or disputes it like any entry. A deal that already has a linked entry (someone
logged it by hand) gets no second one: the balance never counts a deal twice.
"""

from __future__ import annotations

from tandem.core.access import Actor
from tandem.core.scope import scope_of
from tandem.exchange.ledger.models import Direction, Entry, Kind
from tandem.exchange.ledger.services import ENTRIES, ensure_kinds
from tandem.exchange.pipeline.models import Attribution, Opportunity

# The kind a won deal is recorded as, by its attribution (then "Other", then the first kind).
KIND_OF_ATTRIBUTION: dict[str, str] = {
    Attribution.PARTNER_SOURCED: "Referral",
    Attribution.PARTNER_INFLUENCED: "Support",
    Attribution.SOURCED_FOR_PARTNER: "Referral",
}


def giver_of(deal: Opportunity) -> str:
    """The side that gave a deal: ours when we sourced it for the partner, else theirs."""
    if deal.attribution == Attribution.SOURCED_FOR_PARTNER:
        return Direction.OURS
    return Direction.PARTNER


def kind_for(deal: Opportunity) -> Kind | None:
    ensure_kinds(deal.workspace_id)
    kinds = {k.name.lower(): k for k in Kind.objects.filter(workspace_id=deal.workspace_id)}
    for name in (KIND_OF_ATTRIBUTION.get(deal.attribution, "Other"), "Other"):
        kind = kinds.get(name.lower())
        if kind is not None and not kind.archived:
            return kind
    return next((k for k in kinds.values() if not k.archived), None)


def record_won_deal(deal: Opportunity, actor: Actor) -> Entry | None:
    """The ledger entry for a deal just won, or None when it has one already (or the
    workspace archived every kind)."""
    if Entry.objects.filter(opportunity=deal).exists():
        return None
    kind = kind_for(deal)
    if kind is None:
        return None
    return ENTRIES.create(
        actor=actor,
        partnership=scope_of(deal),
        kind=kind,
        direction=giver_of(deal),
        occurred_on=deal.closed_on,
        title=f"Won deal: {deal.account_name}"[:200],
        amount=deal.amount,
        currency=deal.currency if deal.amount is not None else "",
        owner=deal.owner,
        opportunity=deal,
        visibility=deal.visibility,
    )
