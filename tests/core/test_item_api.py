"""item_api's operations and the schema's components, across every app's API."""

from __future__ import annotations

import json
from typing import Any

from ninja.openapi.schema import OpenAPISchema

from tandem.accounts.services import token_create
from tandem.api.api import api
from tandem.core.api.derive import schemas
from tandem.relationship.commitments.models import Commitment
from tandem.vision.models import CompanyGoal
from tests.conftest import World, client_for


def test_no_two_schemas_share_a_component_name(monkeypatch: Any) -> None:
    """ninja keeps the last schema of a name: a second class of the same name would
    silently document the first one's operations with its own fields. (Query parameters'
    schemas, all named ``Filters``, are spread into parameters: no operation refers to them.)"""
    clashes: list[str] = []
    add = OpenAPISchema.add_schema_definitions

    def checked(self: OpenAPISchema, definitions: dict[str, Any]) -> None:
        clashes.extend(name for name, d in definitions.items() if self.schemas.get(name, d) != d)
        add(self, definitions)

    monkeypatch.setattr(OpenAPISchema, "add_schema_definitions", checked)
    document = json.dumps(api.get_openapi_schema())
    assert [name for name in clashes if f'"#/components/schemas/{name}"' in document] == []


def _api(user: Any) -> Any:
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {token_create(user=user, name='t')[1]}"
    return client


def test_a_patch_may_clear_the_owner(world: World) -> None:
    maria = _api(world.maria)
    base = f"/api/partnerships/{world.northwind.pk}/asks"
    created = maria.post(
        base, {"title": "Sandbox", "owner_id": world.pat.pk}, content_type="application/json"
    ).json()
    assert created["owner"]["id"] == world.pat.pk
    url = f"{base}/{created['id']}"
    cleared = maria.patch(url, {"version": 1, "owner_id": None}, content_type="application/json")
    assert cleared.status_code == 200, cleared.content
    assert cleared.json()["owner"] is None and cleared.json()["version"] == 2
    emptied = maria.patch(url, {"version": 2, "title": None}, content_type="application/json")
    assert emptied.status_code in {400, 422}


def test_a_reference_may_be_chosen_among_some_items_only(world: World) -> None:
    """Goals: ``among`` says which company goals a goal may serve (the program's, and only
    a program goal), under the id's own key."""
    served = CompanyGoal.objects.create(workspace=world.acme, title="Grow retention")
    lena, body = _api(world.lena), {"title": "Twelve resellers", "target": "12"}
    body["company_goal_id"] = served.pk
    program = lena.post("/api/partnerships/program/goals", body, content_type="application/json")
    assert program.status_code == 201, program.content
    assert program.json()["company_goal_id"] == served.pk
    partner = lena.post(
        f"/api/partnerships/{world.northwind.pk}/goals", body, content_type="application/json"
    )
    assert partner.status_code == 400
    assert partner.json()["errors"] == {
        "company_goal_id": ["Only program goals serve one of your company goals."]
    }
    one = f"/api/partnerships/program/goals/{program.json()['id']}"
    assert lena.get(one).status_code == 405  # without=("get",)


def test_schemas_of_a_plain_model_named_and_typed_as_told() -> None:
    """``schemas`` takes a model (its versioned fields), a name, and output types."""
    out, given, patch = schemas(
        Commitment,
        name="Promise",
        fields={"target_number": (float | None, None)},
        out_fields={"side": str, "target_number": float | None},
    )
    assert (out.__name__, given.__name__, patch.__name__) == (
        "PromiseOut",
        "PromiseIn",
        "PromisePatch",
    )
    assert out.model_fields["side"].annotation is str
    assert given.model_fields["side"].annotation is not str  # the input keeps its choices
    assert "version" in patch.model_fields and "owner_id" in given.model_fields


def test_an_operation_takes_a_payload_made_at_run_time() -> None:
    """``operation(..., payload=)``: the body documented is the derived schema."""
    document = api.get_openapi_schema()
    body = document["paths"]["/api/workspaces/{workspace_id}/way/processes"]["post"]
    assert body["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ProcessIn"
    }
