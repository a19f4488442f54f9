"""Tokens that can only read, tokens that expire: chosen on the tokens page, held by the API."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken, TokenAccess
from tandem.accounts.services import token_create
from tandem.core.errors import InvalidInput
from tandem.traction.models import Todo
from tests.conftest import World


def bearer(secret: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _new_todo(client: Client, world: World) -> Any:
    return client.post(
        f"/api/partnerships/{world.northwind.pk}/todos",
        {"title": "Book the QBR room"},
        content_type="application/json",
    )


def test_a_read_only_token_reads(world: World) -> None:
    _token, secret = token_create(user=world.maria, name="Dashboard", access=TokenAccess.READ)
    api = bearer(secret)
    assert api.get("/api/me").json()["email"] == "maria@acme.example"
    listed = api.get(f"/api/partnerships/{world.northwind.pk}/todos")
    assert listed.status_code == 200 and listed.json()["count"] == 2


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "todos/{todo}/done", {"done": True}),
        ("patch", "todos/{todo}", {"title": "Renamed", "version": 1}),
        ("put", "meetings/schedule", {"cadence": "weekly"}),
        ("delete", "todos/{todo}?version=1", None),
    ],
)
def test_a_read_only_token_is_refused_on_every_change(
    world: World, method: str, path: str, body: dict[str, Any] | None
) -> None:
    _token, secret = token_create(user=world.maria, name="Dashboard", access=TokenAccess.READ)
    url = f"/api/partnerships/{world.northwind.pk}/" + path.format(todo=world.shared_todo.pk)
    kwargs: dict[str, Any] = {"content_type": "application/json"}
    if body is not None:
        kwargs["data"] = body
    response = getattr(bearer(secret), method)(url, **kwargs)
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == "Read-only token"
    assert problem["detail"].startswith("This token is read-only")
    world.shared_todo.refresh_from_db()
    assert world.shared_todo.title == "Send the joint deck" and not world.shared_todo.is_done


def test_a_read_only_token_writes_nothing(world: World) -> None:
    _token, secret = token_create(user=world.maria, name="Dashboard", access=TokenAccess.READ)
    before = Todo.objects.count()
    assert _new_todo(bearer(secret), world).status_code == 403
    assert Todo.objects.count() == before


def test_a_read_write_token_still_changes_things(world: World) -> None:
    _token, secret = token_create(user=world.maria, name="CRM sync")
    assert _new_todo(bearer(secret), world).status_code == 201


def test_an_expired_token_is_refused_saying_when(world: World) -> None:
    token, secret = token_create(
        user=world.maria, name="Trial", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=token.pk).update(expires_at=datetime(2026, 3, 1, 17, 30, tzinfo=UTC))
    for response in (bearer(secret).get("/api/me"), _new_todo(bearer(secret), world)):
        assert response.status_code == 401
        assert response["Content-Type"].startswith("application/problem+json")
        assert "Bearer" in response["WWW-Authenticate"]
        problem = response.json()
        assert problem["title"] == "Token expired"
        assert problem["detail"].startswith("This token expired on 1 March 2026, 17:30 UTC.")


def test_a_token_works_until_it_expires(world: World) -> None:
    _token, secret = token_create(
        user=world.maria, name="Trial", expires_at=timezone.now() + timedelta(minutes=5)
    )
    assert bearer(secret).get("/api/me").status_code == 200


def test_a_token_cannot_be_made_already_expired(world: World) -> None:
    with pytest.raises(InvalidInput):
        token_create(user=world.maria, name="Late", expires_at=timezone.now())
    with pytest.raises(InvalidInput):
        token_create(user=world.maria, name="Odd", access="admin")
    assert not ApiToken.objects.exists()


def test_the_page_makes_a_read_only_token_for_30_days(world: World, as_maria: Client) -> None:
    response = as_maria.post(
        "/settings/tokens/", {"name": "Board report", "access": "read", "expires": "30"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="Board report")
    assert token.access == TokenAccess.READ
    assert token.expires_at is not None
    left = token.expires_at - timezone.now()
    assert timedelta(days=29, hours=23) < left <= timedelta(days=30)
    page = as_maria.get("/settings/tokens/").content.decode()
    assert "Read-only" in page and "(in 4\xa0weeks" in page


def test_the_page_offers_each_expiry(world: World, as_maria: Client) -> None:
    page = as_maria.get("/settings/tokens/").content.decode()
    for label in ("Never", "In 30 days", "In 90 days", "In a year", "On a date…"):
        assert f">{label}</option>" in page
    assert 'type="radio" name="access" value="read"' in page


def test_a_token_on_a_date_stops_at_the_end_of_that_day_in_the_persons_zone(
    world: World, as_maria: Client
) -> None:
    world.maria.timezone = "Europe/Oslo"
    world.maria.save(update_fields=["timezone"])
    day = timezone.localdate() + timedelta(days=10)
    as_maria.post(
        "/settings/tokens/",
        {"name": "Pilot", "access": "write", "expires": "date", "expires_on": day.isoformat()},
    )
    token = ApiToken.objects.get(name="Pilot")
    assert token.access == TokenAccess.WRITE
    from zoneinfo import ZoneInfo

    local = token.expires_at.astimezone(ZoneInfo("Europe/Oslo"))  # type: ignore[union-attr]
    assert (local.date(), local.hour, local.minute) == (day + timedelta(days=1), 0, 0)


@pytest.mark.parametrize(
    ("expires_on", "message"),
    [("", "Choose the day it expires."), ("2001-01-01", "Choose a day after today.")],
)
def test_a_date_must_be_given_and_in_the_future(
    world: World, as_maria: Client, expires_on: str, message: str
) -> None:
    response = as_maria.post(
        "/settings/tokens/",
        {"name": "Pilot", "access": "read", "expires": "date", "expires_on": expires_on},
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["created_secret"] is None
    assert not ApiToken.objects.exists()


def test_the_page_refuses_an_unknown_choice(world: World, as_maria: Client) -> None:
    response = as_maria.post(
        "/settings/tokens/", {"name": "Pilot", "access": "admin", "expires": "7"}
    )
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_list_says_never_and_expired(world: World, as_maria: Client) -> None:
    token_create(user=world.maria, name="Forever")
    old, _secret = token_create(
        user=world.maria, name="Old", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(days=2))
    page = as_maria.get("/settings/tokens/").content.decode()
    assert "Never" in page and "Expired" in page and "Read and write" in page


def test_your_tokens_over_the_api_and_revoking_one(world: World) -> None:
    token, secret = token_create(user=world.maria, name="CRM sync")
    other, other_secret = token_create(user=world.maria, name="Old laptop")
    api = bearer(secret)
    listed = api.get("/api/me/tokens").json()
    assert [t["name"] for t in listed["items"]] == ["Old laptop", "CRM sync"]
    assert listed["items"][0]["access"] == "write" and "token_digest" not in listed["items"][0]
    assert api.delete(f"/api/me/tokens/{other.pk}").status_code == 204
    assert bearer(other_secret).get("/api/me").status_code == 401
    # Someone else's token: not there.
    _lenas, lena_secret = token_create(user=world.lena, name="Lena's")
    assert bearer(lena_secret).delete(f"/api/me/tokens/{token.pk}").status_code == 404
    assert api.get("/api/me").status_code == 200


def test_a_read_only_token_cannot_revoke_tokens(world: World) -> None:
    token, secret = token_create(user=world.maria, name="Viewer", access=TokenAccess.READ)
    response = bearer(secret).delete(f"/api/me/tokens/{token.pk}")
    assert response.status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
