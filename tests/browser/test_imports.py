"""Maria imports a HubSpot export of deals: she uploads it, checks the suggested mapping, runs
the check, imports, and the page follows the import on the real task worker until it shows
what was written."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

DEALS = (
    "Record ID,Deal Name,Amount,Close Date\r\n"
    'bt-1,Browser-test deal Alpine,"$1,200.00",2027-03-15\r\n'
    'bt-2,Browser-test deal Brookside,"$2,500.00",2027-04-30\r\n'
    "bt-3,Browser-test deal Cedar,$900,2027-05-01\r\n"
)


def test_maria_imports_deals_and_sees_the_result(
    server: Server, browser: Browser, tmp_path: Path
) -> None:
    export = tmp_path / "hubspot-deals.csv"
    export.write_text(DEALS)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("dialog", lambda dialog: dialog.accept())
        sign_in(page, server, "maria@acme.example", "tandem-demo")
        page.get_by_role("link", name="Imports", exact=True).click()
        page.get_by_role("link", name="New import").first.click()
        page.get_by_label("What to import").select_option("opportunities")
        page.get_by_label("Where the file comes from").fill("HubSpot browser test")
        page.get_by_label("Partnership").select_option(label="Northwind")
        page.get_by_label("CSV file").set_input_files(str(export))
        page.get_by_role("button", name="Upload and map columns").click()

        expect(page.get_by_label("Customer account", exact=True)).to_have_value("Deal Name")
        preview = page.get_by_role("region", name="The first rows of the file")
        expect(preview).to_contain_text("Browser-test deal Cedar")
        page.get_by_role("button", name="Check the file").click()

        expect(page.locator("#check")).to_contain_text("All 3 rows can be imported.")
        page.get_by_role("button", name="Import all 3 rows").click()
        # The bar polls until the worker is done, then the page shows the result.
        result = page.locator("#result")
        expect(result).to_contain_text("Created", timeout=30_000)
        expect(result.locator("dd").first).to_have_text("3")
        result.get_by_role("link", name="See the opportunities (pipeline)").click()
        expect(page.get_by_text("Browser-test deal Brookside")).to_be_visible()
        assert errors == []
    finally:
        context.close()
