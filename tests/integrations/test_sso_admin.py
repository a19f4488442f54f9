"""Single sign-on, as a workspace's owners and admins set it up: the sign-in settings page,
adding, editing and removing an identity provider (its discovery document served by a real
issuer on loopback), the rules for members, and the same over the API. The client secret
goes in and never comes out."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.test import Client

from tandem.accounts.models import Workspace
from tandem.accounts.services import token_create
from tandem.integrations.sso import services
from tandem.integrations.sso.models import EmailDomain, IdentityProvider
from tests.conftest import World

SECRET = "northwind-client-secret-0451"
SETTINGS = "/workspace/sign-in/"
ADD = "/workspace/sign-in/providers/add/"


class Issuer:
    """An OpenID Connect provider on 127.0.0.1 that serves its discovery document, or
    whatever ``answer`` says: ``(status, content type, body)``."""

    def __init__(self) -> None:
        self.answer: tuple[int, str, bytes] | None = None
        self.fetched = 0
        issuer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server's name
                if self.path != services.DISCOVERY:
                    self.send_response(404)
                    self.end_headers()
                    return
                issuer.fetched += 1
                status, kind, body = issuer.answer or (
                    200,
                    "application/json",
                    json.dumps(issuer.document()).encode(),
                )
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def document(self) -> dict[str, str]:
        return {
            "issuer": self.url,
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "jwks_uri": f"{self.url}/jwks",
            "userinfo_endpoint": f"{self.url}/userinfo",
            "end_session_endpoint": f"{self.url}/logout",
        }


@pytest.fixture
def issuer() -> Iterator[Issuer]:
    found = Issuer()
    yield found
    found.server.shutdown()
    found.server.server_close()


def add_provider(
    world: World,
    issuer: Issuer,
    *,
    key: str = "acme",
    name: str = "Acme login",
    domains: tuple[str, ...] = ("acme.example",),
    partnership: Any = None,
    workspace: Workspace | None = None,
) -> IdentityProvider:
    """A provider registered as an admin would: Lena's for Acme unless told (Olga's for
    Initech), the workspace's own or, with ``partnership``, that partnership's."""
    workspace = workspace or world.acme
    admin = world.olga if workspace.pk == world.initech.pk else world.lena
    return services.provider_create(
        actor=world.actor(admin),
        workspace_id=workspace.pk,
        name=name,
        key=key,
        issuer=issuer.url,
        client_id=f"tandem-{key}",
        client_secret=SECRET,
        domains=list(domains),
        partnership_id=partnership.pk if partnership else None,
    )


def northwind_provider(world: World, issuer: Issuer) -> IdentityProvider:
    return add_provider(
        world,
        issuer,
        key="northwind",
        name="Northwind login",
        domains=("northwind.example",),
        partnership=world.northwind,
    )


def _form(at: Issuer, **changes: str) -> dict[str, str]:
    return {
        "name": "Acme login",
        "key": "acme",
        "partnership_id": "",
        "issuer": at.url,
        "client_id": "tandem-acme",
        "client_secret": SECRET,
        "domains": "acme.example, acme-labs.example",
        **changes,
    }


def _token_client(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


def _rows() -> tuple[int, int, int]:
    return (
        SocialApp.objects.count(),
        IdentityProvider.objects.count(),
        EmailDomain.objects.count(),
    )


# --- The settings page ------------------------------------------------------------------------


def test_lena_sees_the_workspaces_providers_and_the_rules(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    empty = as_lena.get(SETTINGS)
    assert "No identity provider yet" in empty.content.decode()
    add_provider(world, issuer)
    northwind_provider(world, issuer)
    page = as_lena.get(SETTINGS)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Acme login" in html and "Acme Analytics's members" in html
    assert "Northwind login" in html and "Northwind's partner-side people" in html
    assert "northwind.example" in html
    assert "Rules for members" in html
    assert 'name="require_sso"' in html and 'name="require_two_factor"' in html
    assert SECRET not in html


def test_lena_adds_a_provider_and_is_shown_the_address_to_register(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    response = as_lena.post(ADD, _form(issuer))
    provider = IdentityProvider.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/workspace/sign-in/providers/{provider.pk}/"
    assert issuer.fetched == 1
    assert (provider.workspace_id, provider.partnership_id, provider.created_by_id) == (
        world.acme.pk,
        None,
        world.lena.pk,
    )
    assert sorted(provider.domains) == ["acme-labs.example", "acme.example"]
    assert provider.app.settings == {
        "server_url": issuer.url,
        "oauth_pkce_enabled": True,
        "end_session_endpoint": f"{issuer.url}/logout",
    }
    page = as_lena.get(response["Location"])
    html = page.content.decode()
    assert "Acme login is set up" in html
    assert "http://testserver/accounts/oidc/acme/login/callback/" in html
    assert SECRET not in html


def test_lena_adds_a_provider_for_northwinds_people(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    response = as_lena.post(
        ADD,
        _form(
            issuer,
            key="northwind",
            name="Northwind login",
            partnership_id=str(world.northwind.pk),
            domains="northwind.example",
        ),
    )
    assert response.status_code == 302
    assert IdentityProvider.objects.get().partnership_id == world.northwind.pk


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"key": "Not OK!"}, "Use 1 to 40 lower-case letters"),
        ({"domains": "northwind"}, "northwind is not an e-mail domain"),
        ({"domains": "acme.example, -bad-.example"}, "-bad-.example is not an e-mail domain"),
        ({"issuer": "ftp://login.acme.example"}, "must start with https://"),
        ({"issuer": "http://login.acme.example"}, "must start with https://"),
        ({"partnership_id": "999999"}, "Select a valid choice"),
    ],
    ids=["bad-key", "one-label-domain", "dashed-domain", "ftp-issuer", "http-issuer", "partner"],
)
def test_a_bad_field_is_said_on_the_form_and_nothing_is_written(
    world: World, issuer: Issuer, as_lena: Client, changes: dict[str, str], said: str
) -> None:
    response = as_lena.post(ADD, _form(issuer, **changes))
    assert response.status_code == 400
    assert said in response.content.decode()
    assert _rows() == (0, 0, 0)
    assert SECRET not in response.content.decode()


def test_a_taken_key_is_refused(world: World, issuer: Issuer, as_lena: Client) -> None:
    add_provider(world, issuer, key="acme", domains=("acme.example",))
    before = _rows()
    response = as_lena.post(ADD, _form(issuer, key="ACME", domains="acme-labs.example"))
    assert response.status_code == 400
    assert "acme is taken; choose another short name." in response.content.decode()
    assert _rows() == before


def test_a_domain_is_one_providers_per_workspace_but_another_workspace_may_have_it(
    world: World, issuer: Issuer, as_lena: Client, as_olga: Client
) -> None:
    add_provider(world, issuer, key="acme", domains=("acme.example",))
    before = _rows()
    response = as_lena.post(
        ADD, _form(issuer, key="acme-two", name="Acme two", domains="ACME.example")
    )
    assert response.status_code == 400
    assert "acme.example already signs in with Acme login." in response.content.decode()
    assert _rows() == before
    # Initech may vouch for the same domain with its own provider.
    response = as_olga.post(ADD, _form(issuer, key="initech", domains="acme.example"))
    assert response.status_code == 302
    initech = IdentityProvider.objects.get(workspace=world.initech)
    assert initech.domains == ["acme.example"]


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        (
            (404, "text/html", b"<h1>Not found</h1>"),
            "did not answer as a provider does (status 404)",
        ),
        ((200, "text/html", b"<h1>Welcome</h1>"), "is not a discovery document"),
        ((200, "application/json", b'{"issuer": 1}'), "is not a discovery document"),
        ((200, "application/json", b"[]"), "is not a discovery document"),
    ],
    ids=["not-found", "html", "missing-endpoints", "a-list"],
)
def test_an_issuer_that_does_not_answer_as_a_provider_is_refused(
    world: World, issuer: Issuer, as_lena: Client, answer: tuple[int, str, bytes], said: str
) -> None:
    issuer.answer = answer
    response = as_lena.post(ADD, _form(issuer))
    assert response.status_code == 400
    assert said in response.content.decode()
    assert issuer.fetched == 1
    assert _rows() == (0, 0, 0)


def test_an_issuer_nobody_answers_at_is_refused(world: World, as_lena: Client) -> None:
    gone = Issuer()
    gone.server.shutdown()
    gone.server.server_close()
    response = as_lena.post(ADD, _form(gone))
    assert response.status_code == 400
    assert "did not answer as a provider does (could not connect)" in response.content.decode()
    assert _rows() == (0, 0, 0)


def test_an_issuer_that_calls_itself_otherwise_is_refused(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    document = {**issuer.document(), "issuer": "https://login.elsewhere.example"}
    issuer.answer = (200, "application/json", json.dumps(document).encode())
    response = as_lena.post(ADD, _form(issuer))
    assert response.status_code == 400
    assert (
        "The provider calls itself https://login.elsewhere.example: enter that."
        in response.content.decode()
    )
    assert _rows() == (0, 0, 0)


def test_editing_keeps_the_secret_when_left_blank_and_changes_it_when_given(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    provider = add_provider(world, issuer)
    url = f"/workspace/sign-in/providers/{provider.pk}/"
    page = as_lena.get(url)
    assert page.status_code == 200
    assert "http://testserver/accounts/oidc/acme/login/callback/" in page.content.decode()
    assert SECRET not in page.content.decode()
    form = _form(issuer, name="Acme staff login", client_secret="")
    del form["key"]
    response = as_lena.post(url, form)
    assert response.status_code == 302
    app = SocialApp.objects.get()
    assert (app.name, app.secret, app.provider_id) == ("Acme staff login", SECRET, "acme")
    assert "Acme staff login is saved." in as_lena.get(url).content.decode()
    as_lena.post(url, {**form, "client_secret": "rotated-secret"})
    app.refresh_from_db()
    assert app.secret == "rotated-secret"
    assert "rotated-secret" not in as_lena.get(url).content.decode()


def test_editing_to_another_providers_domain_is_refused(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    add_provider(world, issuer)
    northwind = northwind_provider(world, issuer)
    form = _form(
        issuer,
        name="Northwind login",
        partnership_id=str(world.northwind.pk),
        domains="northwind.example, acme.example",
    )
    del form["key"]
    response = as_lena.post(f"/workspace/sign-in/providers/{northwind.pk}/", form)
    assert response.status_code == 400
    assert "acme.example already signs in with Acme login." in response.content.decode()
    assert northwind.domains == ["northwind.example"]


def test_removing_asks_first_then_removes_the_provider_and_its_sign_ins(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    provider = add_provider(world, issuer)
    SocialAccount.objects.create(user=world.maria, provider="acme", uid="maria-sub")
    url = f"/workspace/sign-in/providers/{provider.pk}/delete/"
    asked = as_lena.get(url)
    assert asked.status_code == 200
    assert "Remove Acme login?" in asked.content.decode()
    assert IdentityProvider.objects.exists()
    response = as_lena.post(url)
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    assert _rows() == (0, 0, 0)
    assert not SocialAccount.objects.exists()
    html = as_lena.get(SETTINGS).content.decode()
    assert "Acme login is removed" in html
    assert "sign in with a password again" not in html


def test_removing_the_last_own_provider_turns_required_sso_off(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    first = add_provider(world, issuer)
    second = add_provider(world, issuer, key="acme-labs", name="Labs", domains=("labs.example",))
    northwind_provider(world, issuer)
    Workspace.objects.filter(pk=world.acme.pk).update(require_sso=True)
    as_lena.post(f"/workspace/sign-in/providers/{first.pk}/delete/")
    assert Workspace.objects.get(pk=world.acme.pk).require_sso
    # The last own one (Northwind's is the partner's, no sign-in for members).
    as_lena.post(f"/workspace/sign-in/providers/{second.pk}/delete/")
    assert not Workspace.objects.get(pk=world.acme.pk).require_sso
    html = as_lena.get(SETTINGS).content.decode()
    assert "Members may sign in with a password again" in html


def test_maria_and_pat_are_refused_and_olga_does_not_find_acmes_provider(
    world: World, issuer: Issuer, as_maria: Client, as_pat: Client, as_olga: Client
) -> None:
    provider = add_provider(world, issuer)
    pages = [
        SETTINGS,
        ADD,
        f"/workspace/sign-in/providers/{provider.pk}/",
        f"/workspace/sign-in/providers/{provider.pk}/delete/",
    ]
    for client in (as_maria, as_pat):
        for url in pages:
            assert client.get(url).status_code == 403, url
            assert client.post(url, _form(issuer)).status_code == 403, url
    for url in pages[2:]:
        assert as_olga.get(url).status_code == 404
        assert as_olga.post(url, _form(issuer)).status_code == 404
    assert _rows() == (1, 1, 1)
    assert as_olga.get(SETTINGS).status_code == 200
    assert "Acme login" not in as_olga.get(SETTINGS).content.decode()


# --- The rules for members --------------------------------------------------------------------


def _rules(workspace: Workspace, **changes: Any) -> dict[str, Any]:
    workspace.refresh_from_db()
    return {"version": workspace.version, **changes}


def test_requiring_sso_needs_a_provider_of_the_workspaces_own(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    northwind_provider(world, issuer)  # the partner's: no sign-in for members
    response = as_lena.post(SETTINGS, _rules(world.acme, require_sso="on"))
    assert response.status_code == 400
    assert "own identity provider first" in response.content.decode()
    assert not Workspace.objects.get(pk=world.acme.pk).require_sso


def test_lena_requires_sso_and_two_factor_once_acme_has_a_provider(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    add_provider(world, issuer)
    response = as_lena.post(SETTINGS, _rules(world.acme, require_sso="on", require_two_factor="on"))
    assert response.status_code == 302
    assert response["Location"] == SETTINGS
    acme = Workspace.objects.get(pk=world.acme.pk)
    assert (acme.require_sso, acme.require_two_factor) == (True, True)


def test_a_stale_version_of_the_rules_is_a_conflict(
    world: World, issuer: Issuer, as_lena: Client
) -> None:
    add_provider(world, issuer)
    stale = _rules(world.acme, require_two_factor="on")
    services.policy_update(
        world.acme,
        actor=world.actor(world.lena),
        version=stale["version"],
        require_sso=True,
        require_two_factor=False,
    )
    response = as_lena.post(SETTINGS, stale)
    assert response.status_code == 400
    assert "Someone else saved a change while you were editing" in response.content.decode()
    acme = Workspace.objects.get(pk=world.acme.pk)
    assert (acme.require_sso, acme.require_two_factor) == (True, False)


# --- The API ---------------------------------------------------------------------------------


def _providers_url(world: World, pk: int | None = None) -> str:
    url = f"/api/workspaces/{world.acme.pk}/sso/providers"
    return f"{url}/{pk}" if pk is not None else url


def _api_body(issuer: Issuer, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Acme login",
        "key": "acme",
        "issuer": issuer.url,
        "client_id": "tandem-acme",
        "client_secret": SECRET,
        "domains": ["acme.example"],
        **changes,
    }


def _is_problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail"} <= set(body)
    return body


def test_the_api_adds_lists_reads_changes_and_removes_providers(
    world: World, issuer: Issuer
) -> None:
    lena = _token_client(world.lena)
    made = lena.post(_providers_url(world), _api_body(issuer), content_type="application/json")
    assert made.status_code == 201
    provider = IdentityProvider.objects.get()
    assert made.json() | {"created_at": None} == {
        "id": provider.pk,
        "name": "Acme login",
        "key": "acme",
        "issuer": issuer.url,
        "client_id": "tandem-acme",
        "domains": ["acme.example"],
        "partnership_id": None,
        "redirect_uri": "http://testserver/accounts/oidc/acme/login/callback/",
        "created_at": None,
    }
    northwind_provider(world, issuer)
    listed = lena.get(_providers_url(world))
    assert listed.status_code == 200
    assert [(p["key"], p["partnership_id"]) for p in listed.json()] == [
        ("acme", None),
        ("northwind", world.northwind.pk),
    ]
    read = lena.get(_providers_url(world, provider.pk))
    assert read.status_code == 200 and read.json()["key"] == "acme"
    changed = lena.patch(
        _providers_url(world, provider.pk),
        {"name": "Acme staff", "client_secret": "rotated-secret", "domains": ["acme.example"]},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["name"] == "Acme staff"
    provider.app.refresh_from_db()
    assert provider.app.secret == "rotated-secret"
    kept = lena.patch(
        _providers_url(world, provider.pk), {"client_secret": ""}, content_type="application/json"
    )
    assert kept.status_code == 200
    provider.app.refresh_from_db()
    assert provider.app.secret == "rotated-secret"
    for answer in (made, listed, read, changed, kept):
        assert SECRET not in answer.content.decode()
        assert "rotated-secret" not in answer.content.decode()
        assert "secret" not in json.dumps(answer.json()).replace("client_secret", "")
    assert lena.delete(_providers_url(world, provider.pk)).status_code == 204
    assert lena.get(_providers_url(world, provider.pk)).status_code == 404
    assert not SocialApp.objects.filter(provider_id="acme").exists()


def test_the_api_refuses_bad_providers_with_problems(world: World, issuer: Issuer) -> None:
    lena = _token_client(world.lena)
    bad_domain = lena.post(
        _providers_url(world),
        _api_body(issuer, domains=["northwind"]),
        content_type="application/json",
    )
    body = _is_problem(bad_domain, 400)
    assert "northwind is not an e-mail domain" in body["errors"]["domains"][0]
    missing = lena.post(
        _providers_url(world), {"name": "Acme login"}, content_type="application/json"
    )
    assert "client_secret" in json.dumps(_is_problem(missing, 422)["errors"])
    assert _rows() == (0, 0, 0)
    provider = add_provider(world, issuer)
    northwind = northwind_provider(world, issuer)
    taken = lena.patch(
        _providers_url(world, northwind.pk),
        {"domains": ["acme.example"]},
        content_type="application/json",
    )
    assert "already signs in with Acme login" in _is_problem(taken, 400)["errors"]["domains"][0]
    unknown = lena.patch(
        _providers_url(world, provider.pk),
        {"partnership_id": world.initech_partner.pk},
        content_type="application/json",
    )
    assert "partnership_id" in _is_problem(unknown, 400)["errors"]
    for answer in (bad_domain, taken, unknown):
        assert SECRET not in answer.content.decode()


def test_the_api_says_an_issuer_answering_with_a_page_is_no_provider(
    world: World, issuer: Issuer
) -> None:
    issuer.answer = (200, "text/plain", b"hello")
    response = _token_client(world.lena).post(
        _providers_url(world), _api_body(issuer), content_type="application/json"
    )
    assert "is not a discovery document" in _is_problem(response, 400)["errors"]["issuer"][0]
    assert _rows() == (0, 0, 0)


def test_the_api_answers_maria_403_and_other_workspaces_404(world: World, issuer: Issuer) -> None:
    provider = add_provider(world, issuer)
    initech = add_provider(
        world, issuer, key="initech", domains=("initech.example",), workspace=world.initech
    )
    maria, olga, pat = (_token_client(user) for user in (world.maria, world.olga, world.pat))
    policy = f"/api/workspaces/{world.acme.pk}/sso/policy"
    for url in (_providers_url(world), _providers_url(world, provider.pk), policy):
        _is_problem(maria.get(url), 403)
        _is_problem(olga.get(url), 404)
        _is_problem(pat.get(url), 404)
    _is_problem(maria.delete(_providers_url(world, provider.pk)), 403)
    # Lena does not find Initech's provider under Acme's address.
    lena = _token_client(world.lena)
    _is_problem(lena.get(_providers_url(world, initech.pk)), 404)
    _is_problem(lena.delete(_providers_url(world, initech.pk)), 404)
    assert IdentityProvider.objects.count() == 2


def test_the_api_reads_and_sets_the_rules(world: World, issuer: Issuer) -> None:
    lena = _token_client(world.lena)
    url = f"/api/workspaces/{world.acme.pk}/sso/policy"
    read = lena.get(url)
    assert read.status_code == 200
    version = read.json()["version"]
    assert read.json() == {"require_sso": False, "require_two_factor": False, "version": version}
    refused = lena.put(
        url,
        {"require_sso": True, "require_two_factor": False, "version": version},
        content_type="application/json",
    )
    assert "require_sso" in _is_problem(refused, 400)["errors"]
    add_provider(world, issuer)
    saved = lena.put(
        url,
        {"require_sso": True, "require_two_factor": True, "version": version},
        content_type="application/json",
    )
    assert saved.status_code == 200
    assert saved.json()["require_sso"] is True and saved.json()["version"] > version
    stale = lena.put(
        url,
        {"require_sso": False, "require_two_factor": False, "version": version},
        content_type="application/json",
    )
    _is_problem(stale, 409)
    garbled = lena.put(
        url, {"require_sso": "perhaps", "require_two_factor": 1}, content_type="application/json"
    )
    _is_problem(garbled, 422)
    acme = Workspace.objects.get(pk=world.acme.pk)
    assert (acme.require_sso, acme.require_two_factor) == (True, True)
    # Removing the last own provider over the API turns the rule off too.
    provider = IdentityProvider.objects.get()
    assert lena.delete(_providers_url(world, provider.pk)).status_code == 204
    assert lena.get(url).json()["require_sso"] is False


def test_handing_the_last_own_provider_to_a_partnership_turns_required_sso_off(
    world: World, issuer: Issuer
) -> None:
    provider = add_provider(world, issuer)
    acme = Workspace.objects.filter(pk=world.acme.pk)
    acme.update(require_sso=True)
    changed = _token_client(world.lena).patch(
        _providers_url(world, provider.pk),
        {"partnership_id": world.northwind.pk},
        content_type="application/json",
    )
    assert changed.status_code == 200
    assert changed.json()["partnership_id"] == world.northwind.pk
    assert not acme.get().require_sso
