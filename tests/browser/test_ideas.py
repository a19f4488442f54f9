"""The ideas backlog in the browser: committing past the limit is refused with the reason,
and the idea stays in the backlog; priority order moves by keyboard."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

REFUSAL = (
    "Northwind already has 3 committed ideas — the limit is 3."
    " Finish or release one first, or raise the limit."
)


def test_committing_past_the_limit_is_refused(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    maria.locator("#portfolio-results").get_by_role("link", name="Northwind", exact=True).click()
    maria.get_by_role("link", name="Ideas", exact=True).click()
    expect(maria.get_by_role("heading", name="Ideas", level=1)).to_be_visible()
    tactical = maria.locator("#group-tactical")

    # Capture one more idea in one field.
    tactical.get_by_placeholder("Capture an idea in a line…").fill("Northwind at our user day")
    tactical.get_by_role("button", name="Add").click()
    expect(maria.locator(".messages")).to_contain_text("Idea added to short-term tactical")

    # Commit ideas until the limit (the demo has two of three committed).
    heading = maria.locator("#commit-heading")
    while not re.search(r"Committed: 3 of 3", heading.inner_text()):
        row = tactical.locator(".idea-row:not(.committed)").first
        title = row.locator(".title strong").inner_text()
        row.get_by_role("button", name=f"Commit: {title}").click()
        expect(tactical.locator(".idea-row.committed").filter(has_text=title)).to_be_visible()
    expect(maria.locator(".commit-bar")).to_contain_text("At the limit")

    # One more is refused, with the reason, and stays in the backlog.
    row = maria.locator(".idea-row").filter(has_text="Northwind at our user day")
    row.get_by_role("button", name="Commit: Northwind at our user day").click()
    expect(maria.locator(".messages .message.error")).to_have_text(REFUSAL)
    row = maria.locator(".idea-row").filter(has_text="Northwind at our user day")
    expect(row).not_to_have_class(re.compile(r"committed"))
    expect(row.get_by_role("button", name="Commit: Northwind at our user day")).to_be_visible()
    expect(heading).to_have_text("Committed: 3 of 3")


def test_ideas_move_up_by_keyboard(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    lena = new_context().new_page()
    sign_in(lena, server, "lead@acme.example", "tandem-demo")
    lena.goto(server.url("/partnerships/program/ideas/"))
    strategic = lena.locator("#group-strategic")
    strategic.get_by_placeholder("Capture an idea in a line…").fill("Partner summit in spring")
    strategic.get_by_role("button", name="Add").press("Enter")
    strategic = lena.locator("#group-strategic")
    expect(strategic.locator(".idea-row").last).to_contain_text("Partner summit in spring")
    button = strategic.get_by_role("button", name="Move up: Partner summit in spring")
    button.focus()
    lena.keyboard.press("Enter")
    expect(lena.locator("#group-strategic .idea-row").first).to_contain_text(
        "Partner summit in spring"
    )
