"""Mentions in the browser: Maria picks Pat from the offer with the keyboard alone, Pat's bell
counts it and takes him to the note; an internal note never offers Pat."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in, urlpath

pytestmark = pytest.mark.browser

PAT = "Pat Northwind"
TITLE = "Pilot review with the Nordics team"


def _bell(page: Page):  # type: ignore[no-untyped-def]
    """The bell shown at this width (the other copy is hidden)."""
    return page.locator("a.bell").locator("visible=true")


def _offer(page: Page):  # type: ignore[no-untyped-def]
    return page.get_by_role("listbox", name="People to mention")


def _open_northwind_note_form(page: Page, server: Server) -> None:
    page.goto(server.url("/partnerships/"))
    page.locator("#portfolio-results").get_by_role("link", name="Northwind", exact=True).click()
    page.get_by_role("link", name="+ Add note").click()
    expect(page.get_by_role("heading", name="Add a note")).to_be_visible()


def test_maria_mentions_pat_by_keyboard_and_pat_is_told(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    pat = new_context().new_page()
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    pat.goto(server.url("/notifications/"))
    pat.get_by_role("button", name="Mark all as read").click()
    expect(_bell(pat)).to_have_attribute("aria-label", "Notifications, none unread")

    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    _open_northwind_note_form(maria, server)
    maria.fill("input[name=title]", TITLE)
    expect(maria.locator("input[name=visibility][value=shared]")).to_be_checked()
    body = maria.get_by_role("textbox", name="Body")
    body.focus()
    maria.keyboard.type("Thanks @")

    # "@" offers everyone else who may see a shared note of Northwind: Pat among Acme's people.
    offer = _offer(maria)
    expect(offer).to_be_visible()
    expect(body).to_have_attribute("aria-controls", offer.get_attribute("id") or "")
    names = offer.get_by_role("option").all_inner_texts()
    assert PAT in names and "Sam Santos" in names and "Maria Manager" not in names
    expect(maria.get_by_role("status").filter(has_text="to mention")).to_have_text(
        f"{len(names)} people to mention. Up and down arrows to choose, Enter to pick, "
        "Escape to close."
    )
    for _ in range(names.index(PAT)):
        maria.keyboard.press("ArrowDown")
    chosen = offer.get_by_role("option", name=PAT)
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(body).to_have_attribute("aria-activedescendant", chosen.get_attribute("id") or "")
    maria.keyboard.press("Enter")
    expect(offer).to_be_hidden()
    expect(body).to_have_value(f"Thanks @{PAT} ")
    maria.keyboard.type("for the pilot figures.")
    maria.get_by_role("button", name="Save").click()
    expect(maria.locator(".messages")).to_contain_text("The note was added.")

    # Pat's bell counts one unread; opening it lands him on the note.
    pat.reload()
    expect(_bell(pat)).to_have_attribute("aria-label", "Notifications, 1 unread")
    expect(_bell(pat).locator(".bell-count")).to_have_text("1")
    _bell(pat).click()
    mention = pat.get_by_role(
        "link", name=f"Unread: Maria Manager mentioned you in the note “{TITLE}”"
    )
    mention.click()
    expect(pat.locator("input[name=title]")).to_have_value(TITLE)
    expect(pat.locator("textarea[name=body]")).to_have_value(
        f"Thanks @{PAT} for the pilot figures."
    )
    assert urlpath(pat.url).endswith("/edit/")
    expect(_bell(pat)).to_have_attribute("aria-label", "Notifications, none unread")


def test_an_internal_note_never_offers_the_partner(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    _open_northwind_note_form(maria, server)
    body = maria.get_by_role("textbox", name="Body")
    offer = _offer(maria)

    # Shared at first: "@pa" offers Pat. Escape closes the offer and keeps what was typed.
    body.focus()
    maria.keyboard.type("Ask @pa")
    expect(offer.get_by_role("option")).to_have_text([PAT])
    maria.keyboard.press("Escape")
    expect(offer).to_be_hidden()
    expect(body).to_have_value("Ask @pa")

    # Switched to internal, the same letters offer nobody, and "@" only Acme's people (not
    # Maria herself: naming oneself tells nobody).
    maria.check("input[name=visibility][value=internal]")
    body.fill("")
    body.focus()
    maria.keyboard.type("Ask @pa")
    expect(offer).to_be_hidden()
    maria.keyboard.press("Backspace")
    maria.keyboard.press("Backspace")
    expect(offer).to_be_visible()
    expect(offer.get_by_role("option")).to_contain_text(["Erin Exec", "Lena Lead", "Sam Santos"])
    expect(offer.get_by_role("option", name=PAT)).to_have_count(0)
    expect(offer.get_by_role("option", name="Maria Manager")).to_have_count(0)

    # Back to shared, Pat is offered again.
    maria.keyboard.press("Escape")
    maria.check("input[name=visibility][value=shared]")
    body.fill("")
    body.focus()
    maria.keyboard.type("Ask @pa")
    expect(offer.get_by_role("option")).to_have_text([PAT])
