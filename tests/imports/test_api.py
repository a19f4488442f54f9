"""The import over the API with a bearer token: upload (multipart), mapping, dry run,
start, progress and row errors; members only."""

from __future__ import annotations

from django.test import Client, TestCase

from tandem.accounts.services import token_create
from tandem.exchange.pipeline.models import Opportunity
from tests.conftest import World
from tests.imports.conftest import csv_file

CONTENT = (
    "Record ID,Deal Name,Amount,Close Date\n"
    '1,Contoso,"$1,200.00",2026-12-01\n'
    "2,Fabrikam,lots,2026-12-02\n"
    "3,Tailspin,$300,2026-12-03\n"
)


def _client(user: object) -> Client:
    secret = token_create(user=user, name="import")[1]  # type: ignore[arg-type]
    return Client(headers={"Authorization": f"Bearer {secret}"})


def test_maria_imports_a_file_through_the_api(world: World) -> None:
    client = _client(world.maria)
    base = f"/api/workspaces/{world.acme.pk}/imports"
    response = client.post(
        base,
        data={
            "target": "opportunities",
            "source": "HubSpot",
            "partnership_id": str(world.northwind.pk),
            "file": csv_file(CONTENT),
        },
    )
    assert response.status_code == 201, response.content
    job = response.json()
    assert (job["status"], job["header"]) == (
        "uploaded",
        ["Record ID", "Deal Name", "Amount", "Close Date"],
    )
    one = f"{base}/{job['id']}"

    preview = client.get(f"{one}/preview").json()
    assert preview["suggested"]["account_name"] == "Deal Name"
    assert preview["sample"][1] == ["2", "Fabrikam", "lots", "2026-12-02"]

    mapping = {"version": job["version"], "mapping": {"colour": "Amount"}}
    refused = client.put(f"{one}/mapping", data=mapping, content_type="application/json")
    assert refused.status_code == 400
    assert refused["Content-Type"].startswith("application/problem+json")
    assert "no field “colour”" in str(refused.json())

    mapping = {
        "version": job["version"],
        "mapping": {
            "external_id": "Record ID",
            "account_name": "Deal Name",
            "amount": "Amount",
            "expected_close": "Close Date",
        },
        "key": ["external_id"],
        "only_valid": True,
    }
    response = client.put(f"{one}/mapping", data=mapping, content_type="application/json")
    assert response.status_code == 200, response.content
    checked = client.post(f"{one}/check").json()
    assert (checked["status"], checked["valid_rows"], checked["error_count"]) == ("checked", 2, 1)
    assert not Opportunity.objects.exists()
    errors = client.get(f"{one}/errors").json()
    assert errors["items"] == [{"row": 3, "column": "Amount", "reason": "“lots” is not an amount"}]

    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(f"{one}/start")
    assert started.status_code == 202
    assert started.json()["status"] == "queued"
    done = client.get(one).json()
    assert (done["status"], done["created_rows"], done["progress"]["percent"]) == ("done", 2, 100)
    assert Opportunity.objects.count() == 2
    listed = client.get(base).json()
    assert [item["id"] for item in listed["items"]] == [job["id"]]


def test_an_upload_without_a_file_is_answered_with_a_problem(world: World) -> None:
    response = _client(world.maria).post(
        f"/api/workspaces/{world.acme.pk}/imports",
        data={"target": "contacts", "source": "HubSpot", "partnership_id": world.northwind.pk},
    )
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["Choose a CSV file."]}


def test_pat_and_olga_are_told_imports_are_not_there(world: World) -> None:
    base = f"/api/workspaces/{world.acme.pk}/imports"
    for user in (world.pat, world.olga):
        client = _client(user)
        assert client.get(base).status_code == 404
        response = client.post(base, data={"target": "contacts", "file": csv_file("a\n1\n")})
        assert response.status_code == 404
