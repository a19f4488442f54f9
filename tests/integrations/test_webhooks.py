"""Webhooks: signed deliveries to a real receiver on loopback, retries, switching off, send
again, and what a partner-side person's endpoint may receive."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from tandem.core.errors import InvalidInput
from tandem.integrations.webhooks import services
from tandem.integrations.webhooks.models import Delivery, Endpoint, Status
from tandem.traction.services import todo_set_done
from tests.conftest import World, client_for


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POST and answers the next code of
    ``codes`` (the last one over and over)."""

    def __init__(self, codes: list[int]) -> None:
        self.codes = codes
        self.requests: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {key.lower(): value for key, value in self.headers.items()}
                receiver.requests.append({"headers": headers, "body": body})
                code = receiver.codes.pop(0) if len(receiver.codes) > 1 else receiver.codes[0]
                self.send_response(code)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def verified(self, secret: str) -> list[dict[str, Any]]:
        """Each request's payload, its signature checked with ``secret``."""
        return [Webhook(secret).verify(r["body"], r["headers"]) for r in self.requests]


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver([200])
    yield found
    found.server.shutdown()


def _workspace_endpoint(world: World, url: str, **options: Any) -> Endpoint:
    return services.endpoint_create(
        actor=world.actor(world.lena), workspace_id=world.acme.pk, url=url, **options
    )


def _pats_endpoint(world: World, url: str) -> Endpoint:
    return services.endpoint_create(
        actor=world.actor(world.pat), partnership=world.northwind, url=url
    )


def _complete(world: World, todo: Any, capture: Any) -> None:
    with capture(execute=True):
        todo_set_done(todo, actor=world.actor(world.maria), version=todo.version, done=True)


def test_a_shared_todo_completed_reaches_both_endpoints_signed(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    ours = _workspace_endpoint(world, receiver.url)
    pats = _pats_endpoint(world, receiver.url)
    _complete(world, world.shared_todo, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 2
    by_secret = {}
    for request in receiver.requests:
        for endpoint in (ours, pats):
            try:
                by_secret[endpoint.pk] = Webhook(endpoint.secret).verify(
                    request["body"], request["headers"]
                )
            except WebhookVerificationError:
                continue
    assert set(by_secret) == {ours.pk, pats.pk}
    payload = by_secret[pats.pk]
    assert payload["type"] == "todo.completed"
    assert payload["data"]["item"]["title"] == world.shared_todo.title
    assert payload["data"]["partnership"] == {"id": world.northwind.pk, "name": "Northwind"}
    assert payload["data"]["link"].startswith("http")
    assert receiver.requests[0]["headers"]["webhook-id"].startswith("msg_")
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SUCCEEDED}


def test_an_internal_todo_never_reaches_pats_endpoint(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    ours = _workspace_endpoint(world, receiver.url)
    pats = _pats_endpoint(world, receiver.url)
    _complete(world, world.internal_todo, django_capture_on_commit_callbacks)
    assert len(receiver.requests) == 1
    assert receiver.verified(ours.secret)[0]["data"]["item"]["title"] == world.internal_todo.title
    assert not Delivery.objects.filter(endpoint=pats).exists()


def test_an_endpoint_gets_only_the_events_it_chose(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _workspace_endpoint(world, receiver.url, events=["issue.solved"])
    _complete(world, world.shared_todo, django_capture_on_commit_callbacks)
    assert receiver.requests == []


def test_a_failing_receiver_is_retried_with_backoff_and_the_same_id(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.codes = [500, 500, 200]
    endpoint = _workspace_endpoint(world, receiver.url)
    _complete(world, world.shared_todo, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, 500)
    first = delivery.last_attempt_at
    assert delivery.next_attempt_at == first + dt.timedelta(seconds=30)
    # Not due yet: the worker leaves it alone.
    assert services.attempt(delivery.pk, now=first + dt.timedelta(seconds=10)) == "skipped: not due"
    services.attempt(delivery.pk, now=first + dt.timedelta(seconds=30))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("pending", 2)
    assert delivery.next_attempt_at == first + dt.timedelta(seconds=30, minutes=2)
    services.attempt(delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 3, 200)
    assert len({r["headers"]["webhook-id"] for r in receiver.requests}) == 1
    assert len(receiver.verified(endpoint.secret)) == 3
    endpoint.refresh_from_db()
    assert endpoint.consecutive_failures == 0


def test_an_endpoint_that_keeps_failing_is_switched_off_and_its_admins_told(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.codes = [503]
    endpoint = _workspace_endpoint(world, receiver.url)
    _complete(world, world.shared_todo, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in services.RETRY_DELAYS:
            delivery.refresh_from_db()
            services.attempt(delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    endpoint.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.attempts == len(services.RETRY_DELAYS) + 1
    assert not endpoint.active
    assert "6 failed attempts" in endpoint.switched_off_reason
    assert [message.to for message in mail.outbox] == [[world.lena.email]]
    assert receiver.url in mail.outbox[0].body
    # Switched off: nothing more goes out, and sending again asks to switch it on first.
    with pytest.raises(InvalidInput, match="switched off"):
        services.redeliver(delivery, actor=world.actor(world.lena))


def test_send_again_repeats_the_same_message(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    endpoint = _workspace_endpoint(world, receiver.url)
    _complete(world, world.shared_todo, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    client = client_for(world.lena)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/workspace/webhooks/{endpoint.pk}/deliveries/{delivery.pk}/again/")
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("succeeded", 2)
    ids = [r["headers"]["webhook-id"] for r in receiver.requests]
    assert ids == [delivery.event_id, delivery.event_id]
    log = client.get(f"/workspace/webhooks/{endpoint.pk}/deliveries/")
    assert "todo.completed" in log.content.decode()
    assert "Send again" in log.content.decode()


def test_bad_addresses_and_unknown_events_are_refused_clearly(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        _workspace_endpoint(world, "ftp://example.com/hooks")
    assert "https://" in refused.value.errors["url"][0]
    with pytest.raises(InvalidInput) as refused:
        _workspace_endpoint(world, "http://example.com/hooks")
    assert "https://" in refused.value.errors["url"][0]
    with pytest.raises(InvalidInput) as refused:
        _workspace_endpoint(world, "https://example.com/hooks", events=["todo.eaten"])
    assert "todo.eaten" in refused.value.errors["events"][0]
    assert not Endpoint.objects.exists()


def test_the_api_answers_bad_input_with_a_problem(world: World) -> None:
    client = client_for(world.lena)
    response = client.post(
        f"/api/workspaces/{world.acme.pk}/webhooks",
        data={"url": "https://example.com/hooks", "events": ["todo.eaten"]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert "todo.eaten" in json.dumps(response.json())
    made = client.post(
        f"/api/workspaces/{world.acme.pk}/webhooks",
        data={"url": "https://example.com/hooks"},
        content_type="application/json",
    )
    assert made.status_code == 201
    assert made.json()["secret"].startswith("whsec_")
    assert len(made.json()["events"]) == 12


def test_lena_adds_an_endpoint_on_the_page_and_maria_may_not(world: World) -> None:
    client = client_for(world.lena)
    empty = client.get("/workspace/webhooks/")
    assert "No endpoints yet" in empty.content.decode()
    refused = client.post(
        "/workspace/webhooks/add/", {"url": "gopher://x", "events": ["todo.created"]}
    )
    assert refused.status_code == 400
    assert "https://" in refused.content.decode()
    response = client.post(
        "/workspace/webhooks/add/", {"url": "https://example.com/hooks", "events": ["todo.created"]}
    )
    endpoint = Endpoint.objects.get()
    assert response["Location"] == f"/workspace/webhooks/{endpoint.pk}/"
    assert endpoint.secret in client.get(response["Location"]).content.decode()
    assert client_for(world.maria).get("/workspace/webhooks/").status_code == 403


def test_pat_registers_an_endpoint_for_northwind_only(world: World) -> None:
    client = client_for(world.pat)
    response = client.post(
        f"/partnerships/{world.northwind.pk}/webhooks/add/",
        {
            "url": "https://hooks.northwind.example/tandem",
            "events": ["todo.created", "ask.created"],
        },
    )
    assert response.status_code == 302
    endpoint = Endpoint.objects.get()
    assert (endpoint.partnership_id, endpoint.created_by_id) == (world.northwind.pk, world.pat.pk)
    # Lena manages the workspace's endpoints, not Pat's; Lee does not see Northwind at all.
    assert (
        client_for(world.lena)
        .get(f"/partnerships/{world.northwind.pk}/webhooks/{endpoint.pk}/")
        .status_code
        == 404
    )
    assert (
        client_for(world.lee).get(f"/partnerships/{world.northwind.pk}/webhooks/").status_code
        == 404
    )


def test_an_item_made_internal_before_the_retry_is_not_sent(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.codes = [500, 200]
    pats = _pats_endpoint(world, receiver.url)
    _complete(world, world.shared_todo, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get(endpoint=pats)
    type(world.shared_todo).objects.filter(pk=world.shared_todo.pk).update(visibility="internal")
    services.attempt(delivery.pk, now=delivery.next_attempt_at)
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert "no longer visible" in delivery.last_error
    assert len(receiver.requests) == 1
    assert timezone.now()
