"""Names and titles are one line of visible text: no direction overrides, no invisible
characters that make one item look like another, one Unicode spelling (NFC)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pytest
from django.apps import apps
from django.db import models, transaction
from django.test import Client

from tandem.accounts.actors import actor_for
from tandem.accounts.models import ApiToken, User, Workspace
from tandem.accounts.services import token_create, workspace_create
from tandem.core import services as core
from tandem.core.errors import InvalidInput
from tandem.traction.models import Todo
from tests.conftest import World, client_for

OVERRIDE = "Invoice \u202etxt.exe"  # shows as "Invoice exe.txt"
ZERO_WIDTH = "Acme\u200b Deal"
SPOOFS = [
    OVERRIDE,
    ZERO_WIDTH,
    "Acme\u2066Deal\u2069",  # an isolate
    "Ac\u200dme",  # a joiner between Latin letters changes nothing visible
    "Acme\u200f",  # a right-to-left mark
    "Acme\ufeff",  # a byte-order mark
    "Acme\nDeal",  # a second line
    "Acme\x1b[2J",  # a terminal escape
]
# Titles in other scripts, as people type them: Arabic, Hebrew, Hindi with a joiner after
# the virama, Persian with a non-joiner, an emoji ZWJ sequence with a skin tone, a
# subdivision flag (tag characters), and a decomposed "é" that is stored composed.
WRITING = [
    "خطة المبيعات المشتركة",
    "תוכנית שיווק משותפת",
    "क्\u200dष परियोजना",
    "می\u200cخواهم شریک شویم",
    "Launch 👩🏽\u200d💻 week",
    "Kick-off in 🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f",
    "Cafe\u0301 partners",
]


def _single_line_fields() -> list[tuple[type[models.Model], models.CharField]]:
    return [
        (model, field)
        for model in apps.get_models()
        if model.__module__.startswith("tandem.")
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField)
    ]


@pytest.mark.parametrize(
    ("model", "field"),
    _single_line_fields(),
    ids=[f"{m._meta.label}.{f.name}" for m, f in _single_line_fields()],
)
def test_every_single_line_field_refuses_overrides_and_invisible_characters(
    db: Any, model: type[models.Model], field: models.CharField
) -> None:
    """Whatever the model, the one write path refuses a direction override and a zero-width
    space in each of its names and titles, with a message under that field."""
    for value in (OVERRIDE, ZERO_WIDTH):
        instance = model()
        setattr(instance, field.attname, value)
        with pytest.raises(InvalidInput) as refused:
            core.clean(instance)
        messages = refused.value.errors.get(field.name, [])
        assert any(
            "direction control" in message or "invisible character" in message
            for message in messages
        ), f"{model._meta.label}.{field.name}: {messages}"
        assert messages[0].startswith(str(field.verbose_name).capitalize())


def test_an_edit_is_refused_the_same_way_and_changes_nothing(world: World) -> None:
    todo = world.shared_todo
    for value in SPOOFS:
        with pytest.raises(InvalidInput) as refused:
            core.update(
                todo, actor=actor_for(world.lena), version=todo.version, changes={"title": value}
            )
        assert "title" in refused.value.errors
    todo.refresh_from_db()
    assert todo.title == "Send the joint deck"


def test_a_title_is_stored_composed_and_trimmed(world: World) -> None:
    todo = world.shared_todo
    core.update(
        todo, actor=actor_for(world.lena), version=todo.version, changes={"title": "  Cafe\u0301  "}
    )
    todo.refresh_from_db()
    assert todo.title == "Café" == unicodedata.normalize("NFC", "Cafe\u0301")


def _api(world: World, user: User | None = None) -> Client:
    secret = token_create(user=user or world.lena, name="test")[1]
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_lena_sees_why_her_spoofed_todo_title_is_refused(world: World) -> None:
    client = _api(world)
    for value in SPOOFS:
        response = client.post(
            f"/api/partnerships/{world.northwind.pk}/todos",
            data={"title": value},
            content_type="application/json",
        )
        assert response.status_code == 400, value
        assert response.json()["errors"]["title"][0].startswith("Title: ")
    assert not Todo.objects.filter(title__startswith="Invoice").exists()


@pytest.mark.parametrize("title", WRITING)
def test_titles_in_every_script_are_kept_as_typed(world: World, title: str) -> None:
    response = _api(world).post(
        f"/api/partnerships/{world.northwind.pk}/todos",
        data={"title": title},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["title"] == unicodedata.normalize("NFC", title)
    assert Todo.objects.get(pk=response.json()["id"]).title == unicodedata.normalize("NFC", title)


def _named_operations() -> list[tuple[str, str, str]]:
    """Every API operation whose body takes a name or a title."""
    from tests.test_access import api_operations

    found = []
    for method, path, operation in api_operations():
        if method not in {"post", "put", "patch"}:
            continue
        content = operation.get("requestBody", {}).get("content", {}).get("application/json")
        if not content:
            continue
        from tandem.api.api import api

        schema = content["schema"]
        if "$ref" in schema:
            components = api.get_openapi_schema()["components"]["schemas"]
            schema = components[schema["$ref"].rsplit("/", 1)[1]]
        for name in ("title", "name"):
            if name in schema.get("properties", {}):
                found.append((method, path, name))
    return found


@pytest.mark.parametrize(("method", "path", "name"), _named_operations())
def test_every_api_operation_refuses_a_spoofed_name(
    world: World, method: str, path: str, name: str
) -> None:
    """Create or edit anything through the API with an override or a zero-width space in its
    name or title: a 400 or 422 problem naming the field, and nothing written."""
    from tests.test_access import _api_path_values, _example_body, api_operations

    operation = {(m, p): o for m, p, o in api_operations()}[(method, path)]
    values = _api_path_values(world, path)
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    client = _api(world)
    for value in (OVERRIDE, ZERO_WIDTH):
        body = (_example_body(operation) or {}) | {name: value}
        if "version" in body:
            body["version"] = 1
        with transaction.atomic():
            response = getattr(client, method)(url, data=body, content_type="application/json")
            transaction.set_rollback(True)
        assert response.status_code in {400, 404, 409, 422}, (url, response.content)
        if response.status_code in {400, 422}:
            assert name in str(response.json().get("errors", {})), response.content


def test_a_spoofed_todo_title_on_the_page_is_shown_under_the_field(world: World) -> None:
    response = client_for(world.lena).post(
        f"/partnerships/{world.northwind.pk}/todos/new/",
        {"title": OVERRIDE, "due_on": "2026-12-01", "visibility": "shared", "owner": world.pat.pk},
    )
    assert response.status_code in {200, 400, 422}
    assert "text-direction control" in response.content.decode()
    assert not Todo.objects.filter(title__startswith="Invoice").exists()


def test_signing_up_with_a_spoofed_name_is_refused_before_any_account_exists(db: Any) -> None:
    response = Client().post(
        "/accounts/signup/",
        {
            "email": "mallory@example.com",
            "password1": "a-long-enough-passphrase-1",
            "password2": "a-long-enough-passphrase-1",
            "name": "Lena\u202e Lead",
            "workspace": "Acme\u200b Analytics",
        },
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "text-direction control" in content and "invisible character" in content
    assert not User.objects.filter(email="mallory@example.com").exists()


def test_workspace_and_token_names_follow_the_same_rule(world: World) -> None:
    for value in SPOOFS:
        with pytest.raises(InvalidInput) as refused:
            workspace_create(user=world.olga, name=value)
        assert "name" in refused.value.errors
        with pytest.raises(InvalidInput):
            token_create(user=world.olga, name=value)
    assert not Workspace.objects.filter(name__startswith="Acme\u200b").exists()
    assert not ApiToken.objects.filter(user=world.olga).exists()
    workspace = workspace_create(user=world.olga, name=" Cafe\u0301 Initech ")
    assert workspace.name == "Café Initech"
