"""Issues in the browser: ranking the list from the keyboard alone, as saved for everyone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

FIRST = "Leads go cold between handoff and first call"
SECOND = "Demo environment resets every night"
INTERNAL = "Northwind wants 30% margin"


def test_issues_are_reordered_by_keyboard(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    maria.locator("#portfolio-results").get_by_role("link", name="Northwind", exact=True).click()
    maria.get_by_role("link", name="Issues", exact=True).click()
    expect(maria.get_by_role("heading", name="Issues", level=1)).to_be_visible()
    titles = maria.locator(".issue-row .title strong")
    expect(titles).to_have_text([FIRST, SECOND, INTERNAL])

    # Tab to the last issue's handle, then move it up twice with the arrow key. Focus stays on
    # the handle of the issue that moved, so the second key press moves it again.
    handle = maria.get_by_role(
        "button", name=f"Move “{INTERNAL}”, now number 3. Use the arrow keys."
    )
    handle.focus()
    maria.keyboard.press("ArrowUp")
    expect(titles).to_have_text([FIRST, INTERNAL, SECOND])
    expect(maria.locator(":focus")).to_have_attribute(
        "aria-label", f"Move “{INTERNAL}”, now number 2. Use the arrow keys."
    )
    maria.keyboard.press("ArrowUp")
    expect(titles).to_have_text([INTERNAL, FIRST, SECOND])
    maria.keyboard.press("ArrowDown")
    expect(titles).to_have_text([FIRST, INTERNAL, SECOND])

    # Saved, not just drawn: a reload shows the same order, and Pat sees it too (without
    # the internal issue).
    maria.reload()
    expect(titles).to_have_text([FIRST, INTERNAL, SECOND])
    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    pat.goto(maria.url)
    expect(pat.locator(".issue-row .title strong")).to_have_text([FIRST, SECOND])
