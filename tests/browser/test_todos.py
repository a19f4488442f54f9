"""To-dos in the browser: the manager adds and ticks one off without a reload; the partner
adds one to the shared list, which the manager sees, and never sees the internal ones."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

INTERNAL_DEMO_TODO = "Check Northwind's certification status"


def test_both_sides_share_the_todo_list(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    maria.locator("#portfolio-results").get_by_role("link", name="Northwind", exact=True).click()
    maria.get_by_role("link", name="To-dos", exact=True).click()
    expect(maria.get_by_role("heading", name="To-dos", level=1)).to_be_visible()
    todos_url = maria.url
    expect(maria.locator("#open")).to_contain_text(INTERNAL_DEMO_TODO)

    maria.fill("input[name=title]", "Send the partner newsletter")
    maria.select_option("select[name=owner]", label="Pat Northwind")
    maria.get_by_role("button", name="Add to-do").click()
    expect(maria.locator(".messages")).to_contain_text("To-do added: Send the partner newsletter")
    row = maria.locator(".todo-row").filter(has_text="Send the partner newsletter")
    expect(row).to_contain_text("Pat Northwind")

    # Ticking it off swaps the row in place (htmx): no page load, the row shows it done.
    row.get_by_role("button", name="Mark done: Send the partner newsletter").click()
    expect(row).to_have_class("todo-row is-done")
    expect(row.get_by_role("button", name="Reopen: Send the partner newsletter")).to_be_visible()
    expect(maria.locator(".messages")).to_contain_text("To-do added")  # still the same page

    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    pat.goto(todos_url)
    expect(pat.get_by_role("heading", name="To-dos", level=1)).to_be_visible()
    expect(pat.locator("body")).not_to_contain_text(INTERNAL_DEMO_TODO)
    expect(pat.locator("input[name=visibility]")).to_have_count(0)
    pat.fill("input[name=title]", "Prepare the customer reference list")
    pat.get_by_role("button", name="Add to-do").click()
    expect(pat.locator(".messages")).to_contain_text("To-do added")

    maria.reload()
    expect(maria.locator("#open")).to_contain_text("Prepare the customer reference list")
    expect(
        maria.locator(".todo-row").filter(has_text="Prepare the customer reference list")
    ).to_contain_text("Pat Northwind")
