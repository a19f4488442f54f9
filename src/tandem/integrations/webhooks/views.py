"""The webhook pages: a workspace's endpoints (its owners and admins) and a partner-side
person's own endpoints for their partnership. One set of views serves both; ``Place`` says
which, and every endpoint is fetched through ``Endpoint.objects.visible_to``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.integrations.events import EVENT_TYPES
from tandem.integrations.webhooks import services
from tandem.integrations.webhooks.forms import EndpointForm
from tandem.integrations.webhooks.models import Endpoint

PAGE_SIZE = 25


@dataclass(frozen=True)
class Place:
    """A workspace's webhooks, or one partnership's (its partner-side person's)."""

    workspace: Workspace | None = None
    partnership: Scope | None = None

    @property
    def prefix(self) -> str:
        return "partner_" if self.partnership is not None else ""

    def args(self, *more: Any) -> list[Any]:
        return [self.partnership.pk, *more] if self.partnership is not None else list(more)

    def url(self, name: str, *more: Any) -> str:
        return reverse(self.prefix + name, args=self.args(*more))

    def where(self) -> dict[str, Any]:
        if self.partnership is not None:
            return {"partnership": self.partnership}
        assert self.workspace is not None
        return {"workspace_id": self.workspace.pk}

    def heading(self) -> str:
        if self.partnership is not None:
            return f"Webhooks for {self.partnership.name}"
        assert self.workspace is not None
        return f"Webhooks of {self.workspace.name}"

    def links(self, endpoint: Endpoint | None = None) -> dict[str, str]:
        found = {"list": self.url("webhook_list"), "add": self.url("webhook_add")}
        if endpoint is not None:
            for name in ("edit", "switch", "delete", "deliveries"):
                found[name] = self.url(f"webhook_{name}", endpoint.pk)
        return found


def _members_elsewhere(request: TandemRequest, partnership: Scope) -> HttpResponse | None:
    """A partnership's endpoints are its partner-side people's; members manage the
    workspace's endpoints instead."""
    if partnership.pk in request.actor.partner_partnerships:
        return None
    messages.info(
        request,
        "Members register webhook endpoints for the whole workspace (owners and admins), here;"
        " a partnership's own endpoints are its partner-side people's.",
    )
    return redirect("webhook_list")


def _list(request: TandemRequest, place: Place) -> HttpResponse:
    endpoints = [
        (endpoint, place.links(endpoint))
        for endpoint in services.endpoints_for(request.actor, **place.where())
    ]
    return render(
        request,
        "webhooks/webhook_list.html",
        {
            "place": place,
            "heading": place.heading(),
            "endpoints": endpoints,
            "links": place.links(),
            "event_names": EVENT_TYPES,
        },
    )


def _add(request: TandemRequest, place: Place) -> HttpResponse:
    form = EndpointForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        endpoint = run_service(
            form,
            lambda: services.endpoint_create(
                actor=request.actor, **place.where(), **form.cleaned_data
            ),
        )
        if endpoint is not None:
            messages.success(
                request,
                "The endpoint is registered. Copy its signing secret now to verify each delivery;"
                " you can see it again on this page.",
            )
            return redirect(place.url("webhook_edit", endpoint.pk))
    return render(
        request,
        "webhooks/webhook_form.html",
        {
            "place": place,
            "heading": place.heading(),
            "form": form,
            "links": place.links(),
            "endpoint": None,
        },
        status=400 if form.errors else 200,
    )


def _edit(request: TandemRequest, place: Place, endpoint_id: str) -> HttpResponse:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **place.where())
    initial = {"url": endpoint.url, "description": endpoint.description, "events": endpoint.events}
    form = EndpointForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.endpoint_update(endpoint, actor=request.actor, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, "The endpoint is saved.")
            return redirect(place.url("webhook_edit", endpoint.pk))
    return render(
        request,
        "webhooks/webhook_form.html",
        {
            "place": place,
            "heading": place.heading(),
            "form": form,
            "endpoint": endpoint,
            "links": place.links(endpoint),
        },
        status=400 if form.errors else 200,
    )


def _switch(request: TandemRequest, place: Place, endpoint_id: str) -> HttpResponse:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **place.where())
    on = request.POST.get("active") == "on"
    services.endpoint_update(endpoint, actor=request.actor, active=on)
    messages.success(
        request, "The endpoint is on." if on else "The endpoint is off: no events go to it."
    )
    return redirect(place.url("webhook_list"))


def _delete(request: TandemRequest, place: Place, endpoint_id: str) -> HttpResponse:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **place.where())
    if request.method == "POST":
        services.endpoint_delete(endpoint, actor=request.actor)
        messages.success(request, "The endpoint and its delivery log are deleted.")
        return redirect(place.url("webhook_list"))
    return render(
        request,
        "webhooks/webhook_delete.html",
        {
            "place": place,
            "heading": place.heading(),
            "endpoint": endpoint,
            "links": place.links(endpoint),
        },
    )


def _deliveries(request: TandemRequest, place: Place, endpoint_id: str) -> HttpResponse:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **place.where())
    page = Paginator(services.deliveries_of(endpoint), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        (delivery, place.url("webhook_redeliver", endpoint.pk, delivery.pk)) for delivery in page
    ]
    return render(
        request,
        "webhooks/webhook_deliveries.html",
        {
            "place": place,
            "heading": place.heading(),
            "endpoint": endpoint,
            "page": page,
            "rows": rows,
            "query": "",
            "links": place.links(endpoint),
        },
    )


def _redeliver(
    request: TandemRequest, place: Place, endpoint_id: str, delivery_id: str
) -> HttpResponse:
    endpoint = services.endpoint_for(request.actor, endpoint_id, **place.where())
    delivery = services.delivery_for(endpoint, delivery_id)
    services.redeliver(delivery, actor=request.actor)
    messages.success(request, f"Sending {delivery.event_type} ({delivery.event_id}) again.")
    return redirect(place.url("webhook_deliveries", endpoint.pk))


# --- A workspace's endpoints (owners and admins) -------------------------------------------


@access("admin")
def webhook_list(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return _list(request, Place(workspace=workspace))


@access("admin")
def webhook_add(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return _add(request, Place(workspace=workspace))


@access("admin")
def webhook_edit(request: TandemRequest, workspace: Workspace, endpoint_id: str) -> HttpResponse:
    return _edit(request, Place(workspace=workspace), endpoint_id)


@access("admin")
@require_POST
def webhook_switch(request: TandemRequest, workspace: Workspace, endpoint_id: str) -> HttpResponse:
    return _switch(request, Place(workspace=workspace), endpoint_id)


@access("admin")
def webhook_delete(request: TandemRequest, workspace: Workspace, endpoint_id: str) -> HttpResponse:
    return _delete(request, Place(workspace=workspace), endpoint_id)


@access("admin")
def webhook_deliveries(
    request: TandemRequest, workspace: Workspace, endpoint_id: str
) -> HttpResponse:
    return _deliveries(request, Place(workspace=workspace), endpoint_id)


@access("admin")
@require_POST
def webhook_redeliver(
    request: TandemRequest, workspace: Workspace, endpoint_id: str, delivery_id: str
) -> HttpResponse:
    return _redeliver(request, Place(workspace=workspace), endpoint_id, delivery_id)


# --- A partner-side person's endpoints for their partnership --------------------------------


@access("partnership")
def partner_webhook_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return _members_elsewhere(request, partnership) or _list(
        request, Place(partnership=partnership)
    )


@access("partnership")
def partner_webhook_add(request: TandemRequest, partnership: Scope) -> HttpResponse:
    return _members_elsewhere(request, partnership) or _add(request, Place(partnership=partnership))


@access("partnership")
def partner_webhook_edit(
    request: TandemRequest, partnership: Scope, endpoint_id: str
) -> HttpResponse:
    return _edit(request, Place(partnership=partnership), endpoint_id)


@access("partnership")
@require_POST
def partner_webhook_switch(
    request: TandemRequest, partnership: Scope, endpoint_id: str
) -> HttpResponse:
    return _switch(request, Place(partnership=partnership), endpoint_id)


@access("partnership")
def partner_webhook_delete(
    request: TandemRequest, partnership: Scope, endpoint_id: str
) -> HttpResponse:
    return _delete(request, Place(partnership=partnership), endpoint_id)


@access("partnership")
def partner_webhook_deliveries(
    request: TandemRequest, partnership: Scope, endpoint_id: str
) -> HttpResponse:
    return _deliveries(request, Place(partnership=partnership), endpoint_id)


@access("partnership")
@require_POST
def partner_webhook_redeliver(
    request: TandemRequest, partnership: Scope, endpoint_id: str, delivery_id: str
) -> HttpResponse:
    return _redeliver(request, Place(partnership=partnership), endpoint_id, delivery_id)
