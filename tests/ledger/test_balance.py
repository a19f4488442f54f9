"""The balance figures against a direct computation on generated data, and the same number
of queries with 10 entries as with 200 (pages and API)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.exchange.ledger import selectors
from tandem.exchange.ledger.charts import paired_bars
from tandem.exchange.ledger.models import Confirmation, Entry
from tandem.exchange.money import services as money
from tests.conftest import World, client_for

CURRENCIES = ("EUR", "USD", "")


def _generate(world: World, count: int, seed: int = 7, partnership=None) -> list[Entry]:  # type: ignore[no-untyped-def]
    rng = random.Random(seed)
    kinds = list(selectors.kinds_for(world.acme.pk))
    partnership = partnership or world.northwind
    rows = []
    for index in range(count):
        currency = rng.choice(CURRENCIES)
        rows.append(
            Entry(
                workspace=world.acme,
                partnership=partnership,
                kind=rng.choice(kinds),
                direction=rng.choice(("ours", "partner")),
                occurred_on=date(2024, 1, 1) + timedelta(days=rng.randrange(900)),
                title=f"Entry {index}",
                amount=Decimal(rng.randrange(0, 100000)) / 100 if currency else None,
                currency=currency,
                logged_by_side=rng.choice(("ours", "partner")),
                confirmation=rng.choice(Confirmation.values),
                visibility=rng.choice(("shared", "shared", "internal")),
                created_by=world.maria,
            )
        )
    return Entry.objects.bulk_create(rows)


def test_balance_equals_a_direct_computation(world: World) -> None:
    rows = _generate(world, 300)
    for user, side in ((world.maria, "ours"), (world.pat, "partner")):
        actor = world.actor(user)
        seen = [
            e for e in rows
            if e.confirmation != "disputed" and (user == world.maria or e.visibility == "shared")
        ]  # fmt: skip
        found = selectors.balance(actor, world.northwind, side=side)
        kinds: dict = defaultdict(lambda: defaultdict(Decimal))
        quarters: dict = defaultdict(lambda: defaultdict(Decimal))
        counts: dict = defaultdict(int)
        for e in seen:
            way = "gave" if e.direction == side else "received"
            counts[way] += 1
            if e.amount is not None:
                kinds[e.kind_id][way, e.currency] += e.amount
                quarters[e.occurred_on.year, (e.occurred_on.month - 1) // 3 + 1][
                    way, e.currency
                ] += e.amount
        assert (found.total.gave_count, found.total.received_count) == (
            counts["gave"], counts["received"],
        )  # fmt: skip
        for row in found.by_kind:
            for code in row.currencies:
                assert row.gave.get(code, 0) == kinds[row.kind_id]["gave", code]
                assert row.received.get(code, 0) == kinds[row.kind_id]["received", code]
        assert {(q.year, q.quarter) for q in found.by_quarter} == {
            (e.occurred_on.year, (e.occurred_on.month - 1) // 3 + 1) for e in seen
        }
        for q in found.by_quarter:
            for code in ("EUR", "USD"):
                assert q.gave.get(code, 0) == quarters[q.year, q.quarter]["gave", code]
                assert q.received.get(code, 0) == quarters[q.year, q.quarter]["received", code]
        for state in ("pending", "confirmed", "disputed"):
            assert getattr(found, state) == sum(
                e.confirmation == state and (user == world.maria or e.visibility == "shared")
                for e in rows
            )
        # The value in a period, for the scorecard.
        start, end = date(2025, 1, 1), date(2025, 3, 31)
        given = selectors.value_in_period(actor, world.northwind, start, end, direction="ours")
        direct: dict = defaultdict(Decimal)
        for e in seen:
            if e.direction == "ours" and start <= e.occurred_on <= end and e.amount is not None:
                direct[e.currency] += e.amount
        assert given == dict(direct)


def test_the_last_quarters_are_the_whole_balance_cut_at_a_year(world: World) -> None:
    """A page's balance reads only the last year by quarter: the quarters it returns are
    those of the whole balance within four calendar quarters of the last counted entry
    (an empty quarter stays empty), and the totals, kinds and counts are the whole ones."""
    rows = _generate(world, 200, seed=11)
    # A quarter with no entries inside the year shown: the latest counted entries are in
    # 2026 Q2, none in 2025 Q4 (a disputed one there counts nowhere).
    Entry.objects.filter(occurred_on__gte=date(2025, 10, 1)).delete()
    late = rows[0]
    Entry.objects.bulk_create(
        [
            Entry(
                workspace=world.acme, partnership=world.northwind, kind=late.kind,
                direction=direction, occurred_on=day, title="Late", amount=Decimal("12.50"),
                currency="EUR", logged_by_side="ours", confirmation=state,
                visibility="shared", created_by=world.maria,
            )
            for direction, day, state in (
                ("ours", date(2026, 5, 2), "pending"),
                ("partner", date(2026, 1, 9), "confirmed"),
                ("partner", date(2025, 11, 3), "disputed"),
                ("ours", date(2026, 6, 30), "disputed"),
            )
        ]
    )  # fmt: skip
    for user, side in ((world.maria, "ours"), (world.pat, "partner")):
        actor = world.actor(user)
        whole = selectors.balance(actor, world.northwind, side=side)
        cut = selectors.balance(actor, world.northwind, side=side, last_quarters=4)
        shown = [(q.year, q.quarter) for q in cut.by_quarter]
        assert shown == [(2025, 3), (2026, 1), (2026, 2)]
        assert cut.by_quarter == [q for q in whole.by_quarter if (q.year, q.quarter) in shown]
        assert (cut.total, cut.by_kind) == (whole.total, whole.by_kind)
        assert (cut.pending, cut.confirmed, cut.disputed) == (
            whole.pending, whole.confirmed, whole.disputed,
        )  # fmt: skip
        assert cut.earlier_from is not None and whole.earlier_from is None
        assert (cut.earlier_from.year, cut.earlier_from.quarter) == (
            whole.by_quarter[0].year, whole.by_quarter[0].quarter,
        )  # fmt: skip


def test_a_date_typed_in_the_future_does_not_push_the_last_year_off(world: World) -> None:
    """An entry dated 2099 by a slip: the quarters shown end at today's, the slip counts in
    the totals (and shows in the entries, where it can be mended)."""
    _generate(world, 200, seed=13)  # 2024-01-01 to mid-2026
    slip = Entry.objects.order_by("pk").first()
    assert slip is not None
    Entry.objects.filter(pk=slip.pk).update(occurred_on=date(2099, 5, 1), confirmation="pending")
    maria = world.actor(world.maria)
    whole = selectors.balance(maria, world.northwind)
    today = date(2026, 5, 20)
    cut = selectors.balance(maria, world.northwind, last_quarters=4, today=today)
    assert [(q.year, q.quarter) for q in cut.by_quarter] == [
        (2025, 3), (2025, 4), (2026, 1), (2026, 2),
    ]  # fmt: skip
    assert cut.by_quarter == [
        q for q in whole.by_quarter if (2025, 3) <= (q.year, q.quarter) <= (2026, 2)
    ]
    assert cut.total == whole.total and (2099, 2) in {(q.year, q.quarter) for q in whole.by_quarter}


def test_a_balance_within_a_year_has_nothing_earlier(world: World) -> None:
    _generate(world, 30, seed=12)
    Entry.objects.filter(occurred_on__lt=date(2025, 10, 1)).delete()
    cut = selectors.balance(world.actor(world.maria), world.northwind, last_quarters=4)
    assert cut.by_quarter and cut.earlier_from is None
    empty = selectors.balance(world.actor(world.maria), world.globex, last_quarters=4)
    assert (empty.by_quarter, empty.earlier_from) == ([], None)


def test_portfolio_leaning(world: World) -> None:
    maria = world.actor(world.maria)
    _generate(world, 40, seed=1)
    _generate(world, 40, seed=2, partnership=world.globex)
    rows = {row.name: row for row in selectors.portfolio_balances(maria, world.acme.pk)}
    assert set(rows) == {"Northwind", "Globex"}
    for row in rows.values():
        direct: dict = defaultdict(Decimal)
        for e in Entry.objects.filter(partnership_id=row.partnership_id).exclude(
            confirmation="disputed"
        ):
            if e.amount is not None:
                direct[e.currency] += e.amount if e.direction == "partner" else -e.amount
        assert row.net == dict(direct)
        signs = {v > 0 for v in row.net.values() if v}
        if signs == {True}:
            assert row.leaning == "gives"
        elif signs == {False}:
            assert row.leaning == "gets"


def _queries(client, url: str) -> int:  # type: ignore[no-untyped-def]
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_query_counts_do_not_grow_with_entries(world: World) -> None:
    money.set_rate(
        actor=world.actor(world.maria), workspace_id=world.acme.pk, currency="EUR",
        year=2024, quarter=2, rate="1.1",
    )  # fmt: skip
    maria, pat = client_for(world.maria), client_for(world.pat)
    _token, secret = token_create(user=world.pat, name="tools")
    api = client_for(None)
    api.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    page = f"/partnerships/{world.northwind.pk}/value/"
    urls = [
        (maria, page),
        (pat, page),
        (maria, "/partnerships/program/value/portfolio/"),
        (api, f"/api/partnerships/{world.northwind.pk}/ledger"),
        (api, f"/api/partnerships/{world.northwind.pk}/ledger/balance"),
    ]
    _generate(world, 10, seed=3)
    _generate(world, 3, seed=4, partnership=world.globex)
    for client, url in urls:
        _queries(client, url)  # warm (kinds made, sessions)
    few = [_queries(client, url) for client, url in urls]
    _generate(world, 190, seed=5)
    _generate(world, 60, seed=6, partnership=world.globex)
    many = [_queries(client, url) for client, url in urls]
    assert few == many


def test_the_chart_is_svg_with_a_text_alternative() -> None:
    svg = str(paired_bars([("2026 Q1", Decimal(10), Decimal(5))], unit="EUR", title="By quarter"))
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert "2026 Q1: you gave 10, you received 5" in svg
    assert str(paired_bars([], unit="EUR", title="x")) == ""
    hostile = str(paired_bars([("<script>", Decimal(1), Decimal(1))], unit="EUR", title="x"))
    assert "<script>" not in hostile


def test_the_page_shows_the_last_four_quarters_and_says_where_the_earlier_start(
    world: World, as_maria
) -> None:
    """900 days of entries span ten quarters: the page's table and charts keep the last
    four (and read only those: its cost does not grow with the years), the API's balance
    keeps them all."""
    _generate(world, 120, seed=8)
    every = selectors.balance(world.actor(world.maria), world.northwind).by_quarter
    assert len(every) > 4
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/value/").content.decode()
    table = page.split('id="balance-by-quarter"')[1].split("</table>")[0]
    shown = [row.label for row in every if f">{row.label}</th>" in table]
    assert shown == [row.label for row in every[-4:]]
    assert f"(earlier quarters, from {every[0].label}, in the export)" in table
