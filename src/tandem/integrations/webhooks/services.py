"""Registering endpoints, queueing an event's deliveries, and each attempt.

A delivery is tried by the task worker; a 2xx answer is a success, anything else (another
status, a timeout, a redirect) is retried after ``RETRY_DELAYS``. An endpoint whose delivery
has used up the whole schedule, or that failed ``FAILURES_TO_SWITCH_OFF`` times in a row, is
switched off and the people who manage it are told by e-mail.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
import secrets
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import models, transaction
from django.db.models import Q
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from tandem.accounts.actors import actor_for
from tandem.accounts.models import User, Workspace
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.text import line
from tandem.integrations import events
from tandem.integrations.addresses import checked_url
from tandem.integrations.events import EVENT_TYPES, Event
from tandem.integrations.webhooks import sending
from tandem.integrations.webhooks.models import Delivery, Endpoint, Status
from tandem.partners.models import Partnership

logger = logging.getLogger(__name__)

# After the first attempt fails: wait this long before each next one.
RETRY_DELAYS = (
    dt.timedelta(seconds=30),
    dt.timedelta(minutes=2),
    dt.timedelta(minutes=10),
    dt.timedelta(hours=1),
    dt.timedelta(hours=6),
)
FAILURES_TO_SWITCH_OFF = 20
# How long an attempt under way keeps others off the same delivery.
LEASE = dt.timedelta(seconds=60)
NOT_FOUND = "No such webhook endpoint, or not yours."


# --- Endpoints ----------------------------------------------------------------------------


def endpoints_for(actor: Actor, *, workspace_id: int | None = None, partnership: Any = None) -> Any:
    """The endpoints the actor manages: a workspace's (``workspace_id``) or their own for
    one partnership (``partnership``)."""
    found = Endpoint.objects.visible_to(actor)
    if partnership is not None:
        return found.filter(partnership_id=partnership.pk)
    return found.filter(partnership__isnull=True, workspace_id=workspace_id or 0)


def endpoint_for(actor: Actor, endpoint_id: Any, **where: Any) -> Endpoint:
    """One endpoint the actor manages, or 404 (the same for "not there" and "not yours")."""
    try:
        pk = int(endpoint_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    found = endpoints_for(actor, **where).filter(pk=pk).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def new_secret() -> str:
    """A signing secret as Standard Webhooks writes them: ``whsec_`` and 32 random bytes."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


def checked_events(chosen: Any) -> list[str]:
    """The event types chosen, in the catalogue's order; none named: all of them."""
    if chosen is None:
        return list(EVENT_TYPES)
    if isinstance(chosen, str) or not isinstance(chosen, list | tuple):
        raise InvalidInput.on("events", "Send the event types as a list.")
    unknown = [str(name) for name in chosen if name not in EVENT_TYPES]
    if unknown:
        raise InvalidInput.on(
            "events",
            f"Unknown event type: {', '.join(unknown)}. Choose from {', '.join(EVENT_TYPES)}.",
        )
    if not chosen:
        raise InvalidInput.on("events", "Choose at least one event.")
    return [name for name in EVENT_TYPES if name in chosen]


def _description(value: Any) -> str:
    text = line("description", " ".join(str(value or "").split()), label="the description")
    if len(text) > 200:
        raise InvalidInput.on("description", "Keep the description under 200 characters.")
    return text


def endpoint_create(
    *,
    actor: Actor,
    url: str,
    workspace_id: int | None = None,
    partnership: Partnership | None = None,
    description: str = "",
    events: list[str] | None = None,
) -> Endpoint:
    """A workspace's endpoint (its owners and admins register it) or, with ``partnership``,
    a partner-side person's own endpoint for that partnership (shared events only)."""
    if partnership is not None:
        if partnership.pk not in actor.partner_partnerships:
            raise InvalidInput(
                "Members register endpoints for the whole workspace, on its webhooks page;"
                " a partnership's endpoints are its partner-side people's."
            )
        workspace_id = partnership.workspace_id
    else:
        actor.require(actor.is_admin(workspace_id))
    if workspace_id is None:
        raise InvalidInput("Name the workspace or the partnership.")
    endpoint = Endpoint(
        workspace_id=workspace_id,
        partnership=partnership,
        url=checked_url(url),
        description=_description(description),
        events=checked_events(events),
        secret=new_secret(),
        created_by=actor.user,
    )
    with transaction.atomic():
        endpoint.save()
    return endpoint


def endpoint_update(endpoint: Endpoint, *, actor: Actor, **changes: Any) -> Endpoint:
    """Change the address, description, events or whether it is on. Switching it back on
    forgets its failures."""
    unknown = set(changes) - {"url", "description", "events", "active"}
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "url" in changes:
        endpoint.url = checked_url(changes["url"])
    if "description" in changes:
        endpoint.description = _description(changes["description"])
    if "events" in changes:
        endpoint.events = checked_events(changes["events"] if changes["events"] else [])
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            raise InvalidInput.on("active", "Say true or false.")
        if changes["active"] and not endpoint.active:
            endpoint.consecutive_failures = 0
            endpoint.failing_since = None
            endpoint.switched_off_reason = ""
        elif not changes["active"] and endpoint.active:
            endpoint.switched_off_reason = "Switched off by hand."
        endpoint.active = changes["active"]
    with transaction.atomic():
        endpoint.save()
    return endpoint


def endpoint_delete(endpoint: Endpoint, *, actor: Actor) -> None:
    """Remove the endpoint and its delivery log."""
    with transaction.atomic():
        endpoint.delete()


# --- Deliveries ---------------------------------------------------------------------------


def deliveries_of(endpoint: Endpoint) -> Any:
    return Delivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-id")


def delivery_for(endpoint: Endpoint, delivery_id: Any) -> Delivery:
    try:
        pk = int(delivery_id)
    except (TypeError, ValueError):
        raise Http404("No such delivery.") from None
    found = Delivery.objects.filter(endpoint=endpoint, pk=pk).first()
    if found is None:
        raise Http404("No such delivery.")
    return found


def redeliver(delivery: Delivery, *, actor: Actor) -> Delivery:
    """Send a delivery again now, with the same ``webhook-id`` (the receiver can tell it is
    the same message); a failure is retried on the schedule from its start."""
    endpoint = delivery.endpoint
    if not endpoint.active:
        raise InvalidInput("This endpoint is switched off: switch it back on first.")
    if delivery.status == Status.PENDING and delivery.tries == 0:
        raise InvalidInput("This delivery is waiting to be sent already.")
    with transaction.atomic():
        delivery.status = Status.PENDING
        delivery.tries = 0
        delivery.next_attempt_at = timezone.now()
        delivery.save(update_fields=["status", "tries", "next_attempt_at", "updated_at"])
        pk = delivery.pk
        transaction.on_commit(lambda: _enqueue(pk))
    return delivery


def queue(event: Event) -> list[int]:
    """Write one delivery per active endpoint that chose ``event``'s type and whose owner
    may see its item now, then hand them to the task worker. Run once the write committed."""
    candidates = Endpoint.objects.filter(workspace_id=event.workspace_id, active=True)
    if event.partnership_id is None:
        candidates = candidates.filter(partnership__isnull=True)
    else:
        candidates = candidates.filter(
            Q(partnership__isnull=True) | Q(partnership_id=event.partnership_id)
        )
    made: list[int] = []
    with transaction.atomic():
        for endpoint in candidates.select_related("workspace", "partnership"):
            if event.type not in endpoint.events:
                continue
            found = _item_for(endpoint, event.model, event.item_id)
            if found is None:
                continue
            item, reader = found
            delivery = Delivery.objects.create(
                endpoint=endpoint,
                event_id=events.new_id(),
                event_type=event.type,
                item_model=event.model,
                item_id=event.item_id,
                payload=_payload(event, endpoint, item, reader),
                next_attempt_at=timezone.now(),
            )
            made.append(delivery.pk)
        transaction.on_commit(lambda: _enqueue_all(made))
    return made


def _payload(
    event: Event, endpoint: Endpoint, item: models.Model, reader: Actor | None
) -> dict[str, Any]:
    """The body, as Standard Webhooks shapes it: type, timestamp and data."""
    partnership: Any = (
        item if event.model == "partners.partnership" else getattr(item, "partnership", None)
    )
    workspace: Workspace = endpoint.workspace
    return {
        "type": event.type,
        "timestamp": event.occurred_at.isoformat(),
        "data": {
            "workspace": {"id": workspace.pk, "name": workspace.name},
            "partnership": (
                {"id": partnership.pk, "name": partnership.name}
                if partnership is not None
                else None
            ),
            "item_id": item.pk,
            "item": events.view(event, item, reader),
            "changes": event.changes,
            "link": events.link(item),
        },
    }


def _item_for(
    endpoint: Endpoint, model_label: str, item_id: int
) -> tuple[models.Model, Actor | None] | None:
    """The item as the endpoint's owner sees it now, with the reader to cut it for (None
    for a workspace endpoint: its members see the whole workspace), or None."""
    model: Any = apps.get_model(model_label)
    if endpoint.partnership_id is None:
        item = model._default_manager.filter(workspace_id=endpoint.workspace_id, pk=item_id).first()
        return None if item is None else (item, None)
    owner = User.objects.filter(pk=endpoint.created_by_id or 0, is_active=True).first()
    if owner is None:
        return None
    reader = actor_for(owner)
    if endpoint.partnership_id not in reader.partner_partnerships:
        return None
    visible = model._default_manager.visible_to(reader)
    if model_label == "partners.partnership":
        visible = visible.filter(pk=endpoint.partnership_id)
    else:
        visible = visible.filter(partnership_id=endpoint.partnership_id)
    item = visible.filter(pk=item_id).first()
    return None if item is None else (item, reader)


def _enqueue_all(pks: list[int]) -> None:
    for pk in pks:
        _enqueue(pk)


def _enqueue(pk: int, at: dt.datetime | None = None) -> None:
    if at is None:
        send_delivery.enqueue(pk)
    elif default_task_backend.supports_defer:
        send_delivery.using(run_after=at).enqueue(pk)
    # else: a backend that cannot wait (tests run tasks at once): the hourly sweep, or the
    # test itself, makes the next attempt when it is due.


def body_of(delivery: Delivery) -> bytes:
    """The exact bytes signed and sent (the same on every attempt)."""
    return json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()


def attempt(delivery_id: int, *, now: dt.datetime | None = None) -> str:
    """Make the next attempt of a delivery that is due (what the task worker calls)."""
    now = now or timezone.now()
    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None:
            return "skipped: gone"
        if delivery.status != Status.PENDING:
            return f"skipped: {delivery.status}"
        if delivery.next_attempt_at is not None and delivery.next_attempt_at > now:
            return "skipped: not due"
        endpoint = delivery.endpoint
        refused = ""
        if not endpoint.active:
            refused = "Not sent: the endpoint is switched off."
        elif endpoint.partnership_id is not None and (
            _item_for(endpoint, delivery.item_model, delivery.item_id) is None
        ):
            refused = "Not sent: its item is no longer visible to the endpoint's owner."
        if refused:
            delivery.status = Status.FAILED
            delivery.last_error = refused
            delivery.next_attempt_at = None
            delivery.save(update_fields=["status", "last_error", "next_attempt_at", "updated_at"])
            return "skipped: " + refused
        delivery.next_attempt_at = now + LEASE  # claimed: a second worker waits
        delivery.save(update_fields=["next_attempt_at", "updated_at"])
        url, secret, message_id = endpoint.url, endpoint.secret, delivery.event_id
    outcome = sending.post(url, secret, message_id, body_of(delivery), now)
    return record(delivery.pk, outcome, now=now)


def record(delivery_id: int, outcome: sending.Outcome, *, now: dt.datetime) -> str:
    """Write down an attempt's outcome: success, a retry later, or the last failure (and the
    endpoint switched off when it keeps failing)."""
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.attempts += 1
        delivery.tries += 1
        delivery.last_attempt_at = now
        delivery.last_status_code = outcome.status_code
        delivery.last_error = outcome.error
        switched_off = False
        if outcome.ok:
            delivery.status = Status.SUCCEEDED
            delivery.next_attempt_at = None
            endpoint.consecutive_failures = 0
            endpoint.failing_since = None
        else:
            endpoint.consecutive_failures += 1
            endpoint.failing_since = endpoint.failing_since or now
            exhausted = delivery.tries > len(RETRY_DELAYS)
            if exhausted:
                delivery.status = Status.FAILED
                delivery.next_attempt_at = None
            else:
                delivery.next_attempt_at = now + RETRY_DELAYS[delivery.tries - 1]
            if endpoint.active and (
                exhausted or endpoint.consecutive_failures >= FAILURES_TO_SWITCH_OFF
            ):
                switched_off = True
                endpoint.active = False
                endpoint.switched_off_reason = (
                    f"Switched off after {endpoint.consecutive_failures} failed attempts in a"
                    f" row (the last: {outcome.error or outcome.status_code})."
                )[:300]
        delivery.save()
        endpoint.save()
        if switched_off:
            Delivery.objects.filter(endpoint=endpoint, status=Status.PENDING).update(
                status=Status.FAILED,
                next_attempt_at=None,
                last_error="Not sent: the endpoint was switched off.",
            )
            endpoint_id = endpoint.pk
            transaction.on_commit(lambda: _tell_switched_off(endpoint_id))
        elif delivery.status == Status.PENDING:
            pk, at = delivery.pk, delivery.next_attempt_at
            transaction.on_commit(lambda: _enqueue(pk, at))
    return "switched off" if switched_off else delivery.status


def _tell_switched_off(endpoint_id: int) -> None:
    tell_switched_off.enqueue(endpoint_id)


def managers_of(endpoint: Endpoint) -> list[User]:
    """Who hears that an endpoint was switched off: the workspace's owners and admins, or
    the partner-side person who registered a partnership's endpoint."""
    if endpoint.partnership_id is not None:
        return list(User.objects.filter(pk=endpoint.created_by_id or 0, is_active=True))
    return list(
        User.objects.filter(
            memberships__workspace_id=endpoint.workspace_id,
            memberships__role__in=["owner", "admin"],
            is_active=True,
        ).order_by("pk")
    )


def due(now: dt.datetime | None = None) -> list[int]:
    """Pending deliveries whose time has come (for the hourly sweep)."""
    now = now or timezone.now()
    return list(
        Delivery.objects.filter(
            status=Status.PENDING, next_attempt_at__lte=now, endpoint__active=True
        ).values_list("pk", flat=True)[:1000]
    )


# --- The task worker's part -------------------------------------------------------------


@task()
def send_delivery(delivery_id: int) -> str:
    """One attempt of one delivery, if it is still pending and due."""
    return attempt(delivery_id)


@task()
def send_due_deliveries(period_start: str) -> int:
    """Every hour: the deliveries whose retry is due (a worker restarted meanwhile, or a
    backend that cannot wait)."""
    found = due()
    for pk in found:
        send_delivery.enqueue(pk)
    return len(found)


@task()
def tell_switched_off(endpoint_id: int) -> int:
    """Mail the people who manage an endpoint that it was switched off, and why."""
    endpoint = (
        Endpoint.objects.select_related("workspace", "partnership").filter(pk=endpoint_id).first()
    )
    if endpoint is None or endpoint.active:
        return 0
    if endpoint.partnership_id is None:
        page = reverse("webhook_edit", args=[endpoint.pk])
    else:
        page = reverse("partner_webhook_edit", args=[endpoint.partnership_id, endpoint.pk])
    people = [person for person in managers_of(endpoint) if person.email]
    context = {"endpoint": endpoint, "link": settings.SITE_URL + page}
    for person in people:
        send_mail(
            subject=f"Webhook endpoint switched off: {endpoint}"[:250],
            message=render_to_string(
                "webhooks/email/switched_off.txt", {**context, "reader": person}
            ),
            from_email=None,
            recipient_list=[person.email],
        )
    return len(people)
