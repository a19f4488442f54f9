"""A scorecard cell opened on its own page (a new tab, or a browser without JavaScript):
Enter saves the value and the scorecard says so. The cell's editor once kept its htmx
target, a grid row that page does not have, so Save and Enter did nothing at all."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

# Demo data: weekly, shared. Its oldest period shown, which no other browser test reads (the
# meeting's scorecard step and test_scorecard look at the latest weeks).
MEASURABLE = "Leads referred"


def _cell_address(page: Page, server: Server) -> str:
    page.goto(server.url("/partnerships/"))
    page.locator("#portfolio-results").get_by_role("link", name="Northwind", exact=True).click()
    page.get_by_role("link", name="Scorecard", exact=True).click()
    row = page.locator("tr").filter(has=page.get_by_role("link", name=MEASURABLE, exact=True))
    return row.locator("td.sc-cell a.sc-value").first.get_attribute("href") or ""


def _save_on_its_own_page(page: Page, server: Server, address: str, value: str) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(server.url(address))
    field = page.get_by_role("textbox", name=MEASURABLE)
    field.fill(value)
    field.press("Enter")
    expect(page.locator(".messages")).to_contain_text(f"Saved: {MEASURABLE}")
    expect(page.get_by_role("heading", name="Scorecard", level=1)).to_be_visible()
    assert errors == []


@pytest.mark.parametrize("javascript", [True, False], ids=["new-tab", "no-javascript"])
def test_a_cell_on_its_own_page_saves_and_says_so(
    server: Server, browser: Browser, javascript: bool
) -> None:
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, java_script_enabled=javascript
    )
    try:
        maria = context.new_page()
        sign_in(maria, server, "maria@acme.example", "tandem-demo")
        address = _cell_address(maria, server)
        assert address
        _save_on_its_own_page(maria, server, address, "37" if javascript else "41")
        row = maria.locator("tr").filter(has=maria.get_by_role("link", name=MEASURABLE, exact=True))
        expect(row.locator("td.sc-cell").first).to_contain_text("37" if javascript else "41")
    finally:
        context.close()
