"""Deal registration to the balance (issue 15): Pat at Northwind registers a deal, Maria
accepts it and moves it to won; the scorecard's measurables that fill themselves (from the
pipeline and from the ledger) and the value exchange page change on both sides; Lee at Globex
registering the same account is told only that it is taken, never by whom.

The deal is in US dollars, the demo workspace's base currency, so the scorecard shows the
amount as it is (a deal in another currency would need a rate entered under Money). The demo
data already holds value exchange entries and a won deal, in earlier weeks: the balance is
checked to grow by the deal's amount, and this week's cells to go from nothing to it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

ACCOUNT = "Litware"  # no demo deal has this account
DOMAIN = "litware.example"
MEASURABLE = "Deal value won"  # added by Maria in this test: the pipeline's won amount
RECEIVED = "Value received from Northwind"  # demo data: weekly, from the ledger, shared
TAKEN = "This account is already registered."


def this_weeks_cell(page: Page, title: str):  # type: ignore[no-untyped-def]
    """The current week's cell of the scorecard's measurable ``title``."""
    row = page.locator("tr").filter(has=page.get_by_role("link", name=title, exact=True))
    return row.locator("td.sc-cell.sc-now")


def balance(page: Page, side: str):  # type: ignore[no-untyped-def]
    """The figure under "You gave" or "You received" in the value exchange's balance."""
    return (
        page.locator("#balance .ledger-figures > div")
        .filter(has=page.locator("dt", has_text=re.compile(f"^{side}$")))
        .locator("dd")
    )


def open_tab(page: Page, name: str) -> None:
    """Follow one of the partnership's tabs (Pipeline, Value, Scorecard …)."""
    page.locator("nav.tabs").get_by_role("link", name=name, exact=True).click()


def usd(figure) -> Decimal:  # type: ignore[no-untyped-def]
    """The US dollar amount a balance figure shows ("1,234.00 USD" among other currencies)."""
    expect(figure).to_contain_text("USD")
    found = re.search(r"([\d,]+\.\d{2}) USD", figure.inner_text())
    assert found, figure.inner_text()
    return Decimal(found.group(1).replace(",", ""))


def register(page: Page, account: str, domain: str, amount: str) -> None:
    """A partner-side person registers a partner-sourced deal in the form under the
    pipeline, by keyboard: Enter in the last field sends it."""
    form = page.locator("#new-deal")
    expect(form.get_by_role("heading", name="Register a deal")).to_be_visible()
    expect(form.locator("input[name=visibility]")).to_have_count(0)  # always shared
    form.locator("input[name=account_name]").fill(account)
    form.locator("input[name=account_domain]").fill(domain)
    form.locator("select[name=attribution]").select_option(label="Partner-sourced")
    form.locator("input[name=amount]").fill(amount)
    currency = form.locator("input[name=currency]")
    currency.fill("USD")
    currency.press("Enter")


def test_a_registered_deal_won_fills_the_scorecard_and_the_balance(
    server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    # --- Maria adds a measurable that fills itself from the pipeline. -----------------------
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    portfolio = maria.locator("#portfolio-results")
    northwind = portfolio.get_by_role("link", name="Northwind", exact=True).get_attribute("href")
    globex = portfolio.get_by_role("link", name="Globex", exact=True).get_attribute("href")
    assert northwind and re.fullmatch(r"/partnerships/\d+/", northwind)
    assert globex and re.fullmatch(r"/partnerships/\d+/", globex)

    maria.goto(server.url(northwind))
    open_tab(maria, "Scorecard")
    maria.get_by_role("link", name="Add measurable").click()
    expect(maria.get_by_role("heading", name="New measurable", level=1)).to_be_visible()
    maria.locator("select[name=frequency]").select_option(label="Weekly")
    maria.locator("select[name=source]").select_option(label="Deals won (amount closed won)")
    maria.locator("input[name=visibility][value=shared]").check()
    title = maria.locator("input[name=title]")
    title.fill(MEASURABLE)
    title.press("Enter")  # keyboard: Enter in the title sends the form
    expect(maria.locator(".messages")).to_contain_text(f"Measurable added: {MEASURABLE}.")
    expect(maria.get_by_role("heading", name="Scorecard", level=1)).to_be_visible()
    scorecard_url = maria.url
    expect(maria.locator("tr", has_text=MEASURABLE)).to_contain_text("Deals won (amount")
    # Nothing won, and nothing received in the ledger, this week yet.
    expect(this_weeks_cell(maria, MEASURABLE)).to_have_text("$0")
    expect(this_weeks_cell(maria, RECEIVED)).to_have_text("$0")
    open_tab(maria, "Value")
    received_before = usd(balance(maria, "You received"))

    # --- Pat registers a deal in Northwind's pipeline; it awaits a decision. ---------------
    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    pat.goto(server.url(northwind))
    open_tab(pat, "Pipeline")
    expect(pat.get_by_role("heading", name="Pipeline", level=1)).to_be_visible()
    register(pat, ACCOUNT, DOMAIN, "12000")
    expect(pat.locator(".messages")).to_contain_text(
        f"Deal registered: {ACCOUNT}. A member will accept or reject it."
    )
    expect(pat.locator(".messages")).not_to_contain_text(TAKEN)
    expect(pat.get_by_role("heading", name=ACCOUNT, level=1)).to_be_visible()
    expect(pat.locator(".page-head")).to_contain_text("Registration: awaiting a decision")
    expect(pat.locator("#the-deal")).to_contain_text("$12,000.00")
    expect(pat.locator("#the-deal")).to_contain_text(DOMAIN)
    expect(pat.locator("#move")).to_have_count(0)  # a pending deal does not move
    deal_url = pat.url
    open_tab(pat, "Value")
    gave_before = usd(balance(pat, "You gave"))
    pat.goto(deal_url)
    open_tab(pat, "Pipeline")
    pat.get_by_role("link", name=re.compile(r"registrations? awaiting a decision")).click()
    pending = pat.locator("#deals li").filter(has_text=ACCOUNT)
    expect(pending).to_contain_text("Awaiting a decision")

    # --- Maria accepts the registration, then moves the deal to won. ------------------------
    maria.goto(server.url(northwind))
    open_tab(maria, "Pipeline")
    waiting = maria.locator("#registrations li").filter(has_text=ACCOUNT)
    expect(waiting).to_contain_text("Pat Northwind")
    expect(waiting).not_to_contain_text("Account already registered")
    waiting.get_by_role("link", name=ACCOUNT).click()
    assert maria.url == deal_url
    maria.locator("#decide").get_by_role("button", name="Accept").click()
    expect(maria.locator(".messages")).to_contain_text(
        "Registration accepted. Both sides are told by e-mail."
    )
    expect(maria.locator(".page-head")).to_contain_text("Registration: accepted")
    move = maria.locator("#move")
    move.locator("select[name=stage]").select_option(label="Won")
    move.get_by_role("button", name="Move").click()
    expect(maria.locator(".messages")).to_contain_text(
        "Moved to Won. The value exchange records what it brought."
    )
    expect(maria.locator("#history")).to_contain_text("Registered → Won")
    expect(maria.locator("#move")).to_have_count(0)  # closed

    # --- Both sides see it: the measurable's cell and the value exchange. -----------------
    maria.goto(scorecard_url)
    expect(this_weeks_cell(maria, MEASURABLE)).to_have_text("$12,000")
    expect(this_weeks_cell(maria, RECEIVED)).to_have_text("$12,000")
    open_tab(maria, "Value")
    expect(maria.get_by_role("heading", name="Value exchange", level=1)).to_be_visible()
    assert usd(balance(maria, "You received")) == received_before + 12_000
    entry = maria.locator("#entries li").filter(has_text=f"Won deal: {ACCOUNT}")
    expect(entry).to_contain_text("You received")
    expect(entry).to_contain_text("Referral")
    expect(entry).to_contain_text("12,000.00 USD")

    pat.goto(scorecard_url)
    expect(this_weeks_cell(pat, MEASURABLE)).to_have_text("$12,000")
    expect(this_weeks_cell(pat, RECEIVED)).to_have_text("$12,000")
    open_tab(pat, "Value")
    expect(pat.get_by_role("heading", name="Value exchange", level=1)).to_be_visible()
    assert usd(balance(pat, "You gave")) == gave_before + 12_000
    entry = pat.locator("#entries li").filter(has_text=f"Won deal: {ACCOUNT}")
    expect(entry).to_contain_text("You gave")
    expect(entry).to_contain_text("Referral")
    expect(entry).to_contain_text("12,000.00 USD")
    pat.goto(deal_url)
    expect(pat.locator(".page-head")).to_contain_text("Won")

    # --- Lee registers the same account for Globex: told only that it is taken. ------------
    lee = new_context().new_page()
    sign_in(lee, server, "lee@globex.example", "tandem-demo")
    lee.goto(server.url(globex))
    open_tab(lee, "Pipeline")
    register(lee, "Litware Ltd", "https://www.Litware.example/", "8000")
    expect(lee.locator(".messages")).to_contain_text(
        f"Deal registered: Litware Ltd. A member will accept or reject it. {TAKEN}"
    )
    expect(lee.locator("#already-registered")).to_have_text(TAKEN)
    expect(lee.locator("#the-deal")).to_contain_text(DOMAIN)  # the domain, normalised
    page_text = lee.locator("body")
    expect(page_text).not_to_contain_text("Northwind")
    expect(page_text).not_to_have_text(re.compile(r"\bPat\b"))
    open_tab(lee, "Pipeline")
    lee.get_by_role("link", name=re.compile(r"registrations? awaiting a decision")).click()
    expect(lee.locator("#deals li").filter(has_text="Litware Ltd")).to_contain_text(TAKEN)
    expect(lee.locator("body")).not_to_contain_text("Northwind")
    expect(lee.locator("body")).not_to_have_text(re.compile(r"\bPat\b"))

    # The member, though, sees which deal it matched.
    maria.goto(server.url(globex))
    open_tab(maria, "Pipeline")
    flagged = maria.locator("#registrations li").filter(has_text="Litware Ltd")
    expect(flagged).to_contain_text("Account already registered")
    flagged.get_by_role("link", name="Litware Ltd").click()
    matched = maria.locator("#already-registered")
    expect(matched).to_contain_text("This account is already registered in the workspace.")
    expect(matched).to_contain_text("Northwind")
