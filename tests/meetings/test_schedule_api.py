"""The meeting schedule over the API: the same rules as the page."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
import time_machine
from django.test import Client

from tandem.accounts.services import token_create
from tandem.meetings.models import Schedule
from tandem.partners.models import Partnership
from tests.conftest import World

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _api(user: Any) -> Client:
    secret = token_create(user=user, name="test")[1]
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _url(world: World) -> str:
    return f"/api/partnerships/{world.northwind.pk}/meetings/schedule"


def _put(client: Client, url: str, **body: Any) -> Any:
    return client.put(url, data=body, content_type="application/json")


@time_machine.travel(NOW, tick=False)
def test_maria_sets_the_schedule_and_reads_the_next_meetings_with_offsets(world: World) -> None:
    client = _api(world.maria)
    before = client.get(_url(world)).json()
    assert before["saved"] is False
    assert before["version"] == 0
    response = _put(
        client,
        _url(world),
        version=0,
        weekday=1,
        time="09:00",
        timezone="America/New_York",
        starts_on="2026-03-01",
        issues_minutes=45,
        cadence="weekly",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["saved"] is True
    assert body["version"] == 1
    assert body["summary"].startswith("Every Tuesday at 09:00, New York (E")
    starts = [m["start"] for m in body["next_meetings"]]
    assert starts == [
        "2026-03-03T09:00:00-05:00",
        "2026-03-10T09:00:00-04:00",
        "2026-03-17T09:00:00-04:00",
        "2026-03-24T09:00:00-04:00",
        "2026-03-31T09:00:00-04:00",
    ]
    assert [m["kind"] for m in body["next_meetings"]][-1] == "quarterly"
    assert body["next_meetings"][0]["end"] == "2026-03-03T10:10:00-05:00"
    # Fields left out keep their values.
    again = _put(client, _url(world), version=1, time="10:30").json()
    assert (again["time"], again["timezone"], again["issues_minutes"]) == (
        "10:30:00",
        "America/New_York",
        45,
    )


def test_pat_reads_but_cannot_change_it(world: World) -> None:
    client = _api(world.pat)
    assert client.get(_url(world)).status_code == 200
    response = _put(client, _url(world), version=0, time="08:00")
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")
    assert not Schedule.objects.exists()


def test_lee_is_told_it_is_not_there(world: World) -> None:
    assert _api(world.lee).get(_url(world)).status_code == 404


@pytest.mark.parametrize("name", ["Mars/Olympus_Mons", "localtime", "Factory"])
def test_an_unknown_time_zone_is_a_400_problem(world: World, name: str) -> None:
    # "localtime" (the server's own zone) and "Factory" are in the zone database but no place.
    response = _put(_api(world.maria), _url(world), version=0, timezone=name)
    assert response.status_code == 400
    assert "timezone" in response.json()["errors"]


def test_bad_values_are_422(world: World) -> None:
    client = _api(world.maria)
    assert _put(client, _url(world), version=0, weekday=7).status_code == 422
    assert _put(client, _url(world), version=0, issues_minutes=0).status_code == 422
    assert _put(client, _url(world), version=0, cadence="hourly").status_code == 422


def test_a_stale_version_is_a_409_with_the_current_schedule(world: World) -> None:
    client = _api(world.maria)
    assert _put(client, _url(world), version=0, time="08:00").status_code == 200
    response = _put(client, _url(world), version=0, time="07:00")
    assert response.status_code == 409
    assert Schedule.objects.get().time.hour == 8


def test_the_cadence_is_the_partnership_s(world: World) -> None:
    client = _api(world.maria)
    body = _put(client, _url(world), version=0, cadence="monthly").json()
    assert body["cadence"] == "monthly"
    assert Partnership.objects.get(pk=world.northwind.pk).cadence == "monthly"
    stale = _put(client, _url(world), version=1, cadence="weekly", partnership_version=1)
    assert stale.status_code == 409


def test_the_program_level_has_no_schedule(world: World) -> None:
    response = _api(world.lena).get("/api/partnerships/program/meetings/schedule")
    assert response.status_code in {404, 422}


def test_a_time_with_an_offset_is_refused(world: World) -> None:
    response = _put(_api(world.maria), _url(world), version=0, time="10:00:00+01:00")
    assert response.status_code == 400
    assert "time" in response.json()["errors"]
