"""Measurables that fill themselves from the ledger and the pipeline: the figures against a
direct computation on generated data, money per currency with entered rates only, manual
entry refused (service, page, API), what each side sees, and constant query counts."""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.errors import InvalidInput
from tandem.core.scope import Program
from tandem.exchange.ledger.models import Entry as LedgerEntry
from tandem.exchange.ledger.models import Kind
from tandem.exchange.money.models import Currencies, Rate
from tandem.exchange.pipeline.models import DEFAULT_STAGES, Opportunity, Outcome, Stage
from tandem.scorecard import selectors, services
from tandem.scorecard.models import Entry, Measurable, Source, period_of
from tests.conftest import World

TODAY = datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("UTC"))  # a Wednesday, Q4
HX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def today(time_machine: Any) -> date:
    time_machine.move_to(TODAY, tick=False)
    return timezone.localdate()


def stages(world: World) -> dict[str, Stage]:
    made = {}
    for position, (name, probability, outcome) in enumerate(DEFAULT_STAGES):
        made[outcome if outcome != Outcome.OPEN else name] = Stage.objects.get_or_create(
            workspace=world.acme,
            name=name,
            defaults={"probability": probability, "outcome": outcome, "position": position},
        )[0]
    return made


def kind(world: World) -> Kind:
    return Kind.objects.get_or_create(workspace=world.acme, name="Referral")[0]


def add(world: World, title: str, source: str, **values: Any) -> Measurable:
    return services.measurable_create(
        actor=world.actor(values.pop("by", world.maria)),
        partnership=values.pop("scope", world.northwind),
        title=title,
        source=source,
        **values,
    )


def generate(world: World, today: date, n: int, seed: int = 7) -> None:
    """``n`` ledger entries and ``n`` deals over the last 120 days, in two partnerships,
    shared or internal, in USD, EUR and GBP, some disputed, some without an amount."""
    rng = random.Random(seed)
    the_stages = stages(world)
    referral = kind(world)
    open_stage = the_stages["Qualified"]
    entries, deals = [], []
    for i in range(n):
        day = today - timedelta(days=rng.randrange(0, 120))
        entries.append(
            LedgerEntry(
                workspace=world.acme,
                partnership=rng.choice([world.northwind, world.northwind, world.globex]),
                visibility=rng.choice(["shared", "shared", "internal"]),
                kind=referral,
                direction=rng.choice(["ours", "partner"]),
                occurred_on=day,
                title=f"Entry {i}",
                amount=None if i % 7 == 0 else Decimal(rng.randrange(100, 100000)) / 100,
                currency=rng.choice(["USD", "USD", "EUR", "GBP"]),
                logged_by_side="ours",
                confirmation=rng.choice(["pending", "confirmed", "disputed"]),
            )
        )
        outcome = rng.choice(["open", "won", "won", "lost"])
        stage = the_stages[outcome] if outcome != "open" else open_stage
        deals.append(
            Opportunity(
                workspace=world.acme,
                partnership=rng.choice([world.northwind, world.northwind, world.globex]),
                visibility=rng.choice(["shared", "shared", "internal"]),
                account_name=f"Account {i}",
                account_key=f"account-{i}",
                stage=stage,
                amount=None if i % 5 == 0 else Decimal(rng.randrange(1000, 900000)) / 100,
                currency=rng.choice(["USD", "USD", "EUR", "GBP"]),
                closed_on=day if outcome != "open" else None,
                registration=rng.choice(["", "", "pending", "accepted", "rejected"]),
            )
        )
    LedgerEntry.objects.bulk_create(entries)
    made = Opportunity.objects.bulk_create(deals)
    for deal in made:  # created_at is set on save: move it into the past
        created = datetime.combine(
            today - timedelta(days=rng.randrange(0, 120)), time(12), ZoneInfo("UTC")
        )
        Opportunity.objects.filter(pk=deal.pk).update(created_at=created)


RATES = {("EUR", 2026, 3): Decimal("1.10"), ("EUR", 2026, 4): Decimal("1.05"),
         ("GBP", 2026, 3): Decimal("1.30"), ("GBP", 2026, 4): Decimal("1.25")}  # fmt: skip


def enter_rates(world: World, rates: dict[tuple[str, int, int], Decimal] = RATES) -> None:
    Currencies.objects.update_or_create(workspace=world.acme, defaults={"base": "USD"})
    for (currency, year, quarter), rate in rates.items():
        Rate.objects.create(
            workspace=world.acme, currency=currency, year=year, quarter=quarter, rate=rate
        )


def in_usd(day: date, currency: str, amount: Decimal) -> Decimal:
    if currency == "USD":
        return amount
    return amount * RATES[(currency, day.year, (day.month - 1) // 3 + 1)]


def expected(world: World, source: str, periods: Iterable[date], *, partner: bool) -> list:
    """The direct computation: plain Python over every row, no aggregation in SQL."""
    totals = dict.fromkeys(periods, Decimal(0))

    def seen(item: Any) -> bool:
        if item.partnership_id != world.northwind.pk:
            return False
        return item.visibility == "shared" or not partner

    def put(day: date, value: Decimal) -> None:
        start = period_of(day, "weekly")
        if start in totals:
            totals[start] += value

    if source in {Source.VALUE_GIVEN, Source.VALUE_RECEIVED}:
        direction = "ours" if source == Source.VALUE_GIVEN else "partner"
        for entry in LedgerEntry.objects.all():
            if seen(entry) and entry.direction == direction and entry.amount is not None:
                if entry.confirmation != "disputed":
                    put(entry.occurred_on, in_usd(entry.occurred_on, entry.currency, entry.amount))
    for deal in Opportunity.objects.select_related("stage"):
        if not seen(deal):
            continue
        created = timezone.localdate(deal.created_at)
        if source == Source.PIPELINE_COUNT:
            put(created, Decimal(1))
        elif source == Source.REGISTRATIONS and deal.registration:
            put(created, Decimal(1))
        elif source == Source.PIPELINE_AMOUNT and deal.amount is not None:
            put(created, in_usd(created, deal.currency, deal.amount))
        elif deal.stage.outcome == "won" and deal.closed_on:
            if source == Source.WON_COUNT:
                put(deal.closed_on, Decimal(1))
            elif source == Source.WON_AMOUNT and deal.amount is not None:
                put(deal.closed_on, in_usd(deal.closed_on, deal.currency, deal.amount))
    return [totals[p].quantize(Decimal("0.01")) for p in periods]


SOURCES = [s for s in Source.values if s != Source.MANUAL]


@pytest.mark.parametrize("source", SOURCES)
def test_computed_values_match_a_direct_computation(world: World, today: date, source: str) -> None:
    generate(world, today, 300)
    enter_rates(world)
    measurable = add(world, f"Computed {source}", source)
    for user, partner in ((world.maria, False), (world.pat, True)):
        row = selectors.row_for(world.actor(user), world.northwind, measurable)
        periods = [cell.period_start for cell in row.cells]
        got = [cell.value.quantize(Decimal("0.01")) for cell in row.cells]
        assert got == expected(world, source, periods, partner=partner), (source, user)
        assert any(got)  # the generated data reaches the periods shown
        assert all(cell.computed and not cell.note for cell in row.cells)
        assert row.trailing.value == sum(got, Decimal(0))


def test_a_money_measurable_states_the_base_currency_and_the_missing_rate(
    world: World, today: date
) -> None:
    Currencies.objects.create(workspace=world.acme, base="EUR")
    measurable = add(world, "Value we gave", Source.VALUE_GIVEN, unit="number", currency="GBP")
    assert (measurable.unit, measurable.currency) == ("currency", "EUR")
    referral = kind(world)
    for amount, currency in ((Decimal("100.00"), "EUR"), (Decimal("50.00"), "USD")):
        LedgerEntry.objects.create(
            workspace=world.acme, partnership=world.northwind, kind=referral,
            direction="ours", occurred_on=today, title="Intro", amount=amount,
            currency=currency, logged_by_side="ours",
        )  # fmt: skip
    maria = world.actor(world.maria)
    row = selectors.row_for(maria, world.northwind, measurable)
    cell = row.cells[-1]
    assert cell.value is None and "USD in Q4 2026" in cell.note
    assert row.trailing.value is None and "USD" in row.trailing.note  # never a silent total
    Rate.objects.create(
        workspace=world.acme, currency="USD", year=2026, quarter=4, rate=Decimal("0.9")
    )
    row = selectors.row_for(maria, world.northwind, measurable)
    assert row.cells[-1].value == Decimal("145.00") and not row.cells[-1].note
    assert "€" in row.cells[-1].shown or "EUR" in row.cells[-1].shown
    assert isinstance(row.cells[-1].value, Decimal)


def test_the_page_shows_what_is_missing(world: World, today: date, as_maria: Client) -> None:
    add(world, "Deals won (amount)", Source.WON_AMOUNT)
    the_stages = stages(world)
    Opportunity.objects.create(
        workspace=world.acme, partnership=world.northwind, account_name="Umbrella",
        account_key="umbrella", stage=the_stages["won"], amount=Decimal("1000"),
        currency="JPY", closed_on=today,
    )  # fmt: skip
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/scorecard/").content.decode()
    assert "needs rate" in page and "JPY in Q4 2026" in page
    assert "Deals won (amount closed won)" in page  # where the figure comes from


def test_manual_entry_is_refused_everywhere(world: World, today: date, as_maria: Client) -> None:
    measurable = add(world, "Registrations", Source.REGISTRATIONS)
    week = period_of(today, "weekly") - timedelta(weeks=1)
    with pytest.raises(InvalidInput, match="fills itself"):
        services.value_set(
            measurable, actor=world.actor(world.maria), period_start=week, value="3", version=None
        )
    cell = f"/partnerships/{world.northwind.pk}/scorecard/{measurable.pk}/{week.isoformat()}/"
    page = as_maria.get(cell)
    assert page.status_code == 200 and "values are computed, never typed" in page.content.decode()
    refused = as_maria.post(cell, {"value": "3"})
    assert refused.status_code == 400 and "fills itself" in refused.content.decode()
    grid = as_maria.get(f"/partnerships/{world.northwind.pk}/scorecard/").content.decode()
    assert f'href="{cell}"' not in grid  # a computed cell is no link to an editor
    token = token_create(user=world.maria, name="t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    answer = api.put(
        f"/api/partnerships/{world.northwind.pk}/measurables/{measurable.pk}/values/{week}",
        {"value": "3"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "fills itself" in answer.json()["detail"]
    assert not Entry.objects.filter(measurable=measurable).exists()


def test_a_computed_measurable_takes_no_formula_nor_keeps_typed_values(
    world: World, today: date
) -> None:
    with pytest.raises(InvalidInput, match="not both"):
        add(world, "Both", Source.WON_COUNT, formula="1 + 1")
    typed = services.measurable_create(
        actor=world.actor(world.maria), partnership=world.northwind, title="Typed"
    )
    services.value_set(
        typed, actor=world.actor(world.maria), period_start=period_of(today, "weekly"),
        value="4", version=None,
    )  # fmt: skip
    with pytest.raises(InvalidInput, match="entered by hand"):
        services.measurable_update(
            typed, actor=world.actor(world.maria), version=typed.version, source=Source.WON_COUNT
        )
    with pytest.raises(InvalidInput):
        add(world, "Unknown", "made_up")


def test_pat_sees_figures_of_shared_items_only_and_lee_and_olga_nothing(
    world: World, today: date, as_pat: Client, as_olga: Client
) -> None:
    measurable = add(world, "Value they gave", Source.VALUE_RECEIVED)
    referral = kind(world)
    for visibility, amount, partnership in (
        ("shared", "10.00", world.northwind),
        ("internal", "1000.00", world.northwind),
        ("shared", "500.00", world.globex),
    ):
        LedgerEntry.objects.create(
            workspace=world.acme, partnership=partnership, visibility=visibility,
            kind=referral, direction="partner", occurred_on=today, title="Lead",
            amount=Decimal(amount), currency="USD", logged_by_side="partner",
        )  # fmt: skip
    maria = selectors.row_for(world.actor(world.maria), world.northwind, measurable)
    pat = selectors.row_for(world.actor(world.pat), world.northwind, measurable)
    assert maria.cells[-1].value == Decimal("1010.00")
    assert pat.cells[-1].value == Decimal("10.00")
    program = selectors.grid(
        world.actor(world.maria),
        Program(world.acme),
        [add(world, "Portfolio value received", Source.VALUE_RECEIVED, scope=Program(world.acme))],
    )
    assert program[0].rows[0].cells[-1].value == Decimal("1510.00")
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/scorecard/").content.decode()
    assert ">$10<" in page and "1,010" not in page
    assert as_olga.get(f"/partnerships/{world.northwind.pk}/scorecard/").status_code == 404
    lee = world.actor(world.lee)
    assert not selectors.measurables_in(lee, world.northwind).exists()


def test_the_api_shows_computed_values_beside_typed_ones(world: World, today: date) -> None:
    add(world, "Deals won", Source.WON_COUNT)
    the_stages = stages(world)
    Opportunity.objects.create(
        workspace=world.acme, partnership=world.northwind, account_name="Umbrella",
        account_key="umbrella", stage=the_stages["won"], closed_on=today,
    )  # fmt: skip
    token = token_create(user=world.pat, name="t")[1]
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    items = api.get(f"/api/partnerships/{world.northwind.pk}/measurables").json()["items"]
    won = next(item for item in items if item["title"] == "Deals won")
    typed = next(item for item in items if item["source"] == "manual")
    assert won["source"] == "won_count" and won["periods"][-1]["value"] == 1
    assert won["periods"][-1]["computed"] is True
    assert typed["periods"][-1]["computed"] is False
    created = api.post(
        f"/api/partnerships/{world.northwind.pk}/measurables",
        {"title": "Registered by us", "source": "registrations"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["source"] == "registrations"


def test_the_grid_costs_the_same_with_10_or_200_rows(world: World, today: date) -> None:
    for source in SOURCES:
        add(world, f"Computed {source}", source)
    enter_rates(world)
    measurables = list(selectors.measurable_list(world.actor(world.maria), world.northwind))

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            selectors.grid(world.actor(world.maria), world.northwind, measurables)
        return len(captured)

    generate(world, today, 10, seed=1)
    few = count()
    generate(world, today, 200, seed=2)
    assert count() == few
