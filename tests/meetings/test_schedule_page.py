"""The meeting schedule page: both sides read it, members change it."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

import pytest
import time_machine
from django.test import Client

from tandem.core.models import ActivityEntry
from tandem.meetings.models import Schedule
from tandem.partners.models import Partnership
from tests.conftest import World, client_for

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # a Monday, before New York's spring change


@pytest.fixture(autouse=True)
def _northwind_since_january(world: World) -> None:
    """The defaults count from the partnership's creation: make that before NOW."""
    Partnership.objects.filter(pk=world.northwind.pk).update(
        created_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    world.northwind.refresh_from_db()


def _url(world: World, suffix: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/meetings/schedule/{suffix}"


def _form(**changes: Any) -> dict[str, Any]:
    data = {
        "version": "0",
        "partnership_version": "1",
        "cadence": "weekly",
        "weekday": "1",
        "time": "09:00",
        "timezone": "America/New_York",
        "starts_on": "2026-03-01",
        "quarterly": "on",
        "segue_minutes": "5",
        "scorecard_minutes": "5",
        "rocks_minutes": "5",
        "todos_minutes": "5",
        "issues_minutes": "45",
        "conclusion_minutes": "5",
    }
    data.update(changes)
    return data


@time_machine.travel(NOW, tick=False)
def test_the_schedule_page_shows_the_defaults_and_the_next_meetings(
    world: World, as_maria: Client
) -> None:
    response = as_maria.get(_url(world))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Meeting schedule" in html
    assert "nothing is saved yet" in html
    assert "Every Tuesday at 10:00, UTC" in html
    assert "Tue 3 Mar 2026, 10:00 UTC" in html
    assert "Save schedule" in html


@time_machine.travel(NOW, tick=False)
def test_maria_saves_a_schedule_and_the_cadence(world: World, as_maria: Client) -> None:
    response = as_maria.post(_url(world, "save/"), _form(cadence="biweekly"))
    assert response.status_code == 302
    schedule = Schedule.objects.get(partnership=world.northwind)
    assert (schedule.weekday, schedule.time, schedule.timezone) == (1, time(9), "America/New_York")
    assert schedule.issues_minutes == 45
    assert schedule.starts_on == date(2026, 3, 1)
    world.northwind.refresh_from_db()
    assert world.northwind.cadence == "biweekly"
    assert ActivityEntry.objects.filter(target_type="meeting schedule", verb="created").exists()
    html = as_maria.get(_url(world)).content.decode()
    assert "Every other Tuesday at 09:00, New York (E" in html
    # 3 March (EST) and 17 March (EDT): both at 09:00 New York time.
    assert "Tue 3 Mar 2026, 09:00 EST" in html
    assert "Tue 17 Mar 2026, 09:00 EDT" in html


@time_machine.travel(NOW, tick=False)
def test_the_page_shows_the_viewer_s_time_too(world: World, as_maria: Client) -> None:
    as_maria.post(_url(world, "save/"), _form())
    as_maria.cookies["tz"] = "Europe/Berlin"
    html = as_maria.get(_url(world)).content.decode()
    assert "Your time, Berlin (CET)" in html  # a March day: still winter time
    assert "Tue 3 Mar, 15:00 CET" in html
    as_maria.cookies["tz"] = "Not/AZone"
    assert "Your time" not in as_maria.get(_url(world)).content.decode()


def test_an_unknown_time_zone_is_refused_with_a_clear_message(
    world: World, as_maria: Client
) -> None:
    response = as_maria.post(_url(world, "save/"), _form(timezone="Mars/Olympus_Mons"))
    assert response.status_code == 400
    assert "not a time zone we know" in response.content.decode()
    assert not Schedule.objects.exists()


def test_bad_timeboxes_and_times_are_refused(world: World, as_maria: Client) -> None:
    response = as_maria.post(_url(world, "save/"), _form(issues_minutes="0", time="25:99"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Enter a valid time." in html
    assert "greater than or equal to 1" in html


def test_a_stale_version_is_reported_as_a_conflict(world: World, as_maria: Client) -> None:
    assert as_maria.post(_url(world, "save/"), _form()).status_code == 302
    # Lena saved a change meanwhile …
    client_for(world.lena).post(_url(world, "save/"), _form(version="1", time="11:00"))
    # … and Maria saves from the page she opened before.
    response = as_maria.post(_url(world, "save/"), _form(version="1", time="08:00"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "Someone else saved a change" in html
    assert Schedule.objects.get().time == time(11)
    assert 'name="version" value="2"' in html  # saving again is a deliberate choice


def test_a_stale_partnership_version_refuses_the_cadence_and_the_schedule(
    world: World, as_maria: Client
) -> None:
    response = as_maria.post(
        _url(world, "save/"), _form(cadence="monthly", partnership_version="0")
    )
    assert response.status_code == 400
    assert "Someone else saved a change" in response.content.decode()
    assert not Schedule.objects.exists()
    world.northwind.refresh_from_db()
    assert world.northwind.cadence == "weekly"


def test_pat_reads_the_schedule_but_cannot_change_it(world: World, as_pat: Client) -> None:
    html = as_pat.get(_url(world)).content.decode()
    assert "Next meetings" in html
    assert "Save schedule" not in html
    assert as_pat.post(_url(world, "save/"), _form()).status_code == 403
    assert not Schedule.objects.exists()


@pytest.mark.parametrize("persona", ["lee", "olga"])
def test_others_are_told_it_is_not_there(world: World, persona: str) -> None:
    client = client_for(getattr(world, persona))
    assert client.get(_url(world)).status_code == 404
    assert client.post(_url(world, "save/"), _form()).status_code == 404


def test_the_program_level_has_no_schedule(world: World, as_lena: Client) -> None:
    assert as_lena.get("/partnerships/program/meetings/schedule/").status_code == 404


def test_an_archived_partnership_s_schedule_is_read_only(world: World, as_maria: Client) -> None:
    world.northwind.archived_at = NOW
    world.northwind.save()
    html = as_maria.get(_url(world)).content.decode()
    assert "holds no meetings" in html
    assert "Save schedule" not in html
    assert as_maria.post(_url(world, "save/"), _form()).status_code == 400


@time_machine.travel(NOW, tick=False)
def test_the_partnership_page_links_the_schedule_and_shows_the_next_meeting(
    world: World, as_pat: Client
) -> None:
    html = as_pat.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert f"/partnerships/{world.northwind.pk}/meetings/schedule/" in html
    assert "Tue 3 Mar, 10:00 UTC" in html
