"""A workspace's identity providers and sign-in rules over HTTP (owners and admins), under
``/workspaces/{workspace_id}/sso``. The same services as the pages; a client secret goes in
and never comes out."""

from typing import Any

from django.http import Http404
from django.urls import reverse
from ninja import Router, Status

from tandem.accounts.models import Workspace
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.integrations.sso import services
from tandem.integrations.sso.models import IdentityProvider
from tandem.integrations.sso.schemas import (
    SignInPolicyIn,
    SignInPolicyOut,
    SsoProviderIn,
    SsoProviderOut,
    SsoProviderPatch,
)

router = Router(tags=["Single sign-on"])
PROVIDERS = "/workspaces/{workspace_id}/sso/providers"
ONE = PROVIDERS + "/{provider_id}"
POLICY = "/workspaces/{workspace_id}/sso/policy"
ADMIN = {"x-access": "admin"}


def _admin(request: TandemRequest, workspace_id: int) -> int:
    """Not a member: not there (404); a member, not an admin: not allowed (403)."""
    actor = request.actor
    if not actor.is_member(workspace_id):
        raise Http404(services.NOT_FOUND)
    actor.require(actor.is_admin(workspace_id))
    return workspace_id


def _out(request: TandemRequest, provider: IdentityProvider) -> dict[str, Any]:
    return {
        "id": provider.pk,
        "name": provider.app.name,
        "key": provider.key,
        "issuer": services.issuer_of(provider),
        "client_id": provider.app.client_id,
        "domains": provider.domains,
        "partnership_id": provider.partnership_id,
        "redirect_uri": request.build_absolute_uri(
            reverse("openid_connect_callback", kwargs={"provider_id": provider.key})
        ),
        "created_at": provider.created_at,
    }


@router.get(
    PROVIDERS,
    response=list[SsoProviderOut],
    openapi_extra=ADMIN,
    summary="List the workspace's identity providers",
    description="Its own (its members sign in with it) and its partnerships' (their"
    " partner-side people's own company login), oldest first, without their secrets.",
)
def list_sso_providers(request: TandemRequest, workspace_id: Id) -> Any:
    found = services.providers_for(request.actor, _admin(request, workspace_id))
    return [_out(request, provider) for provider in found]


@router.post(
    PROVIDERS,
    response={201: SsoProviderOut},
    openapi_extra=ADMIN,
    summary="Add an identity provider (OpenID Connect)",
    description="Its discovery document is fetched from the issuer first: a provider that does"
    " not answer is refused (400). It signs in people Tandem knows, with an address at one of"
    " its domains: the workspace's members or, with partnership_id, that partnership's"
    " partner-side people.",
)
def create_sso_provider(request: TandemRequest, workspace_id: Id, payload: SsoProviderIn) -> Any:
    provider = services.provider_create(
        actor=request.actor, workspace_id=_admin(request, workspace_id), **payload.dict()
    )
    return Status(201, _out(request, provider))


@router.get(
    ONE,
    response=SsoProviderOut,
    openapi_extra=ADMIN,
    summary="Read an identity provider",
    description="Without its client secret.",
)
def get_sso_provider(request: TandemRequest, workspace_id: Id, provider_id: Id) -> Any:
    return _out(
        request,
        services.provider_for(request.actor, _admin(request, workspace_id), provider_id),
    )


@router.patch(
    ONE,
    response=SsoProviderOut,
    openapi_extra=ADMIN,
    summary="Change an identity provider",
    description="Its name, issuer (fetched again), client, secret, domains or whose it is. The"
    " short name stays: it is in the address registered with the provider.",
)
def update_sso_provider(
    request: TandemRequest, workspace_id: Id, provider_id: Id, payload: SsoProviderPatch
) -> Any:
    provider = services.provider_for(request.actor, _admin(request, workspace_id), provider_id)
    changes = payload.dict(exclude_unset=True)
    return _out(request, services.provider_update(provider, actor=request.actor, **changes))


@router.delete(
    ONE,
    response={204: None},
    openapi_extra=ADMIN,
    summary="Remove an identity provider",
    description="Nobody signs in with it any more. When it was the workspace's last own"
    " provider, requiring single sign-on goes off with it.",
)
def delete_sso_provider(request: TandemRequest, workspace_id: Id, provider_id: Id) -> Any:
    provider = services.provider_for(request.actor, _admin(request, workspace_id), provider_id)
    services.provider_delete(provider, actor=request.actor)
    return Status(204, None)


@router.get(
    POLICY,
    response=SignInPolicyOut,
    openapi_extra=ADMIN,
    summary="Read the workspace's sign-in rules",
    description="Whether members must sign in with the company login, and use two factors.",
)
def get_sign_in_policy(request: TandemRequest, workspace_id: Id) -> Any:
    return Workspace.objects.get(pk=_admin(request, workspace_id))


@router.put(
    POLICY,
    response=SignInPolicyOut,
    openapi_extra=ADMIN,
    summary="Set the workspace's sign-in rules",
    description="Requiring single sign-on needs a provider of the workspace's own (400"
    " otherwise). A member who signed in otherwise is signed out at their next request.",
)
def set_sign_in_policy(request: TandemRequest, workspace_id: Id, payload: SignInPolicyIn) -> Any:
    workspace = Workspace.objects.get(pk=_admin(request, workspace_id))
    return services.policy_update(workspace, actor=request.actor, **payload.dict())
