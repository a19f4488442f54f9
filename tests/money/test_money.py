"""Money is never mixed silently: ISO 4217 codes, decimals, totals per currency, conversion
only with a rate a member entered for the quarter (returned with the figure)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from babel.numbers import format_decimal
from django.core.exceptions import PermissionDenied

from tandem.accounts.services import token_create
from tandem.core.errors import Conflict, InvalidInput
from tandem.exchange.money import selectors, services
from tandem.exchange.money.models import Rate
from tandem.exchange.money.templatetags.money import amount_in, format_money
from tests.conftest import World, client_for


def _api(user):  # type: ignore[no-untyped-def]
    _token, secret = token_create(user=user, name="tools")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_currency_codes_are_iso_4217() -> None:
    assert services.validate_currency(" eur ") == "EUR"
    for bad in ("", "EURO", "XYZ", "12"):
        with pytest.raises(InvalidInput) as refused:
            services.validate_currency(bad)
        assert refused.value.errors["currency"]


def test_amounts_are_decimals_never_negative() -> None:
    assert services.validate_amount("12.50") == Decimal("12.50")
    for bad in ("-1", "abc", "nan", "inf"):
        with pytest.raises(InvalidInput):
            services.validate_amount(bad)


def test_totals_per_currency_never_across() -> None:
    rows = [("EUR", Decimal("1.10")), ("USD", Decimal("2")), ("EUR", Decimal("3")), ("", None)]
    assert selectors.totals(rows) == {"EUR": Decimal("4.10"), "USD": Decimal("2")}


def test_conversion_needs_the_quarters_rate_and_says_which(world: World) -> None:
    acme, maria = world.acme.pk, world.actor(world.maria)
    amounts = {"EUR": Decimal("100"), "USD": Decimal("50"), "GBP": Decimal("10")}
    missing = selectors.in_base(acme, amounts, 2026, 2)
    assert missing.total is None and missing.missing == ["EUR", "GBP"]
    services.set_rate(
        actor=maria, workspace_id=acme, currency="eur", year=2026, quarter=2, rate="1.1"
    )
    services.set_rate(
        actor=maria, workspace_id=acme, currency="GBP", year=2026, quarter=2, rate="1.25"
    )
    done = selectors.in_base(acme, amounts, 2026, 2)
    assert done.total == Decimal("172.50") and done.base == "USD"
    assert done.rates == {"EUR": Decimal("1.1"), "GBP": Decimal("1.25")}
    # Another quarter has no rate: nothing is converted silently.
    assert selectors.in_base(acme, amounts, 2026, 3).missing == ["EUR", "GBP"]
    table = selectors.rate_table(acme)
    assert selectors.convert("USD", amounts, 2026, 2, table).total == Decimal("172.50")


def test_rates_refuse_bad_input_and_write_nothing(world: World) -> None:
    acme, maria = world.acme.pk, world.actor(world.maria)
    bad = [
        {"currency": "XXQ", "rate": "1"},
        {"currency": "EUR", "rate": "-1"},
        {"currency": "EUR", "rate": "0"},
        {"currency": "USD", "rate": "1"},  # the base itself
        {"currency": "EUR", "rate": "1", "quarter": 5},
    ]
    for values in bad:
        with pytest.raises(InvalidInput):
            services.set_rate(
                actor=maria, workspace_id=acme, **{"year": 2026, "quarter": 1, **values}
            )
    assert not Rate.objects.exists()
    rate = services.set_rate(
        actor=maria, workspace_id=acme, currency="EUR", year=2026, quarter=1, rate="1.1"
    )
    with pytest.raises(InvalidInput):  # a second one without naming the version read
        services.set_rate(
            actor=maria, workspace_id=acme, currency="EUR", year=2026, quarter=1, rate="2"
        )
    with pytest.raises(Conflict):
        services.set_rate(
            actor=maria,
            workspace_id=acme,
            currency="EUR",
            year=2026,
            quarter=1,
            rate="2",
            version=99,
        )
    services.set_rate(
        actor=maria,
        workspace_id=acme,
        currency="EUR",
        year=2026,
        quarter=1,
        rate="1.2",
        version=rate.version,
    )
    assert Rate.objects.get().rate == Decimal("1.2")
    with pytest.raises(PermissionDenied):
        services.set_rate(
            actor=world.actor(world.pat),
            workspace_id=acme,
            currency="GBP",
            year=2026,
            quarter=1,
            rate="1",
        )


def test_base_currency_is_versioned_and_validated(world: World) -> None:
    acme, maria = world.acme.pk, world.actor(world.maria)
    row = services.currencies_of(acme)
    assert selectors.base_currency(acme) == "USD"
    with pytest.raises(InvalidInput):
        services.set_base(actor=maria, workspace_id=acme, base="EURO", version=row.version)
    services.set_base(actor=maria, workspace_id=acme, base="eur", version=row.version)
    assert selectors.base_currency(acme) == "EUR"
    with pytest.raises(Conflict):
        services.set_base(actor=maria, workspace_id=acme, base="GBP", version=row.version - 1)


def test_the_formatter_shows_the_currency() -> None:
    assert format_money(Decimal("1250.5"), "EUR") == "1,250.50 EUR"
    assert format_money(None, "EUR") == "—"


def test_amounts_are_written_as_babel_writes_them() -> None:
    """The formatter groups and rounds with Python's own format: the same text as babel's
    "#,##0.00" in en_US, halves, negatives, tiny and huge amounts alike."""
    values = [Decimal(text) for text in ("0.005", "0.015", "-2.675", "-0.001", "1E+20", "0")]
    values += [
        Decimal(n) / Decimal(10**places)
        for n in range(-100_003, 100_003, 997)
        for places in range(5)
    ]
    for value in values:
        assert format_money(value) == format_decimal(value, format="#,##0.00", locale="en_US")
    assert amount_in({"EUR": Decimal("3")}, "USD") == "0.00 USD"


def test_the_settings_page_and_api(world: World, as_maria, as_pat, as_olga) -> None:
    page = as_maria.get("/partnerships/program/money/")
    assert page.status_code == 200 and "Base currency" in page.content.decode()
    response = as_maria.post(
        "/partnerships/program/money/rates/",
        {"currency": "eur", "year": 2026, "quarter": 2, "rate": "1.08"},
    )
    assert response.status_code == 302
    # The rate reads back as entered, not as 1.08000000.
    listed = as_maria.get("/partnerships/program/money/").content.decode()
    assert 'name="rate" value="1.08"' in listed
    refused = as_maria.post(
        "/partnerships/program/money/rates/",
        {"currency": "ZZZ", "year": 2026, "quarter": 2, "rate": "1.08"},
    )
    assert refused.status_code == 400 and "not a currency code" in refused.content.decode()
    assert as_pat.get("/partnerships/program/money/").status_code in (403, 404)
    assert as_olga.get(f"/partnerships/{world.northwind.pk}/money/").status_code == 404
    api = _api(world.lena)
    base = api.get(f"/api/workspaces/{world.acme.pk}/currency").json()
    assert base["base"] == "USD"
    changed = api.put(
        f"/api/workspaces/{world.acme.pk}/currency",
        {"base": "GBP", "version": base["version"]},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["base"] == "GBP"
    stale = api.put(
        f"/api/workspaces/{world.acme.pk}/currency",
        {"base": "EUR", "version": base["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    made = api.post(
        f"/api/workspaces/{world.acme.pk}/rates",
        {"currency": "USD", "year": 2026, "quarter": 3, "rate": "0.8"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["rate"] in ("0.80000000", "0.8")
    bad = api.post(
        f"/api/workspaces/{world.acme.pk}/rates",
        {"currency": "QQQ", "year": 2026, "quarter": 3, "rate": "0.8"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    listed = api.get(f"/api/workspaces/{world.acme.pk}/rates").json()
    assert [row["currency"] for row in listed["items"]] == ["USD", "EUR"]  # latest quarter first
    assert _api(world.pat).get(f"/api/workspaces/{world.acme.pk}/rates").status_code in (403, 404)
