"""The small pieces item apps share: one item through the caller, a page's context, a
refusal as one message, and an API operation handed its item."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.test import RequestFactory
from ninja import NinjaAPI, Router

from tandem.core.api.items import operation
from tandem.core.errors import InvalidInput
from tandem.core.views import page_context, refusal
from tandem.traction.services import TODOS


def test_one_item_is_found_through_the_caller(world: Any) -> None:
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    todo = TODOS.one(maria, world.northwind, world.internal_todo.pk, related=("owner",))
    assert todo == world.internal_todo and todo.partnership is world.northwind
    for actor, pk, scope in (
        (pat, world.internal_todo.pk, world.northwind),  # internal: not the partner's
        (maria, world.shared_todo.pk, world.globex),  # another partnership's
        (maria, "nope", world.northwind),
    ):
        with pytest.raises(Http404):
            TODOS.one(actor, scope, pk)


def test_a_page_says_where_it_sits_and_whether_the_reader_manages(world: Any) -> None:
    request = RequestFactory().get("/")
    for user, manages in ((world.maria, True), (world.pat, False)):
        request.actor = world.actor(user)  # type: ignore[attr-defined]
        said = page_context(request, world.northwind, ("relationship", "asks"), page=1)  # type: ignore[arg-type]
        assert said == {
            "partnership": world.northwind,
            "tab": "relationship",
            "subtab": "asks",
            "can_manage": manages,
            "page": 1,
        }


def test_a_refusal_reads_as_one_message() -> None:
    assert refusal(InvalidInput.on("kept", "Say whether.")) == "Say whether."
    assert refusal(InvalidInput("Not open.")) == "Not open."
    two = InvalidInput("x", errors={"a": ["One."], "b": ["Two.", "Three."]})
    assert refusal(two) == "One. Two. Three."


def test_an_operation_is_handed_its_item_and_the_path_names_its_id() -> None:
    router = Router()

    @operation(router, "get", "/p/{partnership_id}/todos/{todo_id}/x", level="partnership",
               item=TODOS, related=("owner",))  # fmt: skip
    def look(request: Any, scope: Any, item: Any, more: int = 0) -> Any:
        return item

    names = list(look.__signature__.parameters)  # type: ignore[attr-defined]
    assert names == ["request", "partnership_id", "todo_id", "more"]


def test_an_operation_without_a_summary_takes_its_docstrings() -> None:
    api = NinjaAPI(urls_namespace="h1-docstring-test")
    router = Router()

    @operation(router, "get", "/p/{partnership_id}/said", level="partnership")
    def said(request: Any, scope: Any) -> Any:
        """What it does, said in
        two lines.

        More about it."""

    @operation(router, "get", "/p/{partnership_id}/both", level="partnership", summary="Given")
    def both(request: Any, scope: Any) -> Any:
        """Kept as the description."""

    api.add_router("", router)
    paths = api.get_openapi_schema(path_prefix="")["paths"]
    first = paths["/p/{partnership_id}/said"]["get"]
    assert (first["summary"], first["description"]) == ("What it does, said in two lines.",
                                                        "More about it.")  # fmt: skip
    second = paths["/p/{partnership_id}/both"]["get"]
    assert (second["summary"], second["description"]) == ("Given", "Kept as the description.")
