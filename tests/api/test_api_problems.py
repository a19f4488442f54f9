"""What the schema promises besides success: every refusal documented as a problem, and
answers and bodies that keep to their declared types."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.services import token_create
from tandem.api.api import api
from tandem.core.api.schemas import Problem
from tandem.partners.models import Note
from tests.conftest import World


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    schema = api.get_openapi_schema()
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def with_body() -> list[tuple[str, str]]:
    """The operations that take a JSON body (an upload takes multipart/form-data)."""
    return [
        (method, path)
        for method, path, operation in operations()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


@pytest.fixture
def maria_api(world: World) -> Client:
    return Client(
        headers={"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"}
    )


def test_every_operation_documents_its_refusals_as_problems() -> None:
    missing = []
    for method, path, operation in operations():
        responses = {int(status): response for status, response in operation["responses"].items()}
        parameters = operation.get("parameters", [])
        expected = {400, 401}
        if parameters or "requestBody" in operation:
            expected.add(422)
        if "{" in path:
            expected.add(404)
        if method != "get":
            expected.add(403)
        if any(p["name"] == "version" for p in parameters):
            expected.add(409)
        for status in expected - set(responses):
            missing.append(f"{method.upper()} {path}: {status}")
        for status, response in responses.items():
            if 400 <= status < 500:
                content = response["content"]["application/problem+json"]["schema"]
                assert content == {"$ref": "#/components/schemas/Problem"}, (method, path)
    assert not missing


def test_an_edit_conflict_documents_the_current_record() -> None:
    problem = api.get_openapi_schema()["components"]["schemas"]["Problem"]
    assert {"type", "title", "status", "detail"} <= set(problem["required"])
    assert {"errors", "current", "differences"} <= set(problem["properties"])


@pytest.mark.parametrize(("method", "path"), with_body())
def test_a_body_that_is_not_a_json_object_is_refused(
    maria_api: Client, method: str, path: str
) -> None:
    """Ninja read a bare string into an input schema through attribute lookups:
    ``"buy milk"`` became a note titled "Buy Milk" (``str.title``)."""
    url = re.sub(r"\{\w+\}", "1", path) + "?version=1"
    for body in ('"buy milk"', "[]", "0", "null"):
        response = getattr(maria_api, method)(url, body, content_type="application/json")
        assert response.status_code == 400, (body, response.content)
        assert response["Content-Type"] == "application/problem+json"


def test_maria_cannot_add_a_note_with_a_bare_string(world: World, maria_api: Client) -> None:
    notes = Note.objects.count()
    response = maria_api.post(
        f"/api/partnerships/{world.northwind.pk}/notes",
        '"buy milk"',
        content_type="application/json",
    )
    assert response.status_code == 400
    assert Note.objects.count() == notes


def test_yes_or_no_fields_take_json_booleans(world: World, maria_api: Client) -> None:
    response = maria_api.post(
        f"/api/partnerships/{world.northwind.pk}/archive",
        {"version": world.northwind.version, "archived": 0},
        content_type="application/json",
    )
    assert response.status_code == 422
    world.northwind.refresh_from_db()
    assert not world.northwind.is_archived


def test_the_meeting_time_is_the_wall_time_the_schema_describes(
    world: World, maria_api: Client
) -> None:
    declared = api.get_openapi_schema()["components"]["schemas"]["ScheduleOut"]
    pattern = declared["properties"]["time"]["pattern"]
    read = maria_api.get(f"/api/partnerships/{world.northwind.pk}/meetings/schedule").json()
    assert re.search(pattern, read["time"])


def test_weekly_hours_are_kept_to_a_tenth(world: World, maria_api: Client) -> None:
    response = maria_api.patch(
        f"/api/partnerships/{world.northwind.pk}",
        {"version": world.northwind.version, "hours_per_week": 2.25},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["hours_per_week"] == "2.3"


def test_every_refusal_maria_gets_keeps_to_the_problem_schema(
    world: World, maria_api: Client
) -> None:
    """Refusals from the API's handlers and from before they run (a control character in the
    address, an address the API does not have) read the same way, as documented."""
    northwind = f"/api/partnerships/{world.northwind.pk}"
    refusals = {
        400: maria_api.get(f"{northwind}/meetings?q=%00"),
        401: Client().get(f"{northwind}/meetings"),
        404: maria_api.get("/api/no-such-thing"),
        422: maria_api.get(f"{northwind}/measurables?to=9999-12-31"),
    }
    for status, response in refusals.items():
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["type"] == "about:blank"
        Problem.model_validate(problem)
        assert set(problem) <= set(Problem.model_fields), problem


def test_token_refusals_keep_to_the_problem_schema(world: World) -> None:
    """Issue 18: an expired token (401) and a read-only token asked to change something
    (403) are refused in the same shape as every other refusal."""
    from datetime import timedelta

    from django.utils import timezone

    from tandem.accounts.models import ApiToken, TokenAccess

    expired, expired_secret = token_create(
        user=world.maria, name="old", expires_at=timezone.now() + timedelta(days=1)
    )
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - timedelta(days=1))
    _reader, reader_secret = token_create(user=world.maria, name="r", access=TokenAccess.READ)
    northwind = f"/api/partnerships/{world.northwind.pk}"
    refusals = {
        401: Client(headers={"Authorization": f"Bearer {expired_secret}"}).get(northwind),
        403: Client(headers={"Authorization": f"Bearer {reader_secret}"}).post(
            f"{northwind}/notes", {"title": "Hello"}, content_type="application/json"
        ),
    }
    for status, response in refusals.items():
        assert response.status_code == status, response.content
        assert response["Content-Type"] == "application/problem+json"
        problem = response.json()
        assert problem["status"] == status and problem["type"] == "about:blank"
        Problem.model_validate(problem)
        assert set(problem) <= set(Problem.model_fields), problem
    assert not Note.objects.filter(title="Hello").exists()


def test_a_method_an_address_does_not_take_is_a_problem_naming_the_ones_it_does(
    maria_api: Client,
) -> None:
    response = maria_api.put("/api/partnerships")
    assert response.status_code == 405
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["title"] == "Method not allowed"
    assert "PUT is not an operation of /api/partnerships." in body["detail"]
    assert set(response["Allow"].replace(" ", "").split(",")) == {"GET", "POST"}
    assert set(Problem(**body).model_dump()) >= {"type", "title", "status", "detail"}
