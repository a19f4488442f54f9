"""One rule for the API's refusals of a body, on every operation that takes one: a body that
is not a JSON object is malformed (400); a JSON object whose fields the operation's schema
refuses (empty, too long, a date out of range, a wrong type) fails validation (422), with
each refused field named; both are problems of the one documented shape."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from tandem.accounts.services import token_create
from tandem.api.api import api
from tests.conftest import World

PROBLEM = "application/problem+json"


def _schema() -> dict[str, Any]:
    return api.get_openapi_schema()


def _body_schema(operation: dict[str, Any], components: dict[str, Any]) -> dict[str, Any]:
    content = operation.get("requestBody", {}).get("content", {})
    schema = next(iter(content.values()), {}).get("schema", {})
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def with_body() -> list[tuple[str, str]]:
    """The operations that take a JSON body (an upload takes multipart/form-data: its own
    tests send it bad files)."""
    return [
        (method, path)
        for path, methods in _schema()["paths"].items()
        for method, operation in methods.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    ]


def with_required_text() -> list[tuple[str, str, str]]:
    """Each operation with a required text field that may not be empty, and that field."""
    schema = _schema()
    components = schema["components"]["schemas"]
    found = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            body = _body_schema(operation, components)
            for name in body.get("required", []):
                field = body.get("properties", {}).get(name, {})
                if field.get("type") == "string" and field.get("minLength", 0) >= 1:
                    found.append((method, path, name))
                    break
    return found


@pytest.fixture
def maria_api(world: World) -> Client:
    return Client(
        headers={"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"}
    )


def _url(path: str, world: World) -> str:
    # The body is read before the operation looks anything up: any id will do.
    return re.sub(r"\{\w+\}", str(world.northwind.pk), path)


def _problem(response: Any, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    problem = response.json()
    assert problem["type"] == "about:blank" and problem["status"] == status
    assert problem["title"] and problem["detail"]
    return problem


@pytest.mark.parametrize(("method", "path"), with_body())
def test_a_malformed_body_is_a_400_problem(
    world: World, maria_api: Client, method: str, path: str
) -> None:
    for body in ("{", '{"title": "Launch"', "not json", "[]", '"a text"'):
        response = getattr(maria_api, method)(
            _url(path, world), body, content_type="application/json"
        )
        problem = _problem(response, 400)
        assert problem["title"] == "Malformed request"
        assert "JSON object" in problem["detail"]


@pytest.mark.parametrize(("method", "path", "field"), with_required_text())
def test_an_empty_required_text_is_a_422_problem_naming_it(
    world: World, maria_api: Client, method: str, path: str, field: str
) -> None:
    for empty in ("", "   "):
        response = getattr(maria_api, method)(
            _url(path, world), {field: empty}, content_type="application/json"
        )
        problem = _problem(response, 422)
        assert field in problem["errors"], problem


def test_every_kind_of_invalid_field_is_a_422(world: World, maria_api: Client) -> None:
    """Empty, too long, a year out of range, a wrong type: all the schema's refusals."""
    todos = f"/api/partnerships/{world.northwind.pk}/todos"
    for body, field in (
        ({"title": ""}, "title"),
        ({"title": "x" * 500}, "title"),
        ({"title": "Send the deck", "due_on": "9999-01-01"}, "due_on"),
        ({"title": "Send the deck", "due_on": "soon"}, "due_on"),
        ({"title": ["Send the deck"]}, "title"),
    ):
        response = maria_api.post(todos, body, content_type="application/json")
        assert field in _problem(response, 422)["errors"], body


def test_the_schema_documents_the_rule() -> None:
    schema = _schema()
    assert "422" in schema["info"]["description"] and "400" in schema["info"]["description"]
    for method, path in with_body():
        responses = schema["paths"][path][method]["responses"]
        assert "malformed" in responses[400]["description"].lower(), (method, path)
        assert "422" in map(str, responses) or 422 in responses, (method, path)


def _trimmed_texts(node: Any) -> list[dict[str, Any]]:
    """Every text schema of the document that counts from its first visible character."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "string" and node.get("minLength") and node.get("pattern"):
            found.append(node)
        for value in node.values():
            found += _trimmed_texts(value)
    elif isinstance(node, list):
        for value in node:
            found += _trimmed_texts(value)
    return found


def test_a_text_of_next_line_characters_is_empty_in_the_document_as_in_the_api(
    world: World,
) -> None:
    """U+0085 is white space to the trimming but not to JSON Schema's \\s: the document
    refuses such a text as the operations do (a fuzzer found the gap)."""
    import jsonschema_rs

    texts = _trimmed_texts(_schema())
    assert texts
    for text in texts:
        blank = "\x85" * max(int(text["minLength"]), 1)
        assert not jsonschema_rs.is_valid(text, blank), text
        assert jsonschema_rs.is_valid(text, "A" * int(text["minLength"])), text
    client = Client(
        headers={"Authorization": f"Bearer {token_create(user=world.lena, name='t')[1]}"}
    )
    response = client.post(
        f"/api/workspaces/{world.acme.pk}/way/processes",
        {"name": "\x85", "purpose": ""},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "name" in response.json()["errors"]
