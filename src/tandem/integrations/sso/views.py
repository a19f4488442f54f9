"""The identity provider pages (a workspace's owners and admins, under
``workspace/sign-in/``) and "Sign in with your company" on the sign-in page."""

from __future__ import annotations

from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from django.contrib import messages
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.integrations.sso import services
from tandem.integrations.sso.forms import CompanySignInForm, PolicyForm, ProviderForm
from tandem.integrations.sso.models import IdentityProvider
from tandem.integrations.sso.policy import LEAVING_SALT
from tandem.partners.models import Partnership


def _partnerships(workspace: Workspace) -> list[tuple[int, str]]:
    return list(
        Partnership.objects.filter(workspace_id=workspace.pk)
        .order_by("name")
        .values_list("pk", "name")
    )


def _addresses(request: HttpRequest, key: str) -> dict[str, str]:
    """What the provider's admin registers for Tandem's client."""
    return {
        "redirect": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": key})
        ),
        "signed_out": request.build_absolute_uri(reverse("account_login")),
    }


@access("admin")
def sso_settings(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    providers = list(services.providers_for(request.actor, workspace.pk))
    form = PolicyForm(
        request.POST or None,
        initial={
            "version": workspace.version,
            "require_sso": workspace.require_sso,
            "require_two_factor": workspace.require_two_factor,
        },
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.policy_update(workspace, actor=request.actor, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, "The sign-in rules are saved.")
            return redirect("sso_settings")
    return render(
        request,
        "sso/settings.html",
        {
            "workspace": workspace,
            "providers": [(p, _addresses(request, p.key)) for p in providers],
            "has_own": any(p.partnership_id is None for p in providers),
            "form": form,
        },
        status=400 if form.errors else 200,
    )


@access("admin")
def sso_provider_add(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = ProviderForm(
        request.POST or None,
        partnerships=_partnerships(workspace),
        editing=False,
        initial={"partnership_id": request.GET.get("partnership", "")},
    )
    if request.method == "POST" and form.is_valid():
        provider = run_service(
            form,
            lambda: services.provider_create(
                actor=request.actor, workspace_id=workspace.pk, **form.cleaned_data
            ),
        )
        if provider is not None:
            messages.success(
                request,
                f"{provider} is set up: its discovery document answered. People of"
                f" {', '.join(provider.domains)} can sign in with it now.",
            )
            return redirect("sso_provider_edit", provider.pk)
    key = str(form.data.get("key") or "your-short-name")
    return render(
        request,
        "sso/provider_form.html",
        {"form": form, "provider": None, "addresses": _addresses(request, key)},
        status=400 if form.errors else 200,
    )


@access("admin")
def sso_provider_edit(
    request: TandemRequest, workspace: Workspace, provider_id: str
) -> HttpResponse:
    provider = services.provider_for(request.actor, workspace.pk, provider_id)
    initial: dict[str, Any] = {
        "name": provider.app.name,
        "partnership_id": str(provider.partnership_id or ""),
        "issuer": services.issuer_of(provider),
        "client_id": provider.app.client_id,
        "domains": ", ".join(provider.domains),
    }
    form = ProviderForm(
        request.POST or None, partnerships=_partnerships(workspace), editing=True, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.provider_update(provider, actor=request.actor, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, f"{provider} is saved.")
            return redirect("sso_provider_edit", provider.pk)
    return render(
        request,
        "sso/provider_form.html",
        {"form": form, "provider": provider, "addresses": _addresses(request, provider.key)},
        status=400 if form.errors else 200,
    )


@access("admin")
def sso_provider_delete(
    request: TandemRequest, workspace: Workspace, provider_id: str
) -> HttpResponse:
    provider = services.provider_for(request.actor, workspace.pk, provider_id)
    if request.method == "POST":
        name = str(provider)
        policy_off = services.provider_delete(provider, actor=request.actor)
        messages.success(
            request,
            f"{name} is removed: nobody signs in with it any more."
            + (" Members may sign in with a password again: no provider is left to require."
               if policy_off else ""),
        )  # fmt: skip
        return redirect("sso_settings")
    return render(request, "sso/provider_delete.html", {"provider": provider})


@access("public")
@require_POST
def sso_start(request: HttpRequest) -> HttpResponse:
    """ "Sign in with your company": find the provider for the address's domain and send
    the browser there (authorisation code with PKCE)."""
    form = CompanySignInForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Enter your work e-mail address to sign in with your company.")
        return redirect("account_login")
    provider: IdentityProvider | None = services.provider_for_email(form.cleaned_data["email"])
    if provider is None:
        messages.error(
            request,
            f"No company sign-in is set up for {services.domain_of(form.cleaned_data['email'])}."
            " Sign in with your password, or ask your Tandem admin.",
        )
        return redirect("account_login")
    next_url = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=False):
        next_url = ""
    oidc = get_adapter().get_provider(request, provider.key)
    try:
        # Reads the provider's discovery document first: it may not answer.
        response = oidc.redirect(
            request,
            "login",
            next_url=next_url or None,
            auth_params={"login_hint": form.cleaned_data["email"]},
        )
    except (requests.RequestException, ValueError, KeyError):
        messages.error(
            request,
            f"{provider} is not answering right now. Try again in a moment, or sign in with"
            " your password.",
        )
        return redirect("account_login")
    if response.status_code != 302:
        return response
    return _leaving(request, str(provider), response["Location"])


@access("public")
def sso_signed_out(request: HttpRequest) -> HttpResponse:
    """After Tandem's sign-out, on to the company's provider to end its session too."""
    try:
        name, to = signing.loads(request.GET.get("to", ""), salt=LEAVING_SALT, max_age=300)
    except signing.BadSignature:
        return redirect("account_login")
    return _leaving(request, name, to)


def _leaving(request: HttpRequest, name: str, to: str) -> HttpResponse:
    """A page that moves on to the provider. Not a redirect: the page's form-action rule
    (Content Security Policy) keeps a form's answer from leaving Tandem, so the sign-in and
    sign-out forms land here and the browser goes on by itself, or by the link."""
    return render(request, "sso/leaving.html", {"name": name, "to": to})
