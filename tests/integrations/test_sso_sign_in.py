"""Single sign-on, as the people who sign in meet it: "Sign in with your company" on the
sign-in page, who a provider may sign in (allauth's social-account adapter), the workspace's
rules on every request (company login required, two-factor required), and signing out of
the company's login too."""

from __future__ import annotations

import html
import json
import re
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa.models import Authenticator
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.middleware import MessageMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Membership, User, Workspace
from tandem.integrations.sso.adapter import SocialAccountAdapter
from tandem.integrations.sso.models import IdentityProvider
from tests.conftest import World, client_for
from tests.factories import PartnerAccessFactory, UserFactory
from tests.integrations.test_sso_admin import Issuer, add_provider, northwind_provider

SIGN_IN = "/accounts/login/"
TOTP = "/accounts/2fa/totp/activate/"
PAGE = "/partnerships/"  # any page of the workspace's


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    found = Issuer()
    yield found
    found.server.shutdown()
    found.server.server_close()


def _signed_in_through(client: Client, user: User, *records: dict[str, Any]) -> None:
    """What allauth writes into the session when someone signs in (by a provider, MFA…)."""
    session = client.session
    session["account_authentication_methods"] = list(records)
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


def _sso(key: str) -> dict[str, Any]:
    return {"method": "socialaccount", "provider": key, "uid": "x", "at": 0}


def _requires(workspace: Workspace, **rules: bool) -> None:
    Workspace.objects.filter(pk=workspace.pk).update(**rules)


def _signed_out(client: Client) -> bool:
    return "_auth_user_id" not in client.session


# --- "Sign in with your company" -------------------------------------------------------------


def test_the_sign_in_page_offers_company_sign_in() -> None:
    html = Client().get(SIGN_IN).content.decode()
    assert "Sign in with your company" in html
    assert 'action="/accounts/sso/"' in html


def test_an_address_whose_domain_has_no_provider_goes_back_to_sign_in(
    world: World, issuer: Issuer
) -> None:
    add_provider(world, issuer)
    client = Client()
    response = client.post("/accounts/sso/", {"email": "sam@nowhere.example"})
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert (
        "No company sign-in is set up for nowhere.example" in client.get(SIGN_IN).content.decode()
    )
    client.post("/accounts/sso/", {"email": "not an address"})
    assert "Enter your work e-mail address" in client.get(SIGN_IN).content.decode()


def _onward(client: Client, response: Any) -> str:
    """Where the browser goes on to: a redirect, or the page that moves on to the provider
    by itself (a form's answer may not leave Tandem: its Content Security Policy)."""
    while response.status_code == 302 and response["Location"].startswith("/"):
        response = client.get(response["Location"])
    if response.status_code == 302:
        return str(response["Location"])
    assert response.status_code == 200
    found = re.search(r'<a href="([^"]+)">continue to', response.content.decode())
    assert found, response.content.decode()
    return html.unescape(found.group(1))


def _authorization(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    query = {name: values[0] for name, values in parse_qs(parts.query).items()}
    return f"{parts.scheme}://{parts.netloc}{parts.path}", query


def _company_sign_in(client: Client, email: str, **extra: str) -> tuple[str, dict[str, str]]:
    return _authorization(_onward(client, client.post("/accounts/sso/", {"email": email, **extra})))


def test_a_known_domain_goes_to_its_provider_with_pkce(world: World, issuer: Issuer) -> None:
    northwind_provider(world, issuer)
    client = Client()
    endpoint, query = _company_sign_in(client, "pat@northwind.example", next="/partnerships/")
    assert endpoint == f"{issuer.url}/authorize"
    assert query["response_type"] == "code"
    assert query["client_id"] == "tandem-northwind"
    assert query["redirect_uri"] == "http://testserver/accounts/oidc/northwind/login/callback/"
    assert query["code_challenge_method"] == "S256"
    assert len(query["code_challenge"]) >= 43
    assert query["login_hint"] == "pat@northwind.example"
    assert "openid" in query["scope"].split() and query["state"]
    assert "/partnerships/" in json.dumps(client.session["socialaccount_states"])


def test_an_unknown_address_at_a_known_domain_is_sent_the_same_way(
    world: World, issuer: Issuer
) -> None:
    northwind_provider(world, issuer)
    known = _company_sign_in(Client(), "pat@northwind.example")
    unknown = _company_sign_in(Client(), "nobody@northwind.example")
    assert unknown[0] == known[0]
    assert set(unknown[1]) == set(known[1])
    assert unknown[1]["client_id"] == known[1]["client_id"]
    assert unknown[1]["login_hint"] == "nobody@northwind.example"


def test_an_unsafe_next_address_is_dropped(world: World, issuer: Issuer) -> None:
    northwind_provider(world, issuer)
    client = Client()
    endpoint, _ = _company_sign_in(client, "pat@northwind.example", next="https://evil.example/x")
    assert endpoint == f"{issuer.url}/authorize"
    assert "evil.example" not in json.dumps(client.session["socialaccount_states"])


def test_a_domain_two_workspaces_vouch_for_sends_a_member_to_their_own(
    world: World, issuer: Issuer
) -> None:
    # Initech's provider for acme.example came first; Maria is Acme's.
    add_provider(world, issuer, key="initech", domains=("acme.example",), workspace=world.initech)
    add_provider(world, issuer)
    maria = _company_sign_in(Client(), "Maria@acme.example")
    assert maria[1]["client_id"] == "tandem-acme"
    stranger = _company_sign_in(Client(), "who@acme.example")
    assert stranger[1]["client_id"] == "tandem-initech"


# --- Who a provider signs in (the adapter) ----------------------------------------------------


def _callback_request(key: str) -> HttpRequest:
    request = RequestFactory().get(f"/accounts/oidc/{key}/login/callback/")
    SessionMiddleware(lambda r: HttpResponse()).process_request(request)
    MessageMiddleware(lambda r: HttpResponse()).process_request(request)
    request.user = AnonymousUser()
    return request


def _returns(
    provider: IdentityProvider, claims: dict[str, Any], user: User | None = None
) -> SocialLogin:
    """The provider answered with ``claims``: what Tandem makes of it (raises the refusal)."""
    request = _callback_request(provider.key)
    account = SocialAccount(
        provider=provider.key, uid=str(claims.get("sub", "sub-1")), extra_data={"userinfo": claims}
    )
    if user is not None:
        account.user = user
    login = SocialLogin(user=user or User(email=claims.get("email") or ""), account=account)
    with context.request_context(request):
        SocialAccountAdapter(request).pre_social_login(request, login)
    return login


def _refusal(provider: IdentityProvider, claims: dict[str, Any], user: User | None = None) -> str:
    with pytest.raises(ImmediateHttpResponse) as refused:
        _returns(provider, claims, user)
    assert refused.value.response.status_code == 403
    assert not SocialAccount.objects.exists()
    return refused.value.response.content.decode()


def test_a_member_signing_in_for_the_first_time_is_linked_to_her_account(
    world: World, issuer: Issuer
) -> None:
    provider = add_provider(world, issuer)
    _returns(provider, {"sub": "maria-1", "email": "MARIA@acme.example", "email_verified": True})
    linked = SocialAccount.objects.get()
    assert (linked.provider, linked.uid, linked.user_id) == ("acme", "maria-1", world.maria.pk)
    assert User.objects.count() == 5  # the cast, nobody new


def test_pat_is_linked_through_northwinds_provider(world: World, issuer: Issuer) -> None:
    provider = northwind_provider(world, issuer)
    _returns(provider, {"sub": "pat-1", "email": "pat@northwind.example", "email_verified": True})
    assert SocialAccount.objects.get().user_id == world.pat.pk


def test_an_address_at_another_domain_is_refused_naming_the_providers_domains(
    world: World, issuer: Issuer
) -> None:
    provider = add_provider(world, issuer, domains=("acme.example", "acme-labs.example"))
    page = _refusal(provider, {"email": "lee@globex.example", "email_verified": True})
    assert "only with addresses at acme-labs.example or acme.example" in page
    assert "lee@globex.example" in page


def test_an_unconfirmed_or_missing_address_is_refused(world: World, issuer: Issuer) -> None:
    provider = add_provider(world, issuer)
    for claims in (
        {"email": "maria@acme.example", "email_verified": False},
        {"sub": "no-address"},
    ):
        assert "did not tell Tandem a confirmed e-mail address" in _refusal(provider, claims)


def test_an_unconfirmed_address_said_as_a_string_is_refused(world: World, issuer: Issuer) -> None:
    # Some providers (Amazon Cognito among them) send the claim as a string; allauth itself
    # reads it with parse_bool_safely.
    provider = add_provider(world, issuer)
    page = _refusal(provider, {"email": "maria@acme.example", "email_verified": "false"})
    assert "did not tell Tandem a confirmed e-mail address" in page


def test_someone_tandem_does_not_know_is_told_to_ask_for_an_invitation(
    world: World, issuer: Issuer
) -> None:
    provider = add_provider(world, issuer)
    page = _refusal(provider, {"email": "new.hire@acme.example", "email_verified": True})
    assert "new.hire@acme.example is not a member of Acme Analytics" in page
    assert "Ask one of its admins for an invitation" in page
    assert not User.objects.filter(email="new.hire@acme.example").exists()


def test_the_workspaces_provider_does_not_sign_in_a_partner_side_person(
    world: World, issuer: Issuer
) -> None:
    provider = add_provider(world, issuer, domains=("northwind.example",))
    page = _refusal(provider, {"email": "pat@northwind.example", "email_verified": True})
    assert "is not a member of Acme Analytics" in page


def test_northwinds_provider_refuses_someone_of_another_partnership(
    world: World, issuer: Issuer
) -> None:
    provider = add_provider(
        world,
        issuer,
        key="northwind",
        name="Northwind login",
        domains=("northwind.example", "globex.example"),
        partnership=world.northwind,
    )
    page = _refusal(provider, {"email": "lee@globex.example", "email_verified": True})
    assert "lee@globex.example has no access to the Northwind partnership" in page
    assert "for an invitation" in page
    # Nor a workspace member: the partner's provider is for the partner's people.
    kim = UserFactory(email="kim@northwind.example")
    Membership.objects.create(workspace=world.acme, user=kim, role="member")
    assert "has no access to the Northwind partnership" in _refusal(
        provider, {"email": "kim@northwind.example", "email_verified": True}
    )


def test_a_linked_sign_in_is_refused_once_access_is_gone(world: World, issuer: Issuer) -> None:
    provider = northwind_provider(world, issuer)
    sam = UserFactory(email="sam@northwind.example")
    PartnerAccessFactory(partnership=world.globex, user=sam)
    SocialAccount.objects.create(user=sam, provider="northwind", uid="sam-1")
    with pytest.raises(ImmediateHttpResponse) as refused:
        _returns(
            provider,
            {"sub": "sam-1", "email": "sam@northwind.example", "email_verified": True},
            user=sam,
        )
    assert "has no access to the Northwind partnership" in refused.value.response.content.decode()


def test_nobody_signs_up_by_signing_in(world: World, issuer: Issuer) -> None:
    provider = add_provider(world, issuer)
    request = _callback_request(provider.key)
    login = SocialLogin(user=User(email="new@acme.example"), account=SocialAccount(provider="acme"))
    assert SocialAccountAdapter(request).is_open_for_signup(request, login) is False


# --- The rules on every request ---------------------------------------------------------------


@pytest.fixture
def acme_requires_sso(world: World, issuer: Issuer) -> IdentityProvider:
    provider = add_provider(world, issuer)
    northwind_provider(world, issuer)
    _requires(world.acme, require_sso=True)
    return provider


def test_maria_signed_in_with_a_password_is_signed_out_and_told_why(
    world: World, acme_requires_sso: IdentityProvider, as_maria: Client
) -> None:
    response = as_maria.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == SIGN_IN
    assert _signed_out(as_maria)
    html = as_maria.get(SIGN_IN).content.decode()
    assert "Acme Analytics asks its members to sign in with the company login" in html


def test_maria_signed_in_on_the_sign_in_page_is_signed_out_at_the_next_page(
    world: World, acme_requires_sso: IdentityProvider
) -> None:
    from allauth.account.models import EmailAddress

    from tests.conftest import PASSWORD

    EmailAddress.objects.create(user=world.maria, email=world.maria.email, verified=True)
    client = Client()
    signed_in = client.post(SIGN_IN, {"login": world.maria.email, "password": PASSWORD})
    assert signed_in.status_code == 302
    assert not _signed_out(client)
    assert client.get(PAGE)["Location"] == SIGN_IN
    assert _signed_out(client)


def test_an_api_call_with_a_password_session_gets_a_problem(
    world: World, acme_requires_sso: IdentityProvider, as_maria: Client
) -> None:
    response = as_maria.get("/api/partnerships")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert "sign in with the company login" in response.json()["detail"]
    assert _signed_out(as_maria)


def test_a_workspace_without_a_provider_of_its_own_requires_none(
    world: World, as_maria: Client
) -> None:
    # As after a move by archive: the rule came along, the providers (secrets) did not.
    _requires(world.acme, require_sso=True)
    assert as_maria.get(PAGE).status_code == 200
    assert not _signed_out(as_maria)


def test_lena_the_owner_may_still_use_her_password(
    world: World, acme_requires_sso: IdentityProvider, as_lena: Client
) -> None:
    assert as_lena.get(PAGE).status_code == 200
    assert not _signed_out(as_lena)


def test_a_sign_in_through_acmes_own_provider_passes(
    world: World, acme_requires_sso: IdentityProvider, as_maria: Client
) -> None:
    _signed_in_through(as_maria, world.maria, _sso("acme"))
    assert as_maria.get(PAGE).status_code == 200
    assert as_maria.get(PAGE).status_code == 200


def test_a_sign_in_through_a_partnerships_provider_does_not_pass(
    world: World, acme_requires_sso: IdentityProvider, as_maria: Client
) -> None:
    _signed_in_through(as_maria, world.maria, _sso("northwind"))
    assert as_maria.get(PAGE)["Location"] == SIGN_IN
    assert _signed_out(as_maria)


def test_records_of_someone_elses_sign_in_do_not_pass(
    world: World, acme_requires_sso: IdentityProvider, as_maria: Client
) -> None:
    _signed_in_through(as_maria, world.lena, _sso("acme"))
    assert as_maria.get(PAGE)["Location"] == SIGN_IN


def test_partner_side_people_follow_their_own_companys_rules(
    world: World, acme_requires_sso: IdentityProvider, as_pat: Client
) -> None:
    _requires(world.acme, require_two_factor=True)
    response = as_pat.get(f"/partnerships/{world.northwind.pk}/")
    assert response.status_code == 200
    assert not _signed_out(as_pat)


def test_maria_without_an_authenticator_is_sent_to_set_one_up(
    world: World, as_maria: Client
) -> None:
    _requires(world.acme, require_two_factor=True)
    response = as_maria.get(PAGE)
    assert response.status_code == 302
    assert response["Location"] == TOTP
    assert not _signed_out(as_maria)
    # Her account's own pages stay open, the set-up page among them (she confirmed her
    # password a moment ago, so allauth does not ask for it again first).
    _signed_in_through(
        as_maria, world.maria, {"method": "password", "at": time.time(), "reauthenticated": True}
    )
    set_up = as_maria.get(TOTP)
    assert set_up.status_code == 200
    assert "asks its members to use two-factor authentication" in set_up.content.decode()
    assert as_maria.get("/accounts/email/").status_code == 200
    api = as_maria.get("/api/partnerships")
    assert api.status_code == 403
    assert api["Content-Type"].startswith("application/problem+json")


def test_maria_with_an_authenticator_passes(world: World, as_maria: Client) -> None:
    _requires(world.acme, require_two_factor=True)
    Authenticator.objects.create(user=world.maria, type=Authenticator.Type.TOTP, data={})
    assert as_maria.get(PAGE).status_code == 200


def test_a_company_sign_in_counts_as_a_second_factor(
    world: World, issuer: Issuer, as_maria: Client
) -> None:
    add_provider(world, issuer)
    _requires(world.acme, require_two_factor=True)
    _signed_in_through(as_maria, world.maria, _sso("acme"))
    assert as_maria.get(PAGE).status_code == 200


def _queries(client: Client) -> int:
    client.get(PAGE)  # the session and caches settle
    with CaptureQueriesContext(connection) as queries:
        assert client.get(PAGE).status_code == 200
    return len(queries)


def test_no_rule_on_costs_no_query(world: World, settings: Any) -> None:
    policy = "tandem.integrations.sso.policy.SignInPolicy"
    with_policy = _queries(client_for(world.maria))
    _requires(world.acme, require_two_factor=True)
    Authenticator.objects.create(user=world.maria, type=Authenticator.Type.TOTP, data={})
    assert client_for(world.maria).get(PAGE).status_code == 200
    _requires(world.acme, require_two_factor=False)
    after_a_rule_went_off = _queries(client_for(world.maria))
    settings.MIDDLEWARE = [name for name in settings.MIDDLEWARE if name != policy]
    without_policy = _queries(client_for(world.maria))
    assert with_policy == after_a_rule_went_off == without_policy


# --- Signing out -----------------------------------------------------------------------------


def test_signing_out_of_a_company_sign_in_signs_out_of_the_provider_too(
    world: World, issuer: Issuer, as_maria: Client
) -> None:
    add_provider(world, issuer)
    _signed_in_through(as_maria, world.maria, _sso("acme"))
    response = as_maria.post("/accounts/logout/")
    assert _signed_out(as_maria)
    endpoint, query = _authorization(_onward(as_maria, response))
    assert endpoint == f"{issuer.url}/logout"
    assert query == {
        "client_id": "tandem-acme",
        "post_logout_redirect_uri": "http://testserver/accounts/login/",
    }


def test_signing_out_of_a_password_sign_in_comes_back_to_sign_in(
    world: World, issuer: Issuer, as_maria: Client
) -> None:
    add_provider(world, issuer)
    response = as_maria.post("/accounts/logout/")
    assert response["Location"] == SIGN_IN
