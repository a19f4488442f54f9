"""The joint quarterly plan, signed by both sides (seed 003: commitment is buy-in from both
sides): Maria signs for Acme, Pat for Northwind; Maria then renames one of the quarter's
rocks, and both are asked to sign the plan again, with the change shown."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

ROCK = "Ten joint opportunities in the pipeline"
RENAMED = "Twelve joint opportunities in the pipeline"


def open_plan(page: Page, server: Server, northwind: str) -> None:
    """From Northwind's rocks, the link to the quarter's plan."""
    page.goto(server.url(northwind + "rocks/"))
    page.get_by_role("link", name="Quarterly plan").click()
    expect(
        page.get_by_role("heading", name=re.compile(r"^Quarterly plan · Q\d \d{4}$"))
    ).to_be_visible()


def test_both_sides_sign_the_plan_and_a_changed_rock_asks_them_again(
    server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    northwind = (
        maria.locator("#portfolio-results")
        .get_by_role("link", name="Northwind", exact=True)
        .get_attribute("href")
    )
    assert northwind and re.fullmatch(r"/partnerships/\d+/", northwind)

    # --- Maria reads the plan and signs it for Acme. ------------------------------------------
    open_plan(maria, server, northwind)
    plan = maria.locator("#plan")
    expect(plan).to_contain_text(ROCK)
    expect(plan).not_to_contain_text("Decide on Nordic exclusivity")  # internal: never signed
    expect(maria.locator("#plan-status")).to_contain_text("Not signed yet")
    sign = maria.locator("#sign")
    agree = sign.get_by_role(
        "checkbox",
        name=re.compile(r"^I agree to this plan for Q\d \d{4} on behalf of Acme Analytics$"),
    )
    sign.get_by_role("button", name="Sign the plan").click()
    expect(agree).not_to_be_checked()  # the browser asks for the tick first: nothing signed
    expect(maria.locator("#history")).to_contain_text("Nobody signed")
    agree.check()
    sign.get_by_role("button", name="Sign the plan").click()
    expect(maria.locator(".messages")).to_contain_text("plan on behalf of Acme Analytics.")
    expect(maria.locator("#plan-status")).to_contain_text("Waiting for Northwind's signature.")
    expect(maria.locator("#side-ours")).to_contain_text("Signed by Maria Manager")

    # --- Pat signs for Northwind, by keyboard. ------------------------------------------------
    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    open_plan(pat, server, northwind)
    expect(pat.locator("#side-ours")).to_contain_text("Signed by Maria Manager")
    agree = pat.get_by_role("checkbox", name=re.compile(r"on behalf of Northwind$"))
    agree.focus()
    pat.keyboard.press("Space")
    expect(agree).to_be_checked()
    pat.keyboard.press("Tab")
    expect(pat.get_by_role("button", name="Sign the plan")).to_be_focused()
    pat.keyboard.press("Enter")
    expect(pat.locator(".messages")).to_contain_text("plan on behalf of Northwind.")
    expect(pat.locator("#plan-status")).to_contain_text("Signed by both sides.")
    history = pat.locator("#history")
    expect(history.locator("summary")).to_have_count(2)
    history.locator("summary").filter(has_text="Maria Manager").click()
    expect(history.locator("details[open]")).to_contain_text(ROCK)

    # --- Maria renames a rock on its edit page. ----------------------------------------------
    maria.goto(server.url(northwind + "rocks/"))
    maria.locator(".todo-row").filter(has_text=ROCK).get_by_role("link", name="Open").click()
    maria.locator("form.card input[name=title]").fill(RENAMED)
    maria.locator("form.card").get_by_role("button", name="Save").click()
    expect(maria.locator(".messages")).to_contain_text("saved")

    # --- Both are asked to sign again, and see what changed. ---------------------------------
    for page, side in ((maria, "Acme Analytics"), (pat, "Northwind")):
        open_plan(page, server, northwind)
        expect(page.locator("#plan-status")).to_contain_text("Changed since signing.")
        changes = page.locator("#changes")
        expect(changes).to_contain_text(RENAMED)
        expect(changes.locator("del")).to_have_text(ROCK)
        expect(changes.locator("ins")).to_have_text(RENAMED)
        expect(page.locator("#side-ours")).to_contain_text("To sign again")
        expect(page.locator("#side-partner")).to_contain_text("To sign again")
        expect(
            page.get_by_role("checkbox", name=re.compile(f"on behalf of {side}$"))
        ).to_be_visible()
