"""The API's shape: tokens, JSON problems a person can act on, pagination, the schema."""

from __future__ import annotations

import pytest
from django.test import Client

from tandem.accounts.services import token_create
from tandem.partners.models import Partnership
from tests.conftest import World
from tests.factories import PartnershipFactory


@pytest.fixture
def maria_api(world: World) -> Client:
    return Client(
        headers={"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"}
    )


def test_schema_and_docs_are_served(db) -> None:
    client = Client()
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Tandem API"
    assert "/api/partnerships" in schema["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200


def test_anonymous_gets_a_problem_not_a_page(db) -> None:
    response = Client().get("/api/partnerships")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert response["WWW-Authenticate"] == "Bearer"
    assert response.json()["title"] == "Not signed in"


def test_a_wrong_token_is_refused(db) -> None:
    response = Client(headers={"Authorization": "Bearer tdm_not-a-real-token"}).get("/api/me")
    assert response.status_code == 401


def test_create_read_update_a_partnership(world: World, maria_api: Client) -> None:
    created = maria_api.post(
        "/api/partnerships",
        {"name": "Contoso", "kind": "reseller", "owner_id": world.maria.pk, "hours_per_week": 3},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "Contoso" and body["owner"]["email"] == "maria@acme.example"
    assert body["version"] == 1 and body["workspace_id"] == world.acme.pk
    url = f"/api/partnerships/{body['id']}"
    changed = maria_api.patch(
        url, {"version": 1, "stage": "diligence"}, content_type="application/json"
    )
    assert changed.json()["stage"] == "diligence" and changed.json()["version"] == 2
    history = maria_api.get(url + "/stages").json()
    assert [h["to_stage"] for h in history] == ["diligence", "prospect"]


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Ok", "kind": "franchise"}, "kind"),
        ({"name": "Ok", "hours_per_week": "lots"}, "hours_per_week"),
        ({"name": "Ok", "hours_per_week": 500}, "hours_per_week"),
        ({"name": "Ok", "owner_id": "me"}, "owner_id"),
        ({"name": "Ok", "owner_id": 99999999999999999999999}, "owner_id"),
        ({"name": "Ok", "website": "not a url"}, "website"),
    ],
)
def test_bad_input_is_a_400_problem_naming_the_field(
    world: World, maria_api: Client, payload: dict, field: str
) -> None:
    before = Partnership.objects.count()
    response = maria_api.post("/api/partnerships", payload, content_type="application/json")
    assert response.status_code in {400, 422}
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert field in problem["errors"], problem
    assert Partnership.objects.count() == before


def test_owner_from_another_workspace_is_refused(world: World, maria_api: Client) -> None:
    response = maria_api.post(
        "/api/partnerships",
        {"name": "Ok", "owner_id": world.olga.pk},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"]["owner_id"] == ["Choose a member of this workspace."]


def test_malformed_json_and_ids_are_4xx(world: World, maria_api: Client) -> None:
    bad_json = maria_api.post("/api/partnerships", "{not json", content_type="application/json")
    assert 400 <= bad_json.status_code < 500
    for path in ("abc", "0", "-1", "99999999999999999999999999", "1.5"):
        response = maria_api.get(f"/api/partnerships/{path}")
        assert response.status_code in {404, 422}, path
    assert maria_api.get("/api/partnerships?page=0").status_code == 422
    assert maria_api.get("/api/partnerships?page_size=100000").status_code == 422


def test_lists_are_paginated_with_stable_order(world: World, maria_api: Client) -> None:
    PartnershipFactory.create_batch(60, workspace=world.acme)
    first = maria_api.get("/api/partnerships?page_size=25").json()
    assert first["count"] == 62 and first["pages"] == 3 and len(first["items"]) == 25
    seen = {
        item["id"]
        for page in (1, 2, 3)
        for item in maria_api.get(f"/api/partnerships?page_size=25&page={page}").json()["items"]
    }
    assert len(seen) == 62


def test_list_query_count_does_not_grow(world: World, maria_api: Client) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert maria_api.get("/api/partnerships").status_code == 200
        return len(captured)

    PartnershipFactory.create_batch(8, workspace=world.acme, owner=world.lena)
    count()  # the first call also stamps the token's "last used" time
    few = count()
    PartnershipFactory.create_batch(190, workspace=world.acme, owner=world.lena)
    assert count() == few


def test_session_api_calls_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.maria, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/api/me").status_code == 200
    response = client.post("/api/partnerships", {"name": "Sneaky"}, content_type="application/json")
    assert response.status_code in {401, 403}
    assert not Partnership.objects.filter(name="Sneaky").exists()


def test_members_through_the_api(world: World) -> None:
    lena = Client(headers={"Authorization": f"Bearer {token_create(user=world.lena, name='t')[1]}"})
    listed = lena.get(f"/api/workspaces/{world.acme.pk}/members").json()
    assert {m["user"]["email"] for m in listed["items"]} == {
        "lena@acme.example",
        "maria@acme.example",
    }
    invited = lena.post(
        f"/api/workspaces/{world.acme.pk}/invitations",
        {"email": "ned@acme.example", "role": "admin"},
        content_type="application/json",
    )
    assert invited.status_code == 201 and invited.json()["status"] == "pending"
    role = lena.patch(
        f"/api/workspaces/{world.acme.pk}/members/{world.maria_membership.pk}",
        {"role": "admin"},
        content_type="application/json",
    )
    assert role.json()["role"] == "admin"
    removed = lena.delete(f"/api/workspaces/{world.acme.pk}/members/{world.maria_membership.pk}")
    assert removed.status_code == 204
    bad = lena.post(
        f"/api/workspaces/{world.acme.pk}/invitations",
        {"email": "not-an-email"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"]["email"]


def test_null_and_nul_characters_are_refused_not_crashes(world: World, maria_api: Client) -> None:
    url = f"/api/partnerships/{world.northwind.pk}"
    for payload in ({"version": 1, "website": None}, {"version": 1, "summary": None}):
        response = maria_api.patch(url, payload, content_type="application/json")
        assert response.status_code == 400, payload
    response = maria_api.patch(
        url, {"version": 1, "name": "North\x00wind"}, content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json()["errors"]["name"] == [
        "Partner company: Null characters are not allowed."
    ]
    note = maria_api.post(
        f"{url}/notes", {"title": "ok", "body": "a\x00b"}, content_type="application/json"
    )
    assert note.status_code == 400
    assert maria_api.get("/api/partnerships?q=a%00b").status_code == 400


def test_partner_side_does_not_get_internal_partnership_fields(world: World) -> None:
    pat = Client(headers={"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"})
    seen = pat.get(f"/api/partnerships/{world.northwind.pk}").json()
    assert seen["hours_per_week"] is None
    assert seen["name"] == "Northwind"
    listed = pat.get("/api/partnerships").json()["items"][0]
    assert listed["hours_per_week"] is None
