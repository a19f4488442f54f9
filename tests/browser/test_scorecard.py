"""The scorecard in the browser: a value typed into the grid turns its cell from off track
to on track in place (htmx), a refused value says why in the cell, and Pat sees the same
colours without the internal measurables."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

MEASURABLE = "Joint meetings held"  # demo data: weekly, at least 2, shared


def test_entering_a_value_changes_the_cells_colour(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    maria.locator("#portfolio-results").get_by_role("link", name="Northwind", exact=True).click()
    maria.get_by_role("link", name="Scorecard", exact=True).click()
    expect(maria.get_by_role("heading", name="Scorecard", level=1)).to_be_visible()
    scorecard_url = maria.url

    row = maria.locator("tr").filter(has=maria.get_by_role("link", name=MEASURABLE, exact=True))
    cell = row.locator("td.sc-cell.sc-now")  # this week: nothing entered yet
    expect(cell).to_have_class(re.compile(r"\bsc-open\b"))

    # Keyboard: the cell is a link; Enter opens its editor.
    cell.locator("a.sc-value").focus()
    maria.keyboard.press("Enter")
    field = cell.locator("input[name=value]")
    expect(field).to_be_focused()
    # A refusal as the first thing on a fresh page: the reason shows in the cell, and the
    # grid stays where it is.
    maria.keyboard.type("lots")
    maria.keyboard.press("Enter")
    expect(cell.get_by_role("alert")).to_contain_text("Enter a number")
    expect(maria.locator("table.scorecard").first).to_be_visible()
    field = cell.locator("input[name=value]")
    field.fill("1")
    field.press("Enter")
    expect(cell).to_have_class(re.compile(r"\bsc-off\b"))
    expect(cell).to_have_text("1")
    off_colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")

    cell.locator("a.sc-value").click()
    cell.locator("input[name=value]").fill("lots")
    cell.locator("input[name=value]").press("Enter")
    expect(cell.get_by_role("alert")).to_contain_text("Enter a number")

    cell.locator("input[name=value]").fill("3")
    cell.locator("input[name=value]").press("Enter")
    expect(cell).to_have_class(re.compile(r"\bsc-on\b"))
    on_colour = cell.evaluate("el => getComputedStyle(el).backgroundColor")
    assert on_colour != off_colour
    expect(maria.locator(".messages")).to_have_count(0)  # no page load happened

    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    pat.goto(scorecard_url)
    pat_row = pat.locator("tr").filter(has=pat.get_by_role("link", name=MEASURABLE, exact=True))
    expect(pat_row.locator("td.sc-cell.sc-now")).to_have_class(re.compile(r"\bsc-on\b"))
    expect(pat.locator("body")).not_to_contain_text("Hours on enablement")  # internal
