"""A won deal is value given: the ledger records it once, from the side that gave it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from tandem.core.access import Visibility
from tandem.exchange.ledger import selectors
from tandem.exchange.ledger.models import Confirmation, Direction, Entry
from tandem.exchange.ledger.services import entry_answer, entry_create
from tandem.exchange.pipeline import services as pipeline
from tandem.exchange.pipeline.models import Opportunity, Stage
from tests.conftest import World


def _stage(world: World, name: str) -> Stage:
    pipeline.stages_of(world.acme.pk)
    return Stage.objects.get(workspace=world.acme, name=name)


def _won(world: World, deal: Opportunity, user: Any = None) -> Opportunity:
    return pipeline.move_stage(
        deal,
        actor=world.actor(user or world.maria),
        version=deal.version,
        stage=_stage(world, "Won"),
    )


def _deal(world: World, **values: Any) -> Opportunity:
    values = {"account_name": "Fabrikam", "amount": Decimal("12000"), "currency": "EUR", **values}
    return pipeline.opportunity_create(
        actor=world.actor(world.maria), partnership=world.northwind, **values
    )


def test_a_won_partner_sourced_deal_is_value_the_partner_gave(world: World) -> None:
    deal = _won(world, _deal(world, owner=world.maria))
    entry = Entry.objects.get(opportunity=deal)
    assert entry.direction == Direction.PARTNER and entry.kind.name == "Referral"
    assert (entry.amount, entry.currency, entry.occurred_on) == (
        Decimal("12000.00"),
        "EUR",
        deal.closed_on,
    )
    assert entry.title == "Won deal: Fabrikam" and entry.owner == world.maria
    assert entry.visibility == Visibility.SHARED
    # Logged by the side that won it (ours): Pat's side answers for it, as for any entry.
    assert entry.logged_by_side == Direction.OURS and entry.confirmation == Confirmation.PENDING
    ours = selectors.balance(world.actor(world.maria), world.northwind, side=Direction.OURS)
    theirs = selectors.balance(world.actor(world.pat), world.northwind, side=Direction.PARTNER)
    assert ours.total.received == {"EUR": Decimal("12000.00")} and ours.total.gave == {}
    assert theirs.total.gave == {"EUR": Decimal("12000.00")} and theirs.total.received == {}
    entry_answer(entry, actor=world.actor(world.pat), version=entry.version, confirm=True)
    assert Entry.objects.get(pk=entry.pk).confirmation == Confirmation.CONFIRMED


def test_a_deal_we_sourced_for_the_partner_is_value_we_gave(world: World) -> None:
    deal = _won(world, _deal(world, attribution="sourced_for_partner"))
    assert Entry.objects.get(opportunity=deal).direction == Direction.OURS


def test_an_influenced_deal_is_support_and_a_deal_without_amount_counts_without_value(
    world: World,
) -> None:
    deal = _won(world, _deal(world, attribution="partner_influenced", amount=None, currency=""))
    entry = Entry.objects.get(opportunity=deal)
    assert entry.kind.name == "Support" and entry.amount is None and entry.currency == ""


def test_an_internal_deal_stays_internal_in_the_ledger(world: World) -> None:
    deal = _won(world, _deal(world, visibility=Visibility.INTERNAL))
    entry = Entry.objects.get(opportunity=deal)
    assert entry.visibility == Visibility.INTERNAL
    assert not Entry.objects.visible_to(world.actor(world.pat)).filter(pk=entry.pk).exists()


def test_a_deal_already_in_the_ledger_is_never_counted_twice(world: World) -> None:
    deal = _deal(world)
    entry_create(
        actor=world.actor(world.pat),
        partnership=world.northwind,
        kind=selectors.kinds_for(world.acme.pk).get(name="Lead"),
        direction="partner",
        occurred_on=deal.created_at.date(),
        title="Introduced Fabrikam",
        opportunity=deal,
    )
    _won(world, deal)
    assert Entry.objects.filter(opportunity=deal).count() == 1


def test_a_lost_deal_and_a_moved_open_deal_record_nothing(world: World) -> None:
    actor = world.actor(world.maria)
    deal = _deal(world)
    pipeline.move_stage(deal, actor=actor, version=deal.version, stage=_stage(world, "Proposal"))
    pipeline.move_stage(
        deal, actor=actor, version=deal.version, stage=_stage(world, "Lost"), lost_reason="Budget"
    )
    assert not Entry.objects.exists()


def test_an_archived_kind_is_passed_over(world: World) -> None:
    kinds = selectors.kinds_for(world.acme.pk)
    kinds.filter(name="Referral").update(archived=True)
    deal = _won(world, _deal(world))
    assert Entry.objects.get(opportunity=deal).kind.name == "Other"
