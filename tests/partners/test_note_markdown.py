"""Notes are Markdown: rendered without holding the write lock, in bounded time and size
(issue 20: one note of 19,999 "[" held SQLite's write lock for a minute)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tandem.core import markdown
from tandem.partners.models import Note
from tests.conftest import World

BRACKETS = "[" * 19_999

# Inputs that made python-markdown's cost grow with the square of their length.
PATHOLOGICAL = {
    "brackets": BRACKETS,
    "images": "![" * 9_999,
    "unclosed links": "[a](" * 4_999,
    "emphasis openers": "*a **b " * 2_857,
    "angle brackets": "<" * 19_999,
    "backticks": "`a``" * 4_999,
    "nested quoted lists": "> - a\n" * 3_333,
}


def _api(client: Client, method: str, url: str, data: dict[str, Any]) -> Any:
    return getattr(client, method)(f"/api{url}", data, content_type="application/json")


def _page_create(world: World, client: Client, body: str) -> Any:
    return client.post(
        f"/partnerships/{world.northwind.pk}/notes/new/",
        {"title": "Plan", "body": body, "visibility": "shared"},
    )


def _page_edit(world: World, client: Client, body: str) -> Any:
    note = world.shared_note
    return client.post(
        f"/partnerships/{world.northwind.pk}/notes/{note.pk}/edit/",
        {"title": note.title, "body": body, "visibility": "shared", "version": note.version},
    )


def _api_create(world: World, client: Client, body: str) -> Any:
    url = f"/partnerships/{world.northwind.pk}/notes"
    return _api(client, "post", url, {"title": "Plan", "body": body})


def _api_edit(world: World, client: Client, body: str) -> Any:
    note = world.shared_note
    url = f"/partnerships/{world.northwind.pk}/notes/{note.pk}"
    return _api(client, "patch", url, {"body": body, "version": note.version})


ROUTES: dict[str, Callable[[World, Client, str], Any]] = {
    "page create": _page_create,
    "page edit": _page_edit,
    "API create": _api_create,
    "API edit": _api_edit,
}


@pytest.fixture
def transactions_while_rendering(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many atomic blocks were open each time Markdown was rendered."""
    seen: list[int] = []
    real = markdown._parser.render

    def spy(text: str, *args: Any, **kwargs: Any) -> str:
        seen.append(len(connection.atomic_blocks))
        return real(text, *args, **kwargs)

    monkeypatch.setattr(markdown._parser, "render", spy)
    return seen


@pytest.mark.parametrize("route", ROUTES)
def test_a_note_is_rendered_before_any_transaction_opens(
    world: World, as_maria: Client, transactions_while_rendering: list[int], route: str
) -> None:
    outside = len(connection.atomic_blocks)  # the test's own transaction, nothing more
    response = ROUTES[route](world, as_maria, "**Agreed** next steps")
    assert response.status_code in (200, 201, 302)
    assert transactions_while_rendering == [outside]
    note = Note.objects.filter(body="**Agreed** next steps").get()
    assert note.body_html == "<p><strong>Agreed</strong> next steps</p>\n"


@pytest.mark.parametrize("route", ROUTES)
def test_the_longest_note_of_brackets_is_saved_and_shown_as_typed(
    world: World, as_pat: Client, as_maria: Client, route: str
) -> None:
    response = ROUTES[route](world, as_pat, BRACKETS)
    assert response.status_code in (200, 201, 302)
    assert Note.objects.filter(body=BRACKETS).exists()
    assert BRACKETS in as_maria.get(f"/partnerships/{world.northwind.pk}/").content.decode()


@pytest.mark.parametrize("body", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pat_saves_a_note_made_to_be_slow(world: World, as_pat: Client, body: str) -> None:
    # Without a linear parser, this test alone would take minutes (bench/markdown_render.py).
    assert _api_create(world, as_pat, body).status_code == 201
    html = Note.objects.get(body=body).body_html
    assert "<script" not in html and "<img" not in html


@pytest.mark.parametrize("route", ROUTES)
def test_a_note_over_the_size_bound_is_refused_with_a_message(
    world: World, as_pat: Client, route: str
) -> None:
    before = list(Note.objects.values_list("pk", "version", "body"))
    too_long = "a" * (markdown.MAX_LENGTH + 1)
    response = ROUTES[route](world, as_pat, too_long)
    if route.startswith("API"):
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        assert "20000 characters" in response.json()["errors"]["body"][0]
    else:
        assert response.status_code == 200
        assert "at most 20000 characters" in response.content.decode()
    assert list(Note.objects.values_list("pk", "version", "body")) == before


def test_note_markdown_keeps_its_formatting(world: World, as_maria: Client) -> None:
    body = "### Plan\n\n1. *Call* Pat\n2. Send `deck`\n\n> quoted\n\n[site](https://example.com)"
    _page_create(world, as_maria, body)
    html = Note.objects.get(body=body).body_html
    assert "<h3>Plan</h3>" in html and "<ol>" in html and "<em>Call</em>" in html
    assert "<code>deck</code>" in html and "<blockquote>" in html
    assert '<a href="https://example.com" rel="noopener noreferrer nofollow">site</a>' in html
