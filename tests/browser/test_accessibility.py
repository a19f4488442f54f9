"""Every page, as a member and as the partner side, at desktop and phone width: no critical or
serious axe-core violation, and nothing that makes the page scroll sideways.

The pages are found the way a person finds them: by following the links from the home page,
one page per URL pattern (ids replaced), so a new page is audited as soon as something links
to it. axe-core comes from the npm registry (tests/browser/package.json, installed by
`make install-test`) and is injected from there into each page.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Error, Page, expect

from .conftest import Server
from .test_partner_invitation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.page_audit]

AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("critical", "serious")
DESKTOP, PHONE = 1280, 375
PEOPLE = ("lead@acme.example", "pat@northwind.example")

# Not pages: signing out ends the session, the API and its docs are audited by their own
# tests, calendar feeds and downloads are files.
SKIP = re.compile(r"^/(accounts/logout|api/|admin/|calendar/|static/)|\.(ics|csv|json|txt)$")
# At phone width, a representative subset: every top-level page and partnership tab, a
# person's rocks, members, settings and account pages, a meeting's recap and the edit pages
# with tables; the other patterns (more forms of the same shapes) are covered at desktop width.
PHONE_PAGES = re.compile(
    r"^/((partnerships|people)/(<id>|program)/)?([a-z-]+/)?$|^/people/<id>/rocks/$"
    r"|^/(workspace|settings|accounts)/[a-z0-9-]+/$|/meetings/<id>/$"
    r"|/(communication|commitments)/<id>/edit/$"
)

AUDIT = """async () => {
    const result = await axe.run(document, {resultTypes: ['violations']});
    const wide = [...document.querySelectorAll('body *')]
        .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
        .slice(0, 3)
        .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
             + (el.className && typeof el.className === 'string'
                ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
    return {
        violations: result.violations.map(v => ({
            id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3), count: v.nodes.length,
        })),
        scrollWidth: document.documentElement.scrollWidth,
        innerWidth: window.innerWidth,
        wide: wide,
    };
}"""


def pattern(path: str) -> str:
    """The URL pattern of a path: every segment holding an id or a date becomes <id>."""
    return re.sub(r"/[^/]*\d[^/]*(?=/|$)", "/<id>", path)


@dataclass
class Findings:
    blocking: list[str] = field(default_factory=list)
    moderate: dict[str, list[str]] = field(default_factory=dict)
    by_rule: Counter[str] = field(default_factory=Counter)
    pages: int = 0

    def audit(self, page: Page, label: str) -> None:
        # A context made by _context brings axe into every page as it loads (reading the
        # half-megabyte script into each page from here cost ~0.1 s a page).
        if not page.evaluate("typeof axe !== 'undefined'"):
            page.add_script_tag(path=str(AXE))
        self.pages += 1
        try:
            result = page.evaluate(AUDIT)
        except Error as error:  # a page script that breaks the DOM API breaks axe too
            self.blocking.append(f"{label}: the audit could not run: {error.message[:200]}")
            return
        for violation in result["violations"]:
            key = f"{violation['impact']}/{violation['id']}"
            self.by_rule[key] += violation["count"]
            line = f"{label}: {key} ×{violation['count']} at {violation['nodes']}"
            if violation["impact"] in BLOCKING:
                self.blocking.append(line)
            else:
                self.moderate.setdefault(key, []).append(line)
        if result["scrollWidth"] > result["innerWidth"]:
            self.blocking.append(
                f"{label}: {result['scrollWidth']} px wide in a {result['innerWidth']} px "
                f"window (past the edge: {result['wide']})"
            )


def _links(page: Page, origin: str) -> Iterator[str]:
    # A link that downloads a file (the lists' exports) leads to no page to audit.
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(a => a.href)"
    )
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or SKIP.search(parts.path):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _visit(page: Page, server: Server, url: str) -> bool:
    response = page.goto(server.url(url), wait_until="load")
    if response is None or "text/html" not in response.headers.get("content-type", ""):
        return False
    assert response.status < 500, f"{url} answered {response.status}"
    return response.ok


def crawl(page: Page, server: Server, findings: Findings | None, label: str) -> list[str]:
    """Visit one page per URL pattern reachable from the home page, auditing each (unless
    ``findings`` is None: the crawl only lists the pages)."""
    origin = server.base_url
    queue, seen, visited = ["/"], {pattern("/")}, []
    while queue:
        url = queue.pop(0)
        if not _visit(page, server, url):
            continue
        visited.append(url)
        if findings is not None:
            findings.audit(page, f"{label} {url}")
        for link in _links(page, origin):
            key = pattern(urlsplit(link).path)
            if key not in seen:
                seen.add(key)
                queue.append(link)
    return visited


def _context(browser: Browser, server: Server, email: str, width: int) -> BrowserContext:
    # The app's Content-Security-Policy refuses inline scripts, axe among them; the policy has
    # its own tests, so these contexts let the audit in.
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900}, bypass_csp=True)
    context.add_init_script(path=str(AXE))
    page = context.new_page()
    sign_in(page, server, email, "tandem-demo")  # reads the sidebar, shown at desktop width
    page.set_viewport_size({"width": width, "height": 900})
    return context


# One test per person and width, so the test processes share the audit's minutes.
@pytest.mark.parametrize("width", [DESKTOP, PHONE])
@pytest.mark.parametrize("email", PEOPLE)
def test_every_page_is_accessible_and_fits_the_window(  # type: ignore[no-untyped-def]
    server: Server, browser: Browser, capsys: pytest.CaptureFixture[str], email: str, width: int
) -> None:
    assert AXE.exists(), "axe-core is missing: run `make install-test`"
    findings = Findings()
    desktop = _context(browser, server, email, DESKTOP)
    try:
        # At the phone width the desktop crawl only finds the pages; they are audited below.
        audited = findings if width == DESKTOP else None
        pages = crawl(desktop.pages[0], server, audited, f"{email} @{DESKTOP}")
    finally:
        desktop.close()
    # Every area is reached: the crawl did not stop at a broken home page.
    assert len(pages) > (40 if email == PEOPLE[0] else 15), pages
    if width == PHONE:
        phone = _context(browser, server, email, PHONE)
        try:
            page = phone.pages[0]
            for url in pages:
                if PHONE_PAGES.search(pattern(urlsplit(url).path)) and _visit(page, server, url):
                    findings.audit(page, f"{email} @{PHONE} {url}")
        finally:
            phone.close()
        assert findings.pages > 5, "the phone audit reached too few pages"

    with capsys.disabled():
        print(f"\naxe-core and overflow audit, {email} at {width} px: {findings.pages} page loads")
        print(f"  {len(pages)} URL patterns")
        print(
            "  nodes by rule: "
            + (", ".join(f"{k} {n}" for k, n in findings.by_rule.most_common()) or "none")
        )
        for key, lines in sorted(findings.moderate.items()):
            print(f"  {key} (not blocking) on {len(lines)} page loads:")
            for line in lines[:5]:
                print(f"    {line}")
    assert not findings.blocking, "\n".join(findings.blocking)


def test_the_live_meeting_is_accessible_at_every_step(  # type: ignore[no-untyped-def]
    server: Server, browser: Browser
) -> None:
    """Each step of a running meeting, at both widths; Globex, so that the Northwind pulse of
    test_meeting starts from the demo as it is."""
    findings = Findings()
    for width in (DESKTOP, PHONE):
        context = _context(browser, server, "lead@acme.example", width)
        try:
            page = context.pages[0]
            page.goto(server.url("/partnerships/"))
            page.locator("#portfolio-results").get_by_role(
                "link", name="Globex", exact=True
            ).click()
            page.get_by_role("link", name="Meetings", exact=True).click()
            start = page.get_by_role("button", name=re.compile("^Start the "))
            if start.count():
                start.first.click()
            else:
                page.get_by_role("link", name="Join the meeting").click()
            title = page.locator("#section-title")
            # Back to the first step, then forward through every one of them.
            while page.get_by_role("button", name=re.compile("^← ")).count():
                before = title.inner_text()
                page.get_by_role("button", name=re.compile("^← ")).click()
                expect(title).not_to_have_text(before)
            while True:
                findings.audit(page, f"@{width} meeting step {title.inner_text()}")
                forward = page.get_by_role("button", name=re.compile("^Next: "))
                if not forward.count():
                    break
                name = forward.inner_text().removeprefix("Next: ").removesuffix(" →")
                forward.click()
                expect(title).to_have_text(name)
        finally:
            context.close()
    assert findings.pages >= 10
    assert not findings.blocking, "\n".join(findings.blocking)
