"""A partnership manager invites someone from the partner company, who joins through the
e-mailed link and sees only what is shared with them."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .conftest import REPO_ROOT, Mailbox, Server

pytestmark = pytest.mark.browser

MANAGER = ("maria@acme.example", "tandem-demo")
PARTNER_EMAIL = "dana@contoso.example"
PARTNER_NAME = "Dana Whitfield"
PARTNER_PASSWORD = "Contoso-partner-2026!"
SHARED_NOTE = "Joint launch plan for Q3"
INTERNAL_NOTE = "Our walk-away price is 40k"
SCREENSHOTS = REPO_ROOT / "var" / "screenshots"


def sign_in(page: Page, server: Server, email: str, password: str) -> None:
    page.goto(server.url("/accounts/login/"))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    expect(signed_in_as(page)).to_have_text(email)


def add_note(page: Page, title: str, body: str, *, internal: bool = False) -> None:
    page.get_by_role("link", name="+ Add note").click()
    expect(page.get_by_role("heading", name="Add a note")).to_be_visible()
    page.fill("input[name=title]", title)
    page.fill("textarea[name=body]", body)
    if internal:
        page.check("input[name=visibility][value=internal]")
    else:
        expect(page.locator("input[name=visibility][value=shared]")).to_be_checked()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text("The note was added.")


def signed_in_as(page: Page):  # type: ignore[no-untyped-def]
    """The e-mail in the visible sidebar (the mobile menu holds a hidden copy)."""
    return page.locator(".who-mail").locator("visible=true")


def urlpath(url: str) -> str:
    return urlsplit(url).path


def note(page: Page, title: str):  # type: ignore[no-untyped-def]
    return page.locator("#notes li").filter(has_text=title)


def test_manager_invites_partner_who_sees_only_shared_items(
    server: Server, mailbox: Mailbox, new_context
) -> None:  # type: ignore[no-untyped-def]
    # --- Maria, a partnership manager at Acme, creates the Contoso partnership. -------------
    maria = new_context().new_page()
    sign_in(maria, server, *MANAGER)
    maria.goto(server.url("/partnerships/"))
    northwind_href = (
        maria.locator("#portfolio-results")
        .get_by_role("link", name="Northwind", exact=True)
        .get_attribute("href")
    )
    assert northwind_href and re.fullmatch(r"/partnerships/\d+/", northwind_href)

    maria.get_by_role("link", name="+ New partnership").click()
    expect(maria.get_by_role("heading", name="New partnership")).to_be_visible()
    maria.fill("input[name=name]", "Contoso")
    maria.select_option("select[name=kind]", "technology")
    maria.select_option("select[name=horizon]", "strategic")
    maria.select_option("select[name=stage]", "diligence")
    maria.get_by_role("button", name="Create partnership").click()

    expect(maria.get_by_role("heading", level=1)).to_have_text("Contoso")
    expect(maria.locator(".messages")).to_contain_text("Contoso was added to your portfolio.")
    contoso_path = urlpath(maria.url)
    assert re.fullmatch(r"/partnerships/\d+/", contoso_path)
    assert contoso_path != northwind_href

    # --- She writes one note for both sides and one for Acme only. -------------------------
    add_note(maria, SHARED_NOTE, "Both teams demo the connector at **LaunchWeek**.")
    add_note(maria, INTERNAL_NOTE, "Do not share: our floor for the deal.", internal=True)
    expect(note(maria, SHARED_NOTE)).to_contain_text("Shared with partner")
    expect(note(maria, INTERNAL_NOTE)).to_contain_text("Internal")
    # What Maria sees and Dana will not.
    expect(maria.locator("main")).to_contain_text("Hours per week")
    expect(maria.get_by_role("link", name="Archive", exact=True)).to_be_visible()
    expect(maria.locator(f'a[href="{contoso_path}edit/"]')).to_be_visible()

    # --- She invites Dana from Contoso. -----------------------------------------------------
    people = maria.locator("#people")
    expect(people.get_by_role("heading", name="Partner-side access")).to_be_visible()
    people.locator("input[name=email]").fill(PARTNER_EMAIL)
    people.get_by_role("button", name="Invite").click()
    expect(maria.locator(".messages")).to_contain_text(f"Invitation sent to {PARTNER_EMAIL}.")
    expect(maria.locator("#people li").filter(has_text=PARTNER_EMAIL)).to_contain_text("pending")

    # --- The worker mails the invitation through the SMTP server. ----------------------------
    mail = mailbox.wait_for(PARTNER_EMAIL)
    assert "Contoso" in mail["Subject"]
    assert PARTNER_EMAIL in mail["To"]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    html = mail.get_body(preferencelist=("html",))
    assert html is not None and html.get_content_type() == "text/html"
    found = re.search(re.escape(server.base_url) + r"/invitations/[A-Za-z0-9_\-]+/", text)
    assert found, f"No invitation link in the e-mail:\n{text}"
    link = found.group(0)
    assert link in html.get_content()

    # --- Dana opens the link in her own browser and creates her account. ---------------------
    dana = new_context().new_page()
    dana.goto(link)
    expect(dana.get_by_role("heading", name="Join the Contoso partnership")).to_be_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    dana.screenshot(path=str(SCREENSHOTS / "e2e_partner_invitation.png"), full_page=True)
    dana.fill("input[name=name]", PARTNER_NAME)
    dana.fill("input[name=password]", PARTNER_PASSWORD)
    dana.get_by_role("button", name="Create account and join").click()

    expect(dana.get_by_role("heading", level=1)).to_have_text("Contoso")
    expect(dana.locator(".messages")).to_contain_text("Welcome to the Contoso partnership.")
    assert urlpath(dana.url) == contoso_path
    expect(signed_in_as(dana)).to_have_text(PARTNER_EMAIL)

    # --- She sees what is shared, and nothing that is not. -----------------------------------
    expect(note(dana, SHARED_NOTE)).to_be_visible()
    expect(note(dana, SHARED_NOTE)).to_contain_text("LaunchWeek")
    page_text = dana.locator("body")
    expect(page_text).not_to_contain_text(INTERNAL_NOTE)
    expect(page_text).not_to_contain_text("walk-away")
    expect(page_text).not_to_contain_text("Hours per week")
    expect(dana.locator("#people")).to_have_count(0)
    expect(dana.get_by_text("Partner-side access")).to_have_count(0)
    expect(dana.get_by_role("link", name="Archive", exact=True)).to_have_count(0)
    expect(dana.locator(f'a[href="{contoso_path}edit/"]')).to_have_count(0)
    expect(dana.get_by_role("link", name="Portfolio", exact=True)).to_have_count(0)
    dana.screenshot(path=str(SCREENSHOTS / "e2e_partner_contoso.png"), full_page=True)

    dana.goto(server.url(contoso_path + "activity/"))
    expect(dana.locator("main")).to_contain_text(SHARED_NOTE)
    expect(dana.locator("body")).not_to_contain_text(INTERNAL_NOTE)

    # --- The rest of Acme's program is closed to her. ----------------------------------------
    response = dana.goto(server.url("/partnerships/"))
    assert response is not None and response.status == 403
    expect(dana.get_by_role("heading", name="Not allowed")).to_be_visible()
    expect(dana.locator("body")).not_to_contain_text("Northwind")

    response = dana.goto(server.url(northwind_href))
    assert response is not None and response.status == 404
    expect(dana.get_by_role("heading", name="Not found")).to_be_visible()
    expect(dana.locator("body")).not_to_contain_text("Northwind")

    response = dana.goto(server.url(contoso_path + "edit/"))
    assert response is not None and response.status == 403

    # --- What she adds is shared with Acme: she gets no choice to hide it. ------------------
    dana.goto(server.url(contoso_path))
    dana.get_by_role("link", name="+ Add note").click()
    expect(dana.get_by_role("heading", name="Add a note")).to_be_visible()
    expect(dana.locator("input[name=visibility]")).to_have_count(0)
    dana.fill("input[name=title]", "Contoso demo environment is ready")
    dana.get_by_role("button", name="Save").click()
    expect(dana.locator(".messages")).to_contain_text("The note was added.")
    expect(note(dana, "Contoso demo environment is ready")).to_contain_text(PARTNER_NAME)

    maria.reload()
    dana_note = note(maria, "Contoso demo environment is ready")
    expect(dana_note).to_contain_text("Shared with partner")
    expect(dana_note).to_contain_text(PARTNER_NAME)
    expect(maria.locator("#people")).to_contain_text(PARTNER_NAME)
    expect(maria.locator("#people")).not_to_contain_text("pending")
    maria.screenshot(path=str(SCREENSHOTS / "e2e_manager_contoso.png"), full_page=True)
