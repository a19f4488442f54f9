"""Webhooks over HTTP: a workspace's endpoints (owners and admins) under
``/workspaces/{workspace_id}/webhooks`` and a partner-side person's own under
``/partnerships/{partnership_id}/webhooks``: list, create, read (with the signing secret),
change, delete, the delivery log, and sending a delivery again. The same services as the
pages."""

from typing import Any

from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.items import operation
from tandem.core.api.pagination import Pages
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.integrations.webhooks import services
from tandem.integrations.webhooks.schemas import (
    DeliveryOut,
    EndpointIn,
    EndpointOut,
    EndpointPatch,
    EndpointSecretOut,
)
from tandem.partners.models import Partnership

router = Router(tags=["Webhooks"])
WORKSPACE = "/workspaces/{workspace_id}/webhooks"
PARTNER = "/partnerships/{partnership_id}/webhooks"
ONE = "/{endpoint_id}"
LOG = ONE + "/deliveries"
AGAIN = LOG + "/{delivery_id}/redeliver"
ADMIN = {"x-access": "admin"}
CATALOGUE = (
    " Event types: todo.created, todo.completed, rock.status_changed, issue.solved,"
    " meeting.ended, partnership.stage_changed, deal.registered, deal.moved, ask.created,"
    " ask.answered, value_entry.confirmed, value_entry.disputed."
)


def _admin(request: TandemRequest, workspace_id: int) -> dict[str, Any]:
    """The workspace's, for its owners and admins: not a member, not there (404); a
    member, not allowed (403)."""
    actor = request.actor
    if not actor.is_member(workspace_id):
        raise Http404(services.NOT_FOUND)
    actor.require(actor.is_admin(workspace_id))
    return {"workspace_id": workspace_id}


def _changes(payload: EndpointPatch) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


# --- A workspace's endpoints ---------------------------------------------------------------


@router.get(
    WORKSPACE,
    response=list[EndpointOut],
    openapi_extra=ADMIN,
    summary="List the workspace's webhook endpoints",
    description="Oldest first, without their secrets.",
)
@paginate(Pages)
def list_webhooks(request: TandemRequest, workspace_id: Id, **kwargs: Any) -> Any:
    return services.endpoints_for(request.actor, **_admin(request, workspace_id))


@router.post(
    WORKSPACE,
    response={201: EndpointSecretOut},
    openapi_extra=ADMIN,
    summary="Register a webhook endpoint for the workspace",
    description="It receives the chosen events of every partnership of the workspace, signed by"
    " the Standard Webhooks rules; the answer holds its signing secret." + CATALOGUE,
)
def create_webhook(request: TandemRequest, workspace_id: Id, payload: EndpointIn) -> Any:
    where = _admin(request, workspace_id)
    return Status(201, services.endpoint_create(actor=request.actor, **where, **payload.dict()))


@router.get(
    WORKSPACE + ONE,
    response=EndpointSecretOut,
    openapi_extra=ADMIN,
    summary="Read a webhook endpoint",
    description="With its signing secret.",
)
def get_webhook(request: TandemRequest, workspace_id: Id, endpoint_id: Id) -> Any:
    return services.endpoint_for(request.actor, endpoint_id, **_admin(request, workspace_id))


@router.patch(
    WORKSPACE + ONE,
    response=EndpointOut,
    openapi_extra=ADMIN,
    summary="Change a webhook endpoint",
    description="Its address, description, events, or whether it is on." + CATALOGUE,
)
def update_webhook(
    request: TandemRequest, workspace_id: Id, endpoint_id: Id, payload: EndpointPatch
) -> Any:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **_admin(request, workspace_id))
    return services.endpoint_update(endpoint, actor=request.actor, **_changes(payload))


@router.delete(
    WORKSPACE + ONE,
    response={204: None},
    openapi_extra=ADMIN,
    summary="Delete a webhook endpoint",
    description="With its delivery log.",
)
def delete_webhook(request: TandemRequest, workspace_id: Id, endpoint_id: Id) -> Any:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **_admin(request, workspace_id))
    services.endpoint_delete(endpoint, actor=request.actor)
    return Status(204, None)


@router.get(
    WORKSPACE + LOG,
    response=list[DeliveryOut],
    openapi_extra=ADMIN,
    summary="List an endpoint's deliveries",
    description="Newest first: status, last response code, attempts and the payload sent.",
)
@paginate(Pages)
def list_webhook_deliveries(
    request: TandemRequest, workspace_id: Id, endpoint_id: Id, **kwargs: Any
) -> Any:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **_admin(request, workspace_id))
    return services.deliveries_of(endpoint)


@router.post(
    WORKSPACE + AGAIN,
    response=DeliveryOut,
    openapi_extra=ADMIN,
    summary="Send a delivery again",
    description="Now, with the same webhook-id; a failure is retried on the schedule again.",
)
def redeliver_webhook(
    request: TandemRequest, workspace_id: Id, endpoint_id: Id, delivery_id: Id
) -> Any:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **_admin(request, workspace_id))
    delivery = services.delivery_for(endpoint, delivery_id)
    return services.redeliver(delivery, actor=request.actor)


# --- A partner-side person's endpoints for their partnership ---------------------------------


@operation(router, "get", PARTNER, level="partnership", paginated=True, response=list[EndpointOut])
def list_partner_webhooks(request: TandemRequest, partnership: Scope) -> Any:
    """List your webhook endpoints for this partnership

    A partnership's endpoints are its partner-side people's own: each receives the events of
    what its owner may see in the partnership (shared items only). Members see none here."""
    return services.endpoints_for(request.actor, partnership=partnership)


@operation(router, "post", PARTNER, level="partnership", response={201: EndpointSecretOut})
def create_partner_webhook(request: TandemRequest, partnership: Scope, payload: EndpointIn) -> Any:
    """Register a webhook endpoint for this partnership

    For partner-side people (members register the workspace's endpoints instead): it receives
    the chosen events of shared items only; the answer holds its signing secret."""
    assert isinstance(partnership, Partnership)  # the path names a partnership, not the program
    endpoint = services.endpoint_create(
        actor=request.actor, partnership=partnership, **payload.dict()
    )
    return Status(201, endpoint)


@operation(
    router,
    "get",
    PARTNER + ONE,
    level="partnership",
    item="endpoint_id",
    response=EndpointSecretOut,
)
def get_partner_webhook(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """Read one of your webhook endpoints

    With its signing secret."""
    return services.endpoint_for(request.actor, item_id, partnership=partnership)


@operation(
    router, "patch", PARTNER + ONE, level="partnership", item="endpoint_id", response=EndpointOut
)
def update_partner_webhook(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: EndpointPatch
) -> Any:
    """Change one of your webhook endpoints

    Its address, description, events, or whether it is on."""
    endpoint = services.endpoint_for(request.actor, item_id, partnership=partnership)
    return services.endpoint_update(endpoint, actor=request.actor, **_changes(payload))


@operation(
    router, "delete", PARTNER + ONE, level="partnership", item="endpoint_id", response={204: None}
)
def delete_partner_webhook(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """Delete one of your webhook endpoints

    With its delivery log."""
    endpoint = services.endpoint_for(request.actor, item_id, partnership=partnership)
    services.endpoint_delete(endpoint, actor=request.actor)
    return Status(204, None)


@operation(
    router, "get", PARTNER + LOG, level="partnership", item="endpoint_id", paginated=True,
    response=list[DeliveryOut],
)  # fmt: skip
def list_partner_webhook_deliveries(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """List the deliveries of one of your endpoints

    Newest first: status, last response code, attempts and the payload sent."""
    endpoint = services.endpoint_for(request.actor, item_id, partnership=partnership)
    return services.deliveries_of(endpoint)


@operation(
    router, "post", PARTNER + AGAIN, level="partnership", item="endpoint_id", response=DeliveryOut
)
def redeliver_partner_webhook(
    request: TandemRequest, partnership: Scope, item_id: Id, delivery_id: Id
) -> Any:
    """Send a delivery again

    Now, with the same webhook-id; a failure is retried on the schedule again."""
    endpoint = services.endpoint_for(request.actor, item_id, partnership=partnership)
    return services.redeliver(services.delivery_for(endpoint, delivery_id), actor=request.actor)
