"""The scorecard over the API: the same rules as the pages, the same costs for 10 or 200."""

from __future__ import annotations

from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.scorecard.models import Entry, Measurable, period_of, shift
from tests.conftest import World


def client(user: object) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


def last_week() -> str:
    return shift(period_of(timezone.localdate(), "weekly"), "weekly", -1).isoformat()


def test_measurables_through_the_api(world: World) -> None:
    pat = client(world.pat)
    base = f"/api/partnerships/{world.northwind.pk}/measurables"
    listed = pat.get(base).json()
    assert [m["title"] for m in listed["items"]] == ["Leads referred"]
    assert listed["count"] == 1 and len(listed["items"][0]["periods"]) == 13
    created = pat.post(
        base,
        {"title": "Deals won", "goal": 1, "visibility": "internal"},
        content_type="application/json",
    )
    assert created.status_code == 400  # partner-side people add shared items only
    created = pat.post(base, {"title": "Deals won", "goal": "1"}, content_type="application/json")
    assert created.status_code == 201
    won = created.json()
    assert won["owner"]["email"] == "pat@northwind.example" and won["goal"] == 1
    rate = pat.post(
        base,
        {"title": "Win rate", "unit": "percent", "formula": "{Deals won} / {Leads referred} * 100"},
        content_type="application/json",
    ).json()
    assert rate["formula"] == f"{{#{won['id']}}} / {{#{world.shared_measurable.pk}}} * 100"

    value_url = f"{base}/{world.shared_measurable.pk}/values/{last_week()}"
    put = pat.put(value_url, {"value": "8"}, content_type="application/json")
    assert put.status_code == 200 and put.json()["value"] == 8 and put.json()["version"] == 1
    pat.put(
        f"{base}/{won['id']}/values/{last_week()}", {"value": 2}, content_type="application/json"
    )
    stale = pat.put(value_url, {"value": "9", "version": None}, content_type="application/json")
    assert stale.status_code == 409 and stale.json()["current"]["value"] == 8
    refused = pat.put(
        f"{base}/{rate['id']}/values/{last_week()}", {"value": 5}, content_type="application/json"
    )
    assert refused.status_code == 400 and "formula" in refused.json()["errors"]["value"][0]
    goal = pat.put(
        f"{base}/{world.shared_measurable.pk}/goals/{last_week()}",
        {"goal": 10, "note": "Launch week", "version": 1},
        content_type="application/json",
    )
    assert goal.status_code == 200 and goal.json()["goal_note"] == "Launch week"

    listed = {m["title"]: m for m in pat.get(base).json()["items"]}
    week = listed["Win rate"]["periods"][-2]
    assert (week["value"], week["shown"], week["status"]) == (25, "25%", "plain")
    leads = listed["Leads referred"]["periods"][-2]
    assert (leads["value"], leads["status"], leads["goal"]) == (8, "off", 10)
    hidden = pat.patch(
        f"{base}/{world.internal_measurable.pk}",
        {"version": 1, "title": "x"},
        content_type="application/json",
    )
    assert hidden.status_code == 404
    renamed = pat.patch(
        f"{base}/{won['id']}",
        {"version": 1, "title": "Deals closed"},
        content_type="application/json",
    )
    assert renamed.json()["title"] == "Deals closed"
    assert pat.delete(f"{base}/{won['id']}?version=2").status_code == 400  # used by Win rate
    assert pat.delete(f"{base}/{rate['id']}?version=1").status_code == 204


def test_the_measurable_list_costs_the_same_with_10_or_200(world: World) -> None:
    api = client(world.maria)
    url = f"/api/partnerships/{world.northwind.pk}/measurables?page_size=200"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(url).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        made = Measurable.objects.bulk_create(
            Measurable(workspace=world.acme, partnership=world.northwind, title=f"m{n}-{i}",
                       goal=Decimal(3))
            for i in range(n)
        )  # fmt: skip
        week = period_of(timezone.localdate(), "weekly")
        Entry.objects.bulk_create(
            Entry(measurable=m, period_start=shift(week, "weekly", -w), value=w)
            for m in made
            for w in range(20)
        )

    add(8)
    count()
    few = count()
    add(190)
    assert count() == few
    assert api.get(url).json()["count"] == 200


def test_the_program_scorecard_through_the_api(world: World) -> None:
    base = "/api/partnerships/program/measurables"
    created = client(world.maria).post(
        base,
        {"title": "Partner-sourced revenue", "unit": "currency"},
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["visibility"] == "internal"
    assert Measurable.objects.get(title="Partner-sourced revenue").partnership_id is None
    listed = client(world.lena).get(base).json()
    assert [m["title"] for m in listed["items"]] == ["Partner-sourced revenue"]
    assert client(world.pat).get(base).status_code == 404
