"""allauth's social-account adapter for company sign-in: who a provider may sign in.

A provider vouches for its e-mail domains only, signs in people Tandem already knows (a
workspace's provider: its members; a partnership's: that partnership's partner-side people)
and never creates an account: people join by invitation, then sign in with their company's
login. Every refusal is a page that says why, in the product's words.
"""

from __future__ import annotations

from typing import Any

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.models import SocialLogin
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.accounts.adapter import AccountAdapter as BaseAccountAdapter
from tandem.accounts.models import User
from tandem.integrations.sso.models import IdentityProvider
from tandem.integrations.sso.policy import end_session, leaving_url
from tandem.integrations.sso.services import domain_of, may_sign_in


class AccountAdapter(BaseAccountAdapter):
    def get_logout_redirect_url(self, request: HttpRequest) -> str:
        """Signed in through the company's login: sign out of it too, then back here."""
        found = end_session(request)
        if found is None:
            return super().get_logout_redirect_url(request)
        return leaving_url(*found)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: SocialLogin) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: SocialLogin) -> None:
        """Refuse what the provider may not vouch for; link a first sign-in to the account
        of the same address."""
        provider = (
            IdentityProvider.objects.select_related("app", "partnership", "workspace")
            .filter(app__provider_id=sociallogin.account.provider)
            .first()
        )
        if provider is None:
            raise _refused(request, None, "This sign-in is no longer set up in Tandem.")
        claims = sociallogin.account.get_provider_account().get_user_data() or {}
        email = str(claims.get("email") or "").strip()
        # As allauth reads the claim: some providers write it as a string ("false").
        if not email or parse_bool_safely(claims.get("email_verified")) is False:
            raise _refused(
                request,
                provider,
                f"{provider} did not tell Tandem a confirmed e-mail address, so it cannot"
                " tell who you are.",
            )
        domains = provider.domains
        if domain_of(email) not in domains:
            raise _refused(
                request,
                provider,
                f"You signed in to {provider} as {email}, but it signs people in to Tandem only"
                f" with addresses at {_listed(domains)}.",
                hint="Sign in with your password, or with your own company's login.",
            )
        user = sociallogin.user if sociallogin.is_existing else _known(email)
        if user is None or not may_sign_in(provider, user):
            raise _refused(request, provider, _no_access(provider, email))
        if not sociallogin.is_existing:
            sociallogin.connect(request, user)

    def on_authentication_error(
        self,
        request: HttpRequest,
        provider: Any,
        error: Any = None,
        exception: Any = None,
        extra_context: Any = None,
    ) -> None:
        """The provider refused (or the sign-in was cancelled or broke on the way back)."""
        found = (
            IdentityProvider.objects.select_related("app")
            .filter(app__provider_id=getattr(getattr(provider, "app", None), "provider_id", ""))
            .first()
        )
        name = str(found) if found else "Your company's login"
        raise _refused(
            request,
            found,
            f"{name} did not sign you in to Tandem.",
            hint="Try again; if it keeps refusing, ask your company's IT or sign in with your"
            " password.",
        )


def _known(email: str) -> User | None:
    return User.objects.filter(email__iexact=email, is_active=True).first()


def _no_access(provider: IdentityProvider, email: str) -> str:
    if provider.partnership is not None:
        return (
            f"{email} has no access to the {provider.partnership.name} partnership in Tandem."
            " Ask the person who runs the partnership for an invitation, then sign in again."
        )
    return (
        f"{email} is not a member of {provider.workspace.name} in Tandem. Ask one of its admins"
        " for an invitation, then sign in again."
    )


def _listed(domains: list[str]) -> str:
    return domains[0] if len(domains) == 1 else ", ".join(domains[:-1]) + " or " + domains[-1]


def _refused(
    request: HttpRequest, provider: IdentityProvider | None, reason: str, *, hint: str = ""
) -> ImmediateHttpResponse:
    response: HttpResponse = render(
        request,
        "sso/refused.html",
        {"provider": provider, "reason": reason, "hint": hint},
        status=403,
    )
    return ImmediateHttpResponse(response)
