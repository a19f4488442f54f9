"""The focus page in the browser: an admin lowers a person's capacity below the hours they
committed and the limit below the active partnerships; each warning appears, and both go
away when fixed."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser


def _set_capacity(page: Page, person: str, hours: str) -> None:
    row = page.locator(".focus-loads tbody tr").filter(has_text=person)
    field = row.get_by_label(f"Weekly hours for partnerships of {person}")
    field.fill(hours)
    row.get_by_role("button", name="Save").click()
    expect(page.locator(".messages")).to_contain_text(f"{person} now has")


def _set_limit(page: Page, limit: int) -> None:
    page.get_by_label("Limit", exact=True).fill(str(limit))
    page.get_by_role("button", name="Set limit").click()
    expect(page.locator(".messages")).to_contain_text(f"limit is now {limit}")


def test_focus_warnings_appear_and_go_away(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    lena = new_context().new_page()
    sign_in(lena, server, "lead@acme.example", "tandem-demo")
    lena.get_by_role("link", name="Focus", exact=True).click()
    expect(lena.get_by_role("heading", name="Focus", level=1)).to_be_visible()
    warnings = lena.locator(".focus-warnings")

    # The demo's one warning: Maria is stretched. Give her the hours and it goes.
    expect(warnings).to_contain_text("Maria Manager is committed to")
    _set_capacity(lena, "Maria Manager", "20")
    expect(warnings).to_have_count(0)

    # Sam owns Globex; with fewer hours than he committed he is over capacity.
    sam = lena.locator(".focus-loads tbody tr").filter(has_text="Sam Santos")
    committed = Decimal(sam.locator("td.num strong").inner_text())
    assert committed > 0
    _set_capacity(lena, "Sam Santos", str(max(committed - 1, Decimal(0))))
    expect(warnings).to_contain_text("Sam Santos is committed to")
    expect(sam).to_contain_text("Over capacity")

    # A limit below the number of active partnerships.
    heading = lena.locator(".focus-limit h2").inner_text()
    active = int(re.match(r"(\d+) of", heading).group(1))  # type: ignore[union-attr]
    assert active >= 2
    _set_limit(lena, active - 1)
    expect(warnings).to_contain_text(f"past your limit of {active - 1}")

    # A capacity out of range is refused with the reason, and nothing changes.
    row = lena.locator(".focus-loads tbody tr").filter(has_text="Sam Santos")
    row.get_by_label("Weekly hours for partnerships of Sam Santos").fill("500")
    row.get_by_role("button", name="Save").click()
    expect(lena.locator(".callout.bad")).to_contain_text("Could not change Sam Santos's capacity")
    expect(warnings).to_contain_text("Sam Santos is committed to")

    # Fixed: both warnings go away.
    _set_capacity(lena, "Sam Santos", "12")
    _set_limit(lena, active + 1)
    expect(warnings).to_have_count(0)
    expect(lena.locator(".focus-limit h2")).to_have_text(
        f"{active} of {active + 1} active partnerships"
    )

    # Leave the demo as it was.
    _set_capacity(lena, "Maria Manager", "5")
    _set_limit(lena, 3)
