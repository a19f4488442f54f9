"""Due diligence in the browser: a manager tries to move a prospect to active and is asked
for a decision; scores every criterion with evidence and records a go; then the move goes
through and the overview shows who decided, and when."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = pytest.mark.browser

PROSPECT = "Stark Cloud"
SCORES = {
    "Credibility": ("5 — excellent", "Marketplace partner since 2019; two customer references."),
    "Reputation": ("4 — good", "Rated 4.6 by buyers on the marketplace."),
    "Strategic alignment": ("4 — good", "Their enterprise buyers ask for analytics."),
    "Value potential": ("5 — excellent", "Listing reaches 12,000 accounts."),
    "Resources available": ("3 — fair", "An alliance manager part-time; we add one SE."),
}


def move_to_active(page: Page) -> None:
    page.get_by_role("link", name="Edit", exact=True).click()
    page.get_by_label("Stage").select_option("active")
    page.get_by_role("button", name="Save changes").click()


def test_a_prospect_becomes_active_only_after_a_go(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    maria = new_context().new_page()
    sign_in(maria, server, "maria@acme.example", "tandem-demo")
    maria.goto(server.url("/partnerships/"))
    maria.locator("#portfolio-results").get_by_role("link", name=PROSPECT, exact=True).click()
    expect(maria.get_by_role("heading", name=PROSPECT, level=1)).to_be_visible()

    # Moving it to active without a decision: refused, with the way to record one.
    move_to_active(maria)
    expect(maria.locator(".field.has-error")).to_contain_text(f"{PROSPECT} has no go decision yet")
    expect(
        maria.get_by_role("alert").filter(has_text="A go decision is needed first")
    ).to_be_visible()
    maria.get_by_role("link", name="Open the due diligence assessment").click()
    expect(maria.get_by_role("heading", name="Due diligence", level=1)).to_be_visible()
    expect(maria.locator(".callout")).to_contain_text("can't become active before a go")

    # Score each criterion with its evidence, and record a go with the reasons.
    maria.get_by_role("button", name="Start the assessment").click()
    expect(maria.locator(".messages")).to_contain_text("Assessment started")
    for name, (score, evidence) in SCORES.items():
        maria.get_by_label(f"Score: {name}").select_option(label=score)
        maria.get_by_label(f"Evidence: {name}").fill(evidence)
    maria.get_by_label("Go", exact=True).check()
    maria.get_by_label("Rationale").fill(
        "Credible, aligned, and a marketplace that reaches our buyers."
    )
    maria.get_by_role("button", name="Record decision").click()
    expect(maria.locator(".messages")).to_contain_text(f"Decision recorded: Go on {PROSPECT}.")
    decision = maria.locator("#decision")
    expect(decision).to_contain_text("Go")
    expect(decision).to_contain_text("Recorded by Maria Manager on")
    expect(decision).to_contain_text("86% weighted")

    # Now the move to active goes through, and the overview says who decided, and when.
    maria.get_by_role("link", name="Overview", exact=True).click()
    move_to_active(maria)
    expect(maria.locator(".messages")).to_contain_text("Changes saved.")
    expect(maria.locator(".page-head .badge.stage-active")).to_have_text("Active")
    facts = maria.locator(".facts div").filter(has_text="Due diligence")
    expect(facts).to_contain_text("Go")
    expect(facts).to_contain_text("Maria Manager")
    # The one date style (the `day` filter): "Sat 5 Dec", with the year when not this one.
    expect(facts.locator("time")).to_have_text(re.compile(r"^\w{3} \d{1,2} \w{3}( \d{4})?$"))
