"""Identity providers: registering a company's OpenID Connect provider with a workspace or a
partnership, the e-mail domains it signs in, and the workspace's sign-in policy.

Every provider is checked when it is saved: its discovery document is fetched from the
issuer, so a wrong address or a provider that does not answer is said on the form, not at
the first person's sign-in.
"""

from __future__ import annotations

import re
from typing import Any

import requests
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.db import transaction
from django.http import Http404

from tandem.accounts.models import Membership, PartnerAccess, User, Workspace
from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.ids import parse_id
from tandem.core.text import line
from tandem.integrations.addresses import checked_url
from tandem.integrations.sso.models import EmailDomain, IdentityProvider
from tandem.partners.models import Partnership

PROVIDER = "openid_connect"
NOT_FOUND = "No such identity provider, or not yours."
DISCOVERY = "/.well-known/openid-configuration"
DISCOVERY_TIMEOUT = 5  # seconds
KEY = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$")
DOMAIN_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
FIELDS = {"name", "issuer", "client_id", "client_secret", "domains", "partnership_id"}


# --- Reading ------------------------------------------------------------------------------


def providers_for(actor: Actor, workspace_id: int) -> Any:
    """A workspace's providers (its own and its partnerships'), for its owners and admins."""
    return (
        IdentityProvider.objects.visible_to(actor)
        .filter(workspace_id=workspace_id)
        .select_related("app", "partnership")
        .prefetch_related("email_domains")
    )


def provider_for(actor: Actor, workspace_id: int, provider_id: Any) -> IdentityProvider:
    """One of them, or 404 (the same for "not there" and "not yours")."""
    found = providers_for(actor, workspace_id).filter(pk=parse_id(provider_id)).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def issuer_of(provider: IdentityProvider) -> str:
    return str(provider.app.settings.get("server_url", ""))


# --- Checking what an admin enters ------------------------------------------------------------


def checked_name(value: Any) -> str:
    text = line("name", " ".join(str(value or "").split()), label="the name")
    if not text:
        raise InvalidInput.on("name", "Name the provider as people know it, e.g. Northwind login.")
    if len(text) > 40:
        raise InvalidInput.on("name", "Keep the name under 40 characters.")
    return text


def checked_key(value: Any, *, taken_by: int | None = None) -> str:
    """The short name in the provider's addresses: lower-case letters, digits and dashes."""
    key = str(value or "").strip().lower()
    if not KEY.match(key):
        raise InvalidInput.on(
            "key", "Use 1 to 40 lower-case letters, digits and dashes, such as northwind."
        )
    if SocialApp.objects.filter(provider_id=key).exclude(pk=taken_by).exists():
        raise InvalidInput.on("key", f"{key} is taken; choose another short name.")
    return key


def checked_domains(
    value: Any, *, workspace_id: int, provider: IdentityProvider | None = None
) -> list[str]:
    """E-mail domains, lower-case and once each, none already another provider's in the
    workspace."""
    if isinstance(value, str):
        value = re.split(r"[\s,;]+", value)
    if not isinstance(value, list | tuple):
        raise InvalidInput.on("domains", "Send the e-mail domains as a list.")
    domains: list[str] = []
    for raw in value:
        domain = str(raw or "").strip().lower().removeprefix("@").rstrip(".")
        if not domain or domain in domains:
            continue
        labels = domain.split(".")
        if len(domain) > 253 or len(labels) < 2 or not all(map(DOMAIN_LABEL.match, labels)):
            raise InvalidInput.on(
                "domains", f"{domain[:60]} is not an e-mail domain; write it as northwind.com."
            )
        domains.append(domain)
    if not domains:
        raise InvalidInput.on(
            "domains", "Name the e-mail domains whose people sign in with this provider."
        )
    if len(domains) > 20:
        raise InvalidInput.on("domains", "Name at most 20 e-mail domains.")
    taken = (
        EmailDomain.objects.filter(workspace_id=workspace_id, domain__in=domains)
        .exclude(provider=provider)
        .select_related("provider__app")
        .first()
    )
    if taken is not None:
        raise InvalidInput.on(
            "domains", f"{taken.domain} already signs in with {taken.provider.app.name}."
        )
    return domains


def discovered(issuer: Any) -> dict[str, Any]:
    """The provider's discovery document, fetched now; its refusal said on the form."""
    issuer = checked_url(
        str(issuer or ""),
        field="issuer",
        missing="Enter the provider's issuer address (its discovery document sits under it).",
        why_https="sign-ins travel through it",
    ).rstrip("/")
    if issuer.endswith(DISCOVERY):
        issuer = issuer.removesuffix(DISCOVERY)
    try:
        response = requests.get(
            issuer + DISCOVERY, timeout=DISCOVERY_TIMEOUT, allow_redirects=False
        )
        response.raise_for_status()
    except requests.RequestException as error:
        raise InvalidInput.on(
            "issuer", f"{issuer}{DISCOVERY} did not answer as a provider does ({_reason(error)})."
        ) from None
    try:
        config = response.json()
    except ValueError:  # requests' JSONDecodeError is one (and a RequestException too)
        raise InvalidInput.on(
            "issuer", f"{issuer}{DISCOVERY} is not a discovery document."
        ) from None
    if not isinstance(config, dict) or not all(
        isinstance(config.get(name), str)
        for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    ):
        raise InvalidInput.on("issuer", f"{issuer}{DISCOVERY} is not a discovery document.")
    if str(config["issuer"]).rstrip("/") != issuer:
        raise InvalidInput.on(
            "issuer", f"The provider calls itself {str(config['issuer'])[:200]}: enter that."
        )
    config["issuer"] = issuer
    return config


def _reason(error: requests.RequestException) -> str:
    if isinstance(error, requests.Timeout):
        return f"no answer within {DISCOVERY_TIMEOUT} seconds"
    if isinstance(error, requests.HTTPError) and error.response is not None:
        return f"status {error.response.status_code}"
    return "could not connect"


def _partnership(actor: Actor, workspace_id: int, value: Any) -> Partnership | None:
    if value in (None, ""):
        return None
    found = Partnership.objects.filter(workspace_id=workspace_id, pk=parse_id(value)).first()
    if found is None:
        raise InvalidInput.on("partnership_id", "Choose one of the workspace's partnerships.")
    return found


def _app_settings(config: dict[str, Any]) -> dict[str, Any]:
    """What allauth keeps: the issuer, PKCE on, and where the provider ends its session."""
    found: dict[str, Any] = {"server_url": config["issuer"], "oauth_pkce_enabled": True}
    if isinstance(config.get("end_session_endpoint"), str):
        found["end_session_endpoint"] = config["end_session_endpoint"]
    return found


# --- Writing ------------------------------------------------------------------------------------


def provider_create(
    *,
    actor: Actor,
    workspace_id: int,
    name: Any,
    key: Any,
    issuer: Any,
    client_id: Any,
    client_secret: Any,
    domains: Any,
    partnership_id: Any = None,
) -> IdentityProvider:
    """Register a company's provider: the workspace's own or, with ``partnership_id``, the
    partner's for that partnership's partner-side people."""
    actor.require(actor.is_admin(workspace_id))
    name = checked_name(name)
    key = checked_key(key)
    partnership = _partnership(actor, workspace_id, partnership_id)
    client_id = _client_id(client_id)
    client_secret = _secret(client_secret, required=True)
    domains = checked_domains(domains, workspace_id=workspace_id)
    config = discovered(issuer)
    with transaction.atomic():
        app = SocialApp.objects.create(
            provider=PROVIDER,
            provider_id=key,
            name=name,
            client_id=client_id,
            secret=client_secret,
            settings=_app_settings(config),
        )
        provider = IdentityProvider.objects.create(
            workspace_id=workspace_id, partnership=partnership, app=app, created_by=actor.user
        )
        _set_domains(provider, domains)
    return provider


def provider_update(
    provider: IdentityProvider, *, actor: Actor, **changes: Any
) -> IdentityProvider:
    """Change the name, issuer, client, secret (left blank: kept) or domains."""
    actor.require(actor.is_admin(provider.workspace_id))
    unknown = set(changes) - FIELDS
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    app = provider.app
    if "name" in changes:
        app.name = checked_name(changes["name"])
    if "client_id" in changes:
        app.client_id = _client_id(changes["client_id"])
    if changes.get("client_secret"):
        app.secret = _secret(changes["client_secret"], required=True)
    if "partnership_id" in changes:
        provider.partnership = _partnership(actor, provider.workspace_id, changes["partnership_id"])
    domains = (
        checked_domains(changes["domains"], workspace_id=provider.workspace_id, provider=provider)
        if "domains" in changes
        else None
    )
    if "issuer" in changes and str(changes["issuer"] or "").rstrip("/") != issuer_of(provider):
        app.settings = _app_settings(discovered(changes["issuer"]))
    with transaction.atomic():
        app.save()
        provider.save()
        if domains is not None:
            _set_domains(provider, domains)
        if provider.partnership_id is not None:
            _unless_still_provided(
                Workspace.objects.select_for_update().get(pk=provider.workspace_id)
            )
    return provider


def provider_delete(provider: IdentityProvider, *, actor: Actor) -> bool:
    """Remove it and the sign-ins linked to it. Answers whether the workspace's "require
    single sign-on" went off with it (no provider of its own left to sign in with)."""
    actor.require(actor.is_admin(provider.workspace_id))
    with transaction.atomic():
        workspace = Workspace.objects.select_for_update().get(pk=provider.workspace_id)
        SocialAccount.objects.filter(provider=provider.key).delete()
        provider.app.delete()
        return _unless_still_provided(workspace)


def _unless_still_provided(workspace: Workspace) -> bool:
    if not workspace.require_sso or own_providers(workspace.pk).exists():
        return False
    Workspace.objects.filter(pk=workspace.pk).update(require_sso=False)
    return True


def _set_domains(provider: IdentityProvider, domains: list[str]) -> None:
    provider.email_domains.exclude(domain__in=domains).delete()
    kept = set(provider.email_domains.values_list("domain", flat=True))
    EmailDomain.objects.bulk_create(
        EmailDomain(provider=provider, workspace_id=provider.workspace_id, domain=domain)
        for domain in domains
        if domain not in kept
    )


def _client_id(value: Any) -> str:
    text = str(value or "").strip()
    if not text:
        raise InvalidInput.on("client_id", "Enter the client id the provider gave Tandem.")
    if len(text) > 191 or not text.isprintable():
        raise InvalidInput.on("client_id", "Paste the client id as the provider shows it.")
    return text


def _secret(value: Any, *, required: bool) -> str:
    text = str(value or "").strip()
    if not text and required:
        raise InvalidInput.on("client_secret", "Enter the client secret the provider gave Tandem.")
    if len(text) > 191 or not text.isprintable():
        raise InvalidInput.on("client_secret", "Paste the client secret as the provider shows it.")
    return text


def own_providers(workspace_id: int) -> Any:
    """The workspace's own providers (not its partnerships')."""
    return IdentityProvider.objects.filter(workspace_id=workspace_id, partnership__isnull=True)


# --- The workspace's sign-in policy --------------------------------------------------------


def policy_update(
    workspace: Workspace,
    *,
    actor: Actor,
    version: int | None,
    require_sso: bool,
    require_two_factor: bool,
) -> Workspace:
    """Whether members must sign in through the workspace's own provider, and with a second
    factor. Single sign-on can only be required once there is a provider to sign in with."""
    actor.require(actor.is_admin(workspace.pk))
    if require_sso and not own_providers(workspace.pk).exists():
        raise InvalidInput.on(
            "require_sso",
            "Add the workspace's own identity provider first: members need one to sign in with.",
        )
    core.update(
        workspace,
        actor=actor,
        version=version,
        changes={"require_sso": bool(require_sso), "require_two_factor": bool(require_two_factor)},
    )
    return workspace


# --- Signing in ------------------------------------------------------------------------------


def domain_of(email: str) -> str:
    return email.rpartition("@")[2].strip().lower()


def provider_for_email(email: str) -> IdentityProvider | None:
    """Where "Sign in with your company" sends someone: a provider for their domain that may
    sign them in if one exists, else any provider for the domain (the provider then answers
    for itself, so the page says the same whether or not the address has an account)."""
    candidates = list(
        IdentityProvider.objects.filter(email_domains__domain=domain_of(email))
        .select_related("app")
        .order_by("pk")
    )
    if not candidates:
        return None
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is not None:
        for provider in candidates:
            if may_sign_in(provider, user):
                return provider
    return candidates[0]


def may_sign_in(provider: IdentityProvider, user: Any) -> bool:
    """A workspace's provider signs in its members; a partnership's, that partnership's
    partner-side people."""
    if not user.is_active:
        return False
    if provider.partnership_id is not None:
        return PartnerAccess.objects.filter(
            partnership_id=provider.partnership_id, user=user
        ).exists()
    return Membership.objects.filter(workspace_id=provider.workspace_id, user=user).exists()
