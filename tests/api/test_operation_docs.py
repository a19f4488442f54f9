"""Every operation of the OpenAPI schema says what it does and who may call it."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tandem.core.api.openapi import WHO_MAY_CALL


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    from tandem.api.api import api

    schema = api.get_openapi_schema()
    return [
        (method, path, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    ]


def test_every_operation_has_a_summary_and_a_description() -> None:
    bare = [
        f"{method.upper()} {path}: {field}"
        for method, path, operation in _operations()
        for field in ("summary", "description")
        if not str(operation.get(field) or "").strip()
    ]
    assert not bare, f"Operations without a summary or description: {bare}"


def test_every_description_says_who_may_call_it_and_with_which_token() -> None:
    for method, path, operation in _operations():
        description = operation["description"]
        assert f"**Who may call it:** {WHO_MAY_CALL[operation['x-access']]}." in description, path
        if method == "get":
            assert "A read-only token may call it." in description, path
        else:
            assert "a read-only token is refused (403)" in description, f"{method} {path}"


def test_an_operations_own_words_come_first() -> None:
    """A description written on an operation is kept, the access sentence after it."""
    operation = {(m, p): o for m, p, o in _operations()}[
        ("delete", "/api/partnerships/{partnership_id}/people/{access_id}")
    ]
    assert operation["summary"] == "Remove a partner-side person's access to this partnership"
    assert operation["description"].startswith("They no longer see anything of it")
    assert operation["description"].endswith("a read-only token is refused (403).")


def test_the_served_schema_is_the_same(db: Any) -> None:
    served = Client().get("/api/openapi.json").json()
    operation = served["paths"]["/api/me/tokens"]["get"]
    assert operation["summary"] == "Your API tokens"
    assert "A read-only token may call it." in operation["description"]
    assert "the token has expired" in operation["responses"]["401"]["description"]
