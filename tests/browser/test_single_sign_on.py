"""Single sign-on by OpenID Connect, end to end: Lena registers Acme's own login for the
workspace and Northwind's login for the Northwind partnership; Pat signs in with Northwind's
login, Maria with Acme's once the workspace requires it. Two real providers run on loopback
(node-oidc-provider, tests/browser/oidc): authorisation code with PKCE (the providers refuse
a request without it), their own sign-in and sign-out pages, an account they refuse, and
accounts whose address is not the provider's domain.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import Server
from .oidc_peer import OidcAccount, OidcClient, OidcProvider
from .test_partner_invitation import sign_in, signed_in_as, urlpath

pytestmark = pytest.mark.browser

LENA = ("lead@acme.example", "tandem-demo")
MARIA = "maria@acme.example"
PAT = "pat@northwind.example"
IDP_PASSWORD = "Company-login-2026!"
INTERNAL_NOTE = "Margin discussion (internal)"


@dataclass(frozen=True)
class Company:
    """A company's running login and what Tandem's admin enters for it."""

    provider: OidcProvider
    name: str
    key: str
    client_id: str
    client_secret: str


def _company(
    server: Server, log_dir: Path, *, name: str, key: str, accounts: list[OidcAccount]
) -> OidcProvider:
    client = OidcClient(
        client_id=f"tandem-{key}",
        client_secret=_secret(key),
        redirect_uris=[server.url(f"/accounts/oidc/{key}/login/callback/")],
        post_logout_redirect_uris=[server.url("/accounts/login/")],
    )
    return OidcProvider.start(
        clients=[client], accounts=accounts, title=name, log_path=log_dir / f"{key}.log"
    )


_SECRETS: dict[str, str] = {}


def _secret(key: str) -> str:
    return _SECRETS.setdefault(key, secrets.token_urlsafe(24))


@pytest.fixture(scope="module")
def companies(
    server: Server, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Company]]:
    logs = tmp_path_factory.mktemp("oidc")
    acme = _company(
        server,
        logs,
        name="Acme login",
        key="acme",
        accounts=[
            OidcAccount("lead@acme.example", IDP_PASSWORD, "Lena Lead"),
            OidcAccount(MARIA, IDP_PASSWORD, "Maria Manager"),
        ],
    )
    northwind = _company(
        server,
        logs,
        name="Northwind login",
        key="northwind",
        accounts=[
            OidcAccount(PAT, IDP_PASSWORD, "Pat Northwind"),
            # Northwind's login knows people Tandem must not let in through it.
            OidcAccount("pat@gmail.example", IDP_PASSWORD, "Pat at home"),
            OidcAccount("intern@northwind.example", IDP_PASSWORD, "Nora Intern"),
            OidcAccount("left@northwind.example", IDP_PASSWORD, "Former colleague", refused=True),
        ],
    )
    try:
        yield {
            "acme": Company(acme, "Acme login", "acme", "tandem-acme", _secret("acme")),
            "northwind": Company(
                northwind, "Northwind login", "northwind", "tandem-northwind", _secret("northwind")
            ),
        }
    finally:
        acme.stop()
        northwind.stop()


@pytest.fixture(scope="module")
def registered(companies: dict[str, Company], server: Server, browser) -> dict[str, Company]:  # type: ignore[no-untyped-def]
    """Lena, Acme's owner, registers both logins on the Sign-in page, as an admin would."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, server, *LENA)
        page.goto(server.url("/workspace/members/"))
        page.get_by_role("link", name="Company sign-in and rules").click()
        expect(page.get_by_role("heading", name="Sign-in", exact=True)).to_be_visible()
        expect(page.get_by_text("No identity provider yet.")).to_be_visible()
        _register(
            page, server, companies["acme"], domains="acme.example", who="The workspace's members"
        )
        _register(
            page,
            server,
            companies["northwind"],
            domains="northwind.example",
            who="Northwind: its partner-side people",
        )
        page.goto(server.url("/workspace/sign-in/"))
        table = page.get_by_role("region", name="Identity providers")
        expect(table.get_by_role("row", name=re.compile("Acme login"))).to_contain_text(
            "Acme Analytics's members"
        )
        expect(table.get_by_role("row", name=re.compile("Northwind login"))).to_contain_text(
            "Northwind's partner-side people"
        )
    finally:
        context.close()
    return companies


def _register(page: Page, server: Server, company: Company, *, domains: str, who: str) -> None:
    page.goto(server.url("/workspace/sign-in/"))
    page.get_by_role("link", name="Add an identity provider").click()
    page.get_by_label("Name", exact=True).fill(company.name)
    page.get_by_label("Short name").fill(company.key)
    page.get_by_label("Who signs in with it").select_option(label=who)
    page.get_by_label("Issuer address").fill(company.provider.issuer)
    page.get_by_label("Client id").fill(company.client_id)
    page.get_by_label("Client secret").fill(company.client_secret)
    page.get_by_label("E-mail domains").fill(domains)
    page.get_by_role("button", name="Add the provider").click()
    expect(page.locator(".messages")).to_contain_text(f"{company.name} is set up")
    # The address to register with the provider, as the provider was started with.
    expect(page.locator("dl.addresses")).to_contain_text(
        f"/accounts/oidc/{company.key}/login/callback/"
    )
    expect(page.get_by_label("Client secret")).to_have_value("")


def company_sign_in(page: Page, server: Server, email: str) -> None:
    """From Tandem's sign-in page to the company's own, by the work address."""
    page.goto(server.url("/accounts/login/"))
    page.get_by_label("Work e-mail").fill(email)
    page.get_by_role("button", name="Continue with your company's login").click()


def at_provider(page: Page, company: Company, email: str, password: str = IDP_PASSWORD) -> None:
    # Tandem's "On to …" page moves on by itself: wait until the provider's page is here.
    expect(page).to_have_url(re.compile("^" + re.escape(company.provider.issuer)))
    expect(page.get_by_role("heading", name=company.name, exact=True)).to_be_visible()
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_pat_signs_in_with_northwind_login_and_sees_only_northwind(
    registered: dict[str, Company], server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    northwind = registered["northwind"]
    page = new_context().new_page()
    company_sign_in(page, server, PAT)
    # A wrong password is the provider's business: Pat stays there.
    at_provider(page, northwind, PAT, "not-the-password")
    expect(page.get_by_text("Wrong e-mail or password.")).to_be_visible()
    at_provider(page, northwind, PAT)

    expect(signed_in_as(page)).to_have_text(PAT)
    # Pat's seat is Northwind's partner side: that partnership, its shared items, no more.
    sidebar = page.get_by_role("navigation", name="Main")
    expect(sidebar.get_by_role("link", name="Northwind · Acme Analytics")).to_be_visible()
    expect(sidebar.get_by_text("Globex")).to_have_count(0)
    sidebar.get_by_role("link", name="Northwind · Acme Analytics").click()
    expect(page.get_by_role("heading", name="Northwind", exact=True)).to_be_visible()
    expect(page.get_by_text(INTERNAL_NOTE)).to_have_count(0)
    # The provider saw the code exchanged at its token endpoint (PKCE, or it refuses).
    assert "POST /token 200" in northwind.provider.log()

    # Signing out of Tandem signs out of Northwind's login too, then comes back.
    page.locator("nav").get_by_role("button", name="Sign out").locator("visible=true").click()
    expect(page.get_by_role("heading", name="Sign out of Northwind login?")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(re.escape(server.url("/accounts/login/"))))
    page.goto(server.url("/partnerships/"))
    assert urlpath(page.url) == "/accounts/login/"
    # The provider's session ended with Tandem's: signing in again asks for the password.
    company_sign_in(page, server, PAT)
    expect(page).to_have_url(re.compile("^" + re.escape(northwind.provider.issuer)))
    expect(page.get_by_role("heading", name=northwind.name, exact=True)).to_be_visible()
    expect(page.get_by_label("Password")).to_be_visible()


def test_the_provider_refuses_a_login(
    registered: dict[str, Company], server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    company_sign_in(page, server, "left@northwind.example")
    at_provider(page, registered["northwind"], "left@northwind.example")
    expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_text("Northwind login did not sign you in to Tandem.")
    page.goto(server.url("/partnerships/"))
    assert urlpath(page.url) == "/accounts/login/"


def test_an_address_outside_the_providers_domains_is_refused(
    registered: dict[str, Company], server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    company_sign_in(page, server, PAT)
    at_provider(page, registered["northwind"], "pat@gmail.example")
    expect(page.get_by_role("alert")).to_contain_text(
        "You signed in to Northwind login as pat@gmail.example, but it signs people in to"
        " Tandem only with addresses at northwind.example."
    )
    page.goto(server.url("/partnerships/"))
    assert urlpath(page.url) == "/accounts/login/"


def test_someone_without_access_is_not_let_in(
    registered: dict[str, Company], server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    company_sign_in(page, server, "intern@northwind.example")
    at_provider(page, registered["northwind"], "intern@northwind.example")
    expect(page.get_by_role("alert")).to_contain_text(
        "intern@northwind.example has no access to the Northwind partnership in Tandem."
    )
    page.goto(server.url("/partnerships/"))
    assert urlpath(page.url) == "/accounts/login/"


def test_no_company_login_for_a_domain(server: Server, new_context) -> None:  # type: ignore[no-untyped-def]
    page = new_context().new_page()
    company_sign_in(page, server, "someone@initech.example")
    expect(page.locator(".messages")).to_contain_text(
        "No company sign-in is set up for initech.example."
    )
    assert urlpath(page.url) == "/accounts/login/"


def test_the_workspace_requires_its_login_for_members(
    registered: dict[str, Company], server: Server, new_context
) -> None:  # type: ignore[no-untyped-def]
    acme = registered["acme"]
    lena = new_context().new_page()
    sign_in(lena, server, *LENA)
    lena.goto(server.url("/workspace/sign-in/"))
    lena.get_by_label("Members sign in with the workspace's identity provider").check()
    lena.get_by_role("button", name="Save the rules").click()
    expect(lena.locator(".messages")).to_contain_text("The sign-in rules are saved.")
    try:
        # Maria's password is right, but Acme asks for its own login: she is sent back.
        maria = new_context().new_page()
        maria.goto(server.url("/accounts/login/"))
        maria.fill("input[name=login]", MARIA)
        maria.fill("input[name=password]", "tandem-demo")
        maria.get_by_role("button", name="Sign in", exact=True).click()
        expect(maria.locator(".messages")).to_contain_text(
            "Acme Analytics asks its members to sign in with the company login"
        )
        assert urlpath(maria.url) == "/accounts/login/"
        maria.goto(server.url("/partnerships/"))
        assert urlpath(maria.url) == "/accounts/login/"

        company_sign_in(maria, server, MARIA)
        at_provider(maria, acme, MARIA)
        expect(signed_in_as(maria)).to_have_text(MARIA)
        maria.goto(server.url("/partnerships/"))
        expect(maria.get_by_role("heading", name="Partnership portfolio")).to_be_visible()

        # Lena, an owner, keeps her password: a broken provider never locks Acme out.
        lena.goto(server.url("/partnerships/"))
        expect(signed_in_as(lena)).to_have_text(LENA[0])
    finally:
        lena.goto(server.url("/workspace/sign-in/"))
        lena.get_by_label("Members sign in with the workspace's identity provider").uncheck()
        lena.get_by_role("button", name="Save the rules").click()
        expect(lena.locator(".messages")).to_contain_text("The sign-in rules are saved.")


@pytest.mark.parametrize("width", [1280, 375])
def test_the_pages_only_single_sign_on_shows_are_accessible(  # type: ignore[no-untyped-def]
    registered: dict[str, Company], server: Server, browser, width: int
) -> None:
    """ "On to <company> login" and "You are not signed in" are reached only inside the
    company login, so the page audit's crawl never finds them: audited here, as it audits."""
    from .test_accessibility import AXE, Findings

    northwind = registered["northwind"]
    findings = Findings()
    # The audit's script is let in as the page audit lets it in (the CSP has its own tests).
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    try:
        page = context.new_page()
        # Held at "On to Northwind login": its answer is shown without the refresh that
        # moves on to the provider (a refresh without delay, which axe does not object to).
        onward: list[str] = []

        def hold(route) -> None:  # type: ignore[no-untyped-def]
            answer = route.fetch()
            body = answer.text()
            found = re.search(r'<meta http-equiv="refresh" content="0;url=([^"]+)">', body)
            assert found, body
            onward.append(found.group(1).replace("&amp;", "&"))
            route.fulfill(response=answer, body=body.replace(found.group(0), ""))

        page.route(server.url("/accounts/sso/"), hold)
        company_sign_in(page, server, "left@northwind.example")
        expect(page.get_by_role("heading", name="On to Northwind login")).to_be_visible()
        findings.audit(page, f"on to the provider @{width}")
        # Then the provider refuses the login: Tandem says so.
        page.unroute(server.url("/accounts/sso/"))
        page.goto(onward[0])
        at_provider(page, northwind, "left@northwind.example")
        expect(page.get_by_role("heading", name="You are not signed in")).to_be_visible()
        findings.audit(page, f"not signed in @{width}")
    finally:
        context.close()
    assert AXE.exists() and findings.pages == 2
    assert not findings.blocking, "\n".join(findings.blocking)
