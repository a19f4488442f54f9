"""Personal API tokens: shown once, stored hashed, revocable."""

from __future__ import annotations

from django.test import Client

from tandem.accounts.models import ApiToken, digest
from tests.conftest import World


def test_token_is_shown_once_and_stored_hashed(world: World, as_maria) -> None:
    response = as_maria.post("/settings/tokens/", {"name": "CRM sync"})
    secret = response.context["created_secret"]
    assert secret.startswith("tdm_") and secret in response.content.decode()
    token = ApiToken.objects.get(name="CRM sync")
    assert token.token_digest == digest(secret) and secret not in token.token_digest
    assert secret not in as_maria.get("/settings/tokens/").content.decode()
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    me = api.get("/api/me").json()
    assert me["email"] == "maria@acme.example"
    assert me["workspaces"] == [
        {"id": world.acme.pk, "name": "Acme Analytics", "slug": "acme", "role": "member"}
    ]


def test_revoked_token_no_longer_works(world: World, as_maria) -> None:
    secret = as_maria.post("/settings/tokens/", {"name": "Old"}).context["created_secret"]
    token = ApiToken.objects.get(name="Old")
    as_maria.post(f"/settings/tokens/{token.pk}/revoke/")
    response = Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/me")
    assert response.status_code == 401
    assert response.json()["detail"].startswith("Send a personal API token")


def test_token_name_is_required(world: World, as_maria) -> None:
    response = as_maria.post("/settings/tokens/", {"name": ""})
    assert response.context["created_secret"] is None
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_nobody_revokes_someone_elses_token(world: World, as_maria, as_pat) -> None:
    as_maria.post("/settings/tokens/", {"name": "Mine"})
    token = ApiToken.objects.get(name="Mine")
    assert as_pat.post(f"/settings/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
