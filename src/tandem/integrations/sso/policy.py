"""The workspace's sign-in policy on every request, and signing out of the company's login.

A workspace can require its members to sign in through its own identity provider (its
owners may still use a password, so a broken provider never locks the workspace out) and to
use a second factor (a sign-in through the company's provider counts: the company's login
carries its own). Both read what allauth recorded of this session's sign-in and what the
actor already loaded of its workspaces; only when a rule applies is anything asked of the
database, and a session that passed remembers it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from tandem.core.access import Role
from tandem.core.http import TandemRequest
from tandem.core.problems import problem_or_page
from tandem.integrations.sso.models import IdentityProvider

# Pages a person may reach while a rule still asks something of them: their account's own
# pages (sign out, two-factor set-up, the company sign-in) and what every page loads.
OPEN_PREFIXES = ("/accounts/", "/static/", "/healthz", "/favicon.ico", "/_floor")
# What this session already satisfied, so the next request asks nothing of the database.
SSO_PASSED = "tandem_sso_passed"
SECOND_FACTOR_PASSED = "tandem_second_factor_passed"
LEAVING_SALT = "tandem.sso.leaving"


class SignInPolicy:
    """Sign out a member whose workspace requires its company login and who signed in
    otherwise; send a member whose workspace requires two-factor authentication to set it
    up before anything else."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: TandemRequest) -> HttpResponse:
        if request.user.is_authenticated and not request.path_info.startswith(OPEN_PREFIXES):
            refused = _refusal(request)
            if refused is not None:
                return refused
        return self.get_response(request)


def _refusal(request: TandemRequest) -> HttpResponse | None:
    actor = request.actor
    requiring_sso = [
        workspace
        for workspace in actor.workspaces
        if workspace.require_sso and actor.role(workspace.pk) != Role.OWNER
    ]
    if requiring_sso and not _signed_in_through(request, requiring_sso):
        names = ", ".join(workspace.name for workspace in requiring_sso)
        logout(request)
        return _answer(
            request,
            "account_login",
            f"{names} asks its members to sign in with the company login:"
            " use “Sign in with your company” below.",
            status=401,
        )
    requiring_factor = [workspace for workspace in actor.workspaces if workspace.require_two_factor]
    if requiring_factor and not _second_factor(request):
        names = ", ".join(workspace.name for workspace in requiring_factor)
        return _answer(
            request,
            "mfa_activate_totp",
            f"{names} asks its members to use two-factor authentication: set up an"
            " authenticator app to go on.",
            status=403,
        )
    return None


def _signed_in_through(request: TandemRequest, workspaces: list[Any]) -> bool:
    """Signed in through one of each workspace's own providers. A workspace left with no
    provider of its own (one moved here by its archive, whose providers are not in it) has
    nothing to require."""
    wanted = sorted(workspace.pk for workspace in workspaces)
    if request.session.get(SSO_PASSED) == wanted:
        return True
    used = set(_providers_used(request))
    keys: dict[int, set[str]] = {}
    for workspace_id, key in IdentityProvider.objects.filter(
        workspace_id__in=wanted, partnership__isnull=True
    ).values_list("workspace_id", "app__provider_id"):
        keys.setdefault(workspace_id, set()).add(key)
    if not all(pk not in keys or keys[pk] & used for pk in wanted):
        return False
    request.session[SSO_PASSED] = wanted
    return True


def _second_factor(request: TandemRequest) -> bool:
    if request.session.get(SECOND_FACTOR_PASSED):
        return True
    records = get_authentication_records(request, request.user)
    passed = (
        any(record.get("method") == "mfa" for record in records)
        or bool(_providers_used(request))
        or Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).exists()
    )
    if passed:
        request.session[SECOND_FACTOR_PASSED] = True
    return passed


def _providers_used(request: HttpRequest) -> list[str]:
    return [
        str(record.get("provider"))
        for record in get_authentication_records(request, request.user)
        if record.get("method") == "socialaccount"
    ]


def _answer(request: HttpRequest, to: str, message: str, *, status: int) -> HttpResponse:
    def page() -> HttpResponse:
        messages.warning(request, message)
        return redirect(to)

    return problem_or_page(request, status, "Sign-in policy", message, page=page)


def forget_second_factor(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """An authenticator was removed: check the policy again on the next page."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SECOND_FACTOR_PASSED, None)


def end_session(request: HttpRequest) -> tuple[str, str] | None:
    """Where the company's provider ends its own session, when this session signed in
    through one that says where (OpenID Connect RP-initiated logout), with the provider's
    name; back to sign-in after."""
    used = _providers_used(request)
    if not used:
        return None
    provider = (
        IdentityProvider.objects.select_related("app").filter(app__provider_id=used[-1]).first()
    )
    if provider is None or not provider.app.settings.get("end_session_endpoint"):
        return None
    endpoint = str(provider.app.settings["end_session_endpoint"])
    back = request.build_absolute_uri(reverse("account_login"))
    query = urlencode({"client_id": provider.app.client_id, "post_logout_redirect_uri": back})
    return str(provider), f"{endpoint}{'&' if '?' in endpoint else '?'}{query}"


def leaving_url(name: str, to: str) -> str:
    """Tandem's own address that sends the browser on to ``to`` at the provider ``name``
    (signed, so it is no open redirect; see views.sso_signed_out)."""
    token = signing.dumps([name, to], salt=LEAVING_SALT)
    return f"{reverse('sso_signed_out')}?{urlencode({'to': token})}"
