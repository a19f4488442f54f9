"""The values pages in the browser: nothing on them breaks the page's scripts. Their form has
a field for the program value a partner's value matches; a form exposes its fields as
properties, so that field once hid the form's own matches() and htmx failed on load and on
submit ("e.matches is not a function")."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser


def _watch(page: Page) -> list[str]:
    """Every script error the page raises or logs, from here on."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            errors.append(f"{page.url}: {message.text}") if message.type == "error" else None
        ),
    )
    return errors


def _northwind_values(page: Page, server: Server) -> str:
    page.goto(server.url("/partnerships/"))
    page.get_by_role("link", name="Northwind", exact=True).first.click()
    partnership = re.search(r"/partnerships/(\d+)/", page.url)
    assert partnership is not None
    return f"/partnerships/{partnership.group(1)}/values/"


def _open(page: Page, server: Server, path: str) -> None:
    page.goto(server.url(path))
    expect(page.get_by_role("heading", name="Values", level=1)).to_be_visible()


def test_values_pages_raise_no_script_error(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    errors = _watch(maria)
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    values = _northwind_values(maria, server)
    _open(maria, server, "/partnerships/program/values/")
    _open(maria, server, values)
    form = maria.locator("form").filter(has=maria.get_by_role("button", name="Add value"))
    form.get_by_label("Name").fill("Say it plainly")
    choice = form.get_by_label("Matches our value")
    choice.select_option(index=1)
    form.get_by_role("button", name="Add value").click()
    expect(maria.locator(".messages")).to_be_visible()
    expect(maria.get_by_text("Say it plainly").first).to_be_visible()

    pat = new_context().new_page()
    errors += _watch(pat)
    sign_in(pat, server, "pat@northwind.example", "tandem-demo")
    _open(pat, server, values)
    assert errors == []
