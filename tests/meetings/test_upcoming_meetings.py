"""Upcoming meetings on each person's home: a member's portfolio, a partner's list."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.meetings.models import NextMeeting, Schedule
from tandem.meetings.schedule.dates import NOT_MEETING, occurrences, schedule_of
from tandem.meetings.schedule.selectors import upcoming_meetings
from tandem.meetings.schedule.services import schedule_save
from tandem.meetings.schedule.soonest import bring_up_to_date, refresh_next_meetings
from tandem.partners.models import Partnership
from tests.conftest import World
from tests.factories import PartnerAccessFactory, PartnershipFactory

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # Monday


def _schedule(partnership: Partnership, **values: Any) -> Schedule:
    defaults = {"weekday": 1, "time": time(9), "timezone": "America/New_York"}
    return Schedule.objects.create(
        partnership=partnership, starts_on=date(2026, 1, 1), **{**defaults, **values}
    )


@time_machine.travel(NOW, tick=False)
def test_maria_sees_the_next_two_weeks_soonest_first(world: World, as_maria: Client) -> None:
    _schedule(world.northwind)  # Tuesdays 09:00 New York = 14:00 UTC
    _schedule(world.globex, time=time(10), timezone="Europe/Berlin")  # 09:00 UTC
    html = as_maria.get("/partnerships/").content.decode()
    assert "Meetings in the next two weeks" in html
    order = [
        html.index("Tue 3 Mar, 10:00 CET"),  # Globex
        html.index("Tue 3 Mar, 09:00 EST"),  # Northwind
        html.index("Tue 10 Mar, 10:00 CET"),
        html.index("Tue 10 Mar, 09:00 EDT"),
    ]
    assert order == sorted(order)
    assert "Tue 17 Mar" not in html  # beyond two weeks
    assert f'href="/partnerships/{world.northwind.pk}/meetings/"' in html or (
        f'href="/partnerships/{world.northwind.pk}/"' in html
    )


@time_machine.travel(NOW, tick=False)
def test_the_viewer_s_own_time_is_shown_beside(world: World, as_maria: Client) -> None:
    _schedule(world.northwind)
    as_maria.cookies["tz"] = "Asia/Kolkata"
    html = as_maria.get("/partnerships/").content.decode()
    assert "Tue 3 Mar, 19:30 IST your time" in html


@time_machine.travel(NOW, tick=False)
def test_paused_ended_and_archived_partnerships_hold_no_meetings(world: World) -> None:
    _schedule(world.northwind)
    _schedule(world.globex)
    Partnership.objects.filter(pk=world.globex.pk).update(stage="paused")
    found = upcoming_meetings(world.actor(world.maria), workspace_id=world.acme.pk)
    assert {m.partnership.name for m in found} == {"Northwind"}
    Partnership.objects.filter(pk=world.northwind.pk).update(archived_at=NOW)
    assert upcoming_meetings(world.actor(world.maria), workspace_id=world.acme.pk) == []


@time_machine.travel(NOW, tick=False)
def test_pat_sees_only_his_partnerships_meetings(world: World, as_pat: Client) -> None:
    contoso = PartnershipFactory(workspace=world.initech, name="Contoso")
    PartnerAccessFactory(partnership=contoso, user=world.pat)
    _schedule(world.northwind)
    _schedule(contoso, weekday=3, time=time(16), timezone="Europe/London")
    _schedule(world.globex, weekday=2)
    html = as_pat.get("/").content.decode()
    assert "Meetings in the next two weeks" in html
    assert "Tue 3 Mar, 09:00 EST" in html  # Northwind
    assert "Thu 5 Mar, 16:00 GMT" in html  # Contoso
    assert "Wed 4 Mar" not in html  # Globex is not Pat's
    found = upcoming_meetings(world.actor(world.pat))
    assert {m.partnership.name for m in found} == {"Northwind", "Contoso"}
    assert len(found) == 4  # two weeks of two partnerships


@time_machine.travel(NOW, tick=False)
def test_at_most_ten(world: World) -> None:
    for n in range(6):
        partnership = PartnershipFactory(workspace=world.acme, name=f"Partner {n}")
        _schedule(partnership)
    found = upcoming_meetings(world.actor(world.maria), workspace_id=world.acme.pk)
    assert len(found) == 10


def _portfolio_queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/partnerships/")
    assert response.status_code == 200
    return len(queries)


@time_machine.travel(NOW, tick=False)
def test_the_portfolio_costs_the_same_with_10_or_60_partnerships(
    world: World, as_maria: Client
) -> None:
    zones = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC"]
    for n in range(8):
        _schedule(PartnershipFactory(workspace=world.acme), timezone=zones[n % 4])
    as_maria.get("/partnerships/")  # warm the session
    ten = _portfolio_queries(as_maria)
    for n in range(50):
        partnership = PartnershipFactory(workspace=world.acme)
        if n % 2:
            _schedule(partnership, timezone=zones[n % 4], weekday=n % 7)
    assert Partnership.objects.filter(workspace=world.acme).count() == 60
    as_maria.get("/partnerships/")  # the new partnerships' next meetings are stored
    assert _portfolio_queries(as_maria) == ten


def _every_meeting(world: World, now: datetime, days: int = 14) -> list[tuple[datetime, int]]:
    """The soonest ten the slow way: every occurrence of every partnership (meetings at the
    same time in the order of the partnerships' ids)."""
    end = now + timedelta(days=days)
    found = [
        (occurrence.start, partnership.pk)
        for partnership in Partnership.objects.filter(workspace=world.acme)
        for occurrence in occurrences(partnership, schedule_of(partnership), now, end)
    ]
    return sorted(found)[:10]


def test_the_stored_next_meetings_give_the_soonest_ten_at_any_moment(world: World) -> None:
    """Thirty partnerships of every cadence and zone: at moments an hour, a day and weeks
    apart (meetings starting in between), before an earlier moment, and after a schedule
    change, the home's ten are the ten soonest of all."""
    zones = ["America/New_York", "Europe/Berlin", "Asia/Kolkata", "UTC", "Pacific/Auckland"]
    cadences = ["weekly", "biweekly", "monthly", "quarterly"]
    with time_machine.travel(NOW, tick=False):
        for n in range(30):
            partnership = PartnershipFactory(
                workspace=world.acme, name=f"P{n:02}", cadence=cadences[n % 4]
            )
            _schedule(partnership, timezone=zones[n % 5], weekday=n % 7, time=time(n % 24))
    maria = world.actor(world.maria)
    moments = [NOW + timedelta(hours=h) for h in (0, 1, 5, 30, 24 * 9, 24 * 40)]
    for moment in [*moments, NOW]:  # and back to an earlier moment
        found = upcoming_meetings(maria, workspace_id=world.acme.pk, now=moment)
        expected = _every_meeting(world, moment)
        assert [(m.occurrence.start, m.partnership.pk) for m in found] == expected
        assert len(found) == 10
    # A schedule changed (through its service, as the page and the API do) moves the
    # partnership's next meeting at once.
    schedule = Schedule.objects.select_related("partnership").get(partnership__name="P29")
    with time_machine.travel(NOW, tick=False):
        schedule_save(
            actor=maria,
            partnership=schedule.partnership,
            version=schedule.version,
            weekday=NOW.weekday(),
            time=time(23, 30),
            timezone="UTC",
        )
        found = upcoming_meetings(maria, workspace_id=world.acme.pk, now=NOW)
    tonight = datetime(2026, 3, 2, 23, 30, tzinfo=UTC)
    assert ("P29", tonight) in [(m.partnership.name, m.occurrence.start) for m in found]
    assert [(m.occurrence.start, m.partnership.pk) for m in found] == _every_meeting(world, NOW)


def test_the_worker_computes_the_next_meetings_every_hour(world: World) -> None:
    with time_machine.travel(NOW, tick=False):
        for n in range(5):
            _schedule(PartnershipFactory(workspace=world.acme, name=f"Hourly {n}"))
        result = refresh_next_meetings.call("2026-03-02T12:00:00+00:00")
        assert result.startswith("2026-03-02T12:00:00+00:00: ") and "next meetings" in result
        meeting = Partnership.objects.filter(workspace=world.acme).select_related("schedule")
        assert bring_up_to_date(meeting.exclude(stage__in=NOT_MEETING), NOW) == 0
    assert NextMeeting.objects.filter(partnership__name="Hourly 0").exists()
