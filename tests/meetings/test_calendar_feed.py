"""Each person's calendar feed: their meetings at the right time in every time zone, their
due dates as all-day events, nothing they could not see in Tandem, and an address they can
reset or turn off."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import time_machine
from django.test import Client
from icalendar import Calendar

from tandem.core.access import Visibility
from tandem.meetings.models import CalendarFeed, Schedule
from tandem.partners.models import Partnership
from tandem.traction.models import Milestone, Rock, Todo
from tests.conftest import World, client_for

NOW = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def _address(client: Client) -> str:
    response = client.post("/settings/calendar/")
    assert response.status_code == 200
    match = re.search(r"http://testserver(/calendar/[\w-]+\.ics)", response.content.decode())
    assert match, "the new address is shown once"
    return match.group(1)


def _feed(path: str) -> Calendar:
    response = Client().get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    return Calendar.from_ical(response.content)


def _events(cal: Calendar) -> list[Any]:
    return list(cal.walk("VEVENT"))


def _meetings(cal: Calendar) -> list[Any]:
    return [e for e in _events(cal) if str(e["uid"]).startswith("meeting-")]


def _schedule(partnership: Partnership, **values: Any) -> Schedule:
    defaults = {
        "weekday": 1,
        "time": time(9, 0),
        "timezone": "America/New_York",
        "starts_on": date(2026, 1, 1),
    }
    return Schedule.objects.create(partnership=partnership, **{**defaults, **values})


@time_machine.travel(NOW, tick=False)
def test_maria_s_feed_keeps_new_york_time_across_the_dst_change(
    world: World, as_maria: Client
) -> None:
    _schedule(world.northwind)
    cal = _feed(_address(as_maria))
    meetings = {e.start.date(): e for e in _meetings(cal) if "Northwind" in str(e["summary"])}
    before, after = meetings[date(2026, 3, 3)], meetings[date(2026, 3, 10)]
    assert before.start.astimezone(UTC) == datetime(2026, 3, 3, 14, tzinfo=UTC)
    assert after.start.astimezone(UTC) == datetime(2026, 3, 10, 13, tzinfo=UTC)
    assert after.end - after.start == timedelta(minutes=85)
    assert before["dtstart"].params["TZID"] == "America/New_York"
    assert str(before["summary"]) == "Weekly pulse · Northwind"
    assert str(before["uid"]) == f"meeting-{world.northwind.pk}-20260303-pulse@tandem"
    assert f"/partnerships/{world.northwind.pk}/" in str(before["url"])
    # Globex runs on the defaults (UTC): its times need no VTIMEZONE.
    assert [tz.tz_name for tz in cal.timezones] == ["America/New_York"]
    assert str(meetings[date(2026, 3, 31)]["summary"]) == "Quarterly meeting · Northwind"
    # 30 days back, 180 days ahead.
    assert min(meetings) == date(2026, 2, 3)
    assert max(meetings) == date(2026, 8, 25)


@time_machine.travel(NOW, tick=False)
def test_due_dates_are_all_day_events(world: World, as_maria: Client) -> None:
    Todo.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Call their CFO",
        owner=world.maria, due_on=date(2026, 3, 6), visibility=Visibility.INTERNAL,
    )  # fmt: skip
    Todo.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Already done",
        owner=world.maria, due_on=date(2026, 3, 6), done_at=NOW,
    )  # fmt: skip
    rock = Rock.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Sign the reseller deal",
        owner=world.maria, year=2026, quarter=1, due_on=date(2026, 3, 31),
    )  # fmt: skip
    Milestone.objects.create(rock=rock, title="Terms agreed", due_on=date(2026, 3, 15))
    cal = _feed(_address(as_maria))
    due = {str(e["summary"]): e for e in _events(cal) if not str(e["uid"]).startswith("meeting-")}
    todo = due["To-do: Call their CFO · Northwind"]
    assert todo.start == date(2026, 3, 6)
    assert todo.end == date(2026, 3, 7)
    assert str(todo["transp"]) == "TRANSPARENT"
    assert due["Rock due: Sign the reseller deal · Northwind"].start == date(2026, 3, 31)
    assert "Milestone: Terms agreed (Sign the reseller deal) · Northwind" in due
    assert not any("Already done" in summary for summary in due)


@time_machine.travel(NOW, tick=False)
def test_pat_s_feed_has_no_internal_items_and_no_other_partnership(
    world: World, as_pat: Client
) -> None:
    _schedule(world.northwind)
    _schedule(world.globex, timezone="Europe/Berlin")
    Todo.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Shared with Pat",
        owner=world.pat, due_on=date(2026, 3, 9),
    )  # fmt: skip
    # Pat owns it, but it is internal (made by hand, as no page would): he never sees it.
    Todo.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Internal for Pat",
        owner=world.pat, due_on=date(2026, 3, 9), visibility=Visibility.INTERNAL,
    )  # fmt: skip
    cal = _feed(_address(as_pat))
    summaries = [str(e["summary"]) for e in _events(cal)]
    assert "To-do: Shared with Pat · Northwind" in summaries
    assert not any("Internal for Pat" in s for s in summaries)
    assert not any("Globex" in s for s in summaries)
    assert any(s == "Weekly pulse · Northwind" for s in summaries)
    assert [tz.tz_name for tz in cal.timezones] == ["America/New_York"]


@time_machine.travel(NOW, tick=False)
def test_members_get_the_meetings_they_run_or_sponsor(world: World, as_lena: Client) -> None:
    _schedule(world.northwind)
    cal = _feed(_address(as_lena))
    assert _meetings(cal) == []  # Maria runs Northwind and Globex
    world.northwind.sponsor = world.lena
    world.northwind.save()
    cal = _feed(_address(as_lena))
    assert {str(e["summary"]).split(" · ")[1] for e in _meetings(cal)} == {"Northwind"}


def test_reset_gives_a_new_address_and_the_old_one_stops(world: World, as_maria: Client) -> None:
    old = _address(as_maria)
    new = _address(as_maria)
    assert old != new
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert CalendarFeed.objects.filter(user=world.maria).count() == 1


def test_turning_it_off_makes_the_address_404(world: World, as_maria: Client) -> None:
    address = _address(as_maria)
    response = as_maria.post("/settings/calendar/delete/")
    assert response.status_code == 302
    assert Client().get(address).status_code == 404
    assert "Create my calendar address" in as_maria.get("/settings/calendar/").content.decode()


def test_unknown_addresses_answer_404(world: World) -> None:
    client = Client()
    assert client.get("/calendar/cal_nope.ics").status_code == 404
    assert client.get("/calendar/" + "x" * 300 + ".ics").status_code == 404


def test_the_address_is_shown_only_once(world: World, as_maria: Client) -> None:
    address = _address(as_maria)
    assert address not in as_maria.get("/settings/calendar/").content.decode()
    assert address.split("/")[-1].removesuffix(".ics") not in str(
        list(CalendarFeed.objects.values_list("token_digest", flat=True))
    )


def test_last_fetched_is_noted_at_most_once_a_minute(world: World, as_maria: Client) -> None:
    address = _address(as_maria)
    with time_machine.travel(NOW, tick=False):
        Client().get(address)
    assert CalendarFeed.objects.get().last_used_at == NOW
    with time_machine.travel(NOW + timedelta(seconds=30), tick=False):
        Client().get(address)
    assert CalendarFeed.objects.get().last_used_at == NOW
    with time_machine.travel(NOW + timedelta(minutes=2), tick=False):
        Client().get(address)
    assert CalendarFeed.objects.get().last_used_at == NOW + timedelta(minutes=2)


def test_a_closed_account_s_feed_answers_404(world: World, as_maria: Client) -> None:
    address = _address(as_maria)
    world.maria.is_active = False
    world.maria.save()
    assert Client().get(address).status_code == 404


@time_machine.travel(NOW, tick=False)
def test_the_feed_costs_the_same_few_queries_however_much_it_holds(
    world: World, as_maria: Client, django_assert_num_queries: Any
) -> None:
    address = _address(as_maria)
    Client().get(address)  # notes the first fetch; later ones within the minute do not

    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert Client().get(address).status_code == 200
        return len(queries)

    few = count()
    for n in range(15):
        partnership = Partnership.objects.create(
            workspace=world.acme, name=f"Partner {n}", stage="active", owner=world.maria
        )
        _schedule(partnership, timezone=["Europe/Berlin", "Asia/Kolkata"][n % 2])
        Todo.objects.create(
            workspace=world.acme, partnership=partnership, title=f"To-do {n}",
            owner=world.maria, due_on=date(2026, 3, 10),
        )  # fmt: skip
        rock = Rock.objects.create(
            workspace=world.acme, partnership=partnership, title=f"Rock {n}",
            owner=world.maria, year=2026, quarter=1, due_on=date(2026, 3, 31),
        )  # fmt: skip
        Milestone.objects.create(rock=rock, title=f"Step {n}", due_on=date(2026, 3, 20))
    assert count() == few
    assert few <= 8


def test_the_settings_page_needs_a_sign_in(world: World) -> None:
    response = client_for(None).get("/settings/calendar/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
