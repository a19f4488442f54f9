"""The communication plan: entries, their planned touches, and whether they happened."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.clock import local_today
from tandem.core.errors import Conflict, InvalidInput
from tandem.meetings.models import Schedule
from tandem.relationship.communication import cadence, selectors, services
from tandem.relationship.communication.models import PlanEntry, Touch
from tests.conftest import World, client_for

TODAY = date(2026, 11, 24)  # a Tuesday


def _url(world: World, rest: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/communication/{rest}"


def _entry(world: World, **values) -> PlanEntry:
    defaults = {
        "topic": "Product updates",
        "channel": "email",
        "cadence": "weekly",
        "audience": "Partner sales team",
        "starts_on": TODAY - timedelta(days=28),
    }
    defaults.update(values)
    return services.entry_create(
        actor=world.actor(world.maria), partnership=world.northwind, **defaults
    )


@pytest.fixture
def today():
    app = "tandem.relationship.communication"
    with contextlib.ExitStack() as stack:
        for module in ("services", "views", "api", "selectors"):
            stack.enter_context(mock.patch(f"{app}.{module}.local_today", return_value=TODAY))
        yield TODAY


def test_cadences_plan_their_touches() -> None:
    start = date(2026, 1, 31)
    assert cadence.last_planned(start, "weekly", date(2026, 2, 20), 3) == [
        date(2026, 1, 31), date(2026, 2, 7), date(2026, 2, 14)
    ]  # fmt: skip
    assert cadence.last_planned(start, "biweekly", date(2026, 3, 1), 5) == [
        date(2026, 1, 31), date(2026, 2, 14), date(2026, 2, 28)
    ]  # fmt: skip
    # The 31st falls on a short month's last day, and comes back after it.
    assert cadence.last_planned(start, "monthly", date(2026, 3, 31), 5) == [
        date(2026, 1, 31), date(2026, 2, 28), date(2026, 3, 31)
    ]  # fmt: skip
    assert cadence.next_planned(start, "monthly", date(2026, 3, 15)) == date(2026, 3, 31)
    assert cadence.next_planned(start, "quarterly", date(2026, 1, 1)) == start
    assert cadence.next_planned(start, "quarterly", start) == date(2026, 4, 30)
    assert cadence.is_planned(start, "biweekly", date(2026, 2, 14))
    assert not cadence.is_planned(start, "biweekly", date(2026, 2, 7))
    assert cadence.last_planned(start, "weekly", date(2026, 1, 1), 5) == []
    days = list(cadence.iter_planned(start, "quarterly", date(2027, 1, 31)))
    assert days == [date(2026, 1, 31), date(2026, 4, 30), date(2026, 7, 31), date(2026, 10, 31),
                    date(2027, 1, 31)]  # fmt: skip
    assert cadence.planned_between(start, "monthly", date(2026, 3, 1), date(2026, 5, 30)) == [
        date(2026, 3, 31), date(2026, 4, 30)
    ]  # fmt: skip


def test_today_is_on_the_partnerships_clock(world: World) -> None:
    Schedule.objects.create(partnership=world.northwind, timezone="Pacific/Auckland")
    late_evening_utc = datetime(2026, 11, 24, 22, 0, tzinfo=UTC)
    with mock.patch("django.utils.timezone.now", return_value=late_evening_utc):
        assert local_today(world.northwind) == date(2026, 11, 25)
        assert local_today(world.globex) == date(2026, 11, 24)


def test_an_entry_is_added_and_its_touches_marked(world: World, as_maria, today) -> None:
    response = as_maria.post(
        _url(world, "new/"),
        {
            "topic": "Roadmap webinar",
            "channel": "webinar",
            "cadence": "monthly",
            "audience": "Partner's clients",
            "owner": world.maria.pk,
            "starts_on": "2026-09-10",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302, response.content.decode()
    entry = PlanEntry.objects.get(topic="Roadmap webinar")
    page = as_maria.get(_url(world)).content.decode()
    assert "Roadmap webinar" in page and "for Partner&#x27;s clients" in page
    assert "next Thu 10 Dec" in page
    assert page.count("to mark") >= 3  # 10 Sep, 10 Oct, 10 Nov
    for day, happened in (("2026-10-10", "1"), ("2026-11-10", "0")):
        response = as_maria.post(
            _url(world, f"{entry.pk}/touch/"), {"planned_on": day, "happened": happened}
        )
        assert response.status_code == 302
    page = as_maria.get(_url(world)).content.decode()
    assert "✓ happened" in page and "✗ missed" in page
    # 90 days back from 24 Nov: 10 Sep (not marked), 10 Oct (happened), 10 Nov (missed).
    assert "33% happened in the last 90 days (1 of 3)" in page
    assert "1 to mark" in page


def test_only_planned_days_that_have_come_are_marked(world: World, as_maria, today) -> None:
    entry = _entry(world, cadence="biweekly")
    off_day = as_maria.post(
        _url(world, f"{entry.pk}/touch/"), {"planned_on": "2026-11-03", "happened": "1"}
    )
    assert off_day.status_code == 400
    assert "not one of this entry" in off_day.content.decode()
    ahead = as_maria.post(
        _url(world, f"{entry.pk}/touch/"), {"planned_on": "2026-12-08", "happened": "1"}
    )
    assert ahead.status_code == 400 and "still ahead" in ahead.content.decode()
    garbage = as_maria.post(_url(world, f"{entry.pk}/touch/"), {"planned_on": "soon"})
    assert garbage.status_code == 400
    assert not Touch.objects.exists()
    maria = world.actor(world.maria)
    services.touch_mark(entry, actor=maria, planned_on=TODAY, happened=False)
    # Changing a mark means saying which one you are replacing: none is overwritten unread.
    with pytest.raises(InvalidInput) as refused:
        services.touch_mark(entry, actor=maria, planned_on=TODAY, happened=True)
    assert "already marked missed" in str(refused.value.errors["seen"])
    services.touch_mark(entry, actor=maria, planned_on=TODAY, happened=False, note="Again")
    services.touch_mark(
        entry, actor=maria, planned_on=TODAY, happened=True, note="Late", seen="missed"
    )
    touch = Touch.objects.get()
    assert touch.happened and touch.note == "Late"


def test_the_partner_sees_shared_entries_and_marks_them(world: World, as_pat, today) -> None:
    shared = _entry(world, topic="Joint pipeline call", cadence="weekly")
    _entry(world, topic="Internal: partner health review", visibility=Visibility.INTERNAL)
    page = as_pat.get(_url(world)).content.decode()
    assert "Joint pipeline call" in page
    assert "partner health review" not in page
    assert 'name="visibility"' not in page
    response = as_pat.post(
        _url(world, f"{shared.pk}/touch/"), {"planned_on": TODAY.isoformat(), "happened": "1"}
    )
    assert response.status_code == 302
    assert Touch.objects.get().marked_by == world.pat
    response = as_pat.post(
        _url(world, "new/"),
        {"topic": "Client newsletter feature", "channel": "newsletter", "cadence": "quarterly"},
    )
    assert response.status_code == 302
    added = PlanEntry.objects.get(topic="Client newsletter feature")
    assert added.visibility == Visibility.SHARED and added.starts_on == TODAY
    with pytest.raises(InvalidInput):
        services.entry_create(
            actor=world.actor(world.pat),
            partnership=world.northwind,
            topic="Secret",
            visibility=Visibility.INTERNAL,
        )


def test_internal_entries_are_not_there_for_the_partner(world: World, as_pat, today) -> None:
    internal = _entry(world, visibility=Visibility.INTERNAL)
    for url in (f"{internal.pk}/edit/", f"{internal.pk}/delete/"):
        assert as_pat.get(_url(world, url)).status_code == 404
    response = as_pat.post(
        _url(world, f"{internal.pk}/touch/"), {"planned_on": TODAY.isoformat(), "happened": "1"}
    )
    assert response.status_code == 404
    assert client_for(world.lee).get(_url(world)).status_code == 404
    assert client_for(world.olga).get(_url(world)).status_code == 404
    health = selectors.plan_health(world.actor(world.pat), world.northwind, today=TODAY)
    assert health.entries == 0 and health.planned == 0


def test_health_counts_the_last_90_days(world: World, today, django_assert_num_queries) -> None:
    maria = world.actor(world.maria)
    weekly = _entry(world, starts_on=TODAY - timedelta(days=203))
    _entry(world, cadence="quarterly", starts_on=TODAY + timedelta(days=3))  # nothing due yet
    for days_ago in (0, 7, 14):
        services.touch_mark(
            weekly, actor=maria, planned_on=TODAY - timedelta(days=days_ago), happened=True
        )
    services.touch_mark(weekly, actor=maria, planned_on=TODAY - timedelta(days=21), happened=False)
    # Older than the window: not counted either way.
    services.touch_mark(weekly, actor=maria, planned_on=TODAY - timedelta(days=196), happened=True)
    with django_assert_num_queries(2):  # entries, then their touches
        health = selectors.plan_health(maria, world.northwind, today=TODAY)
    # 90 days back from a Tuesday: 13 weekly touches (today and 12 before).
    assert (health.planned, health.happened, health.missed, health.overdue) == (13, 3, 1, 9)
    assert health.percent == 23 and health.entries == 2


def test_a_stale_edit_is_refused(world: World, as_maria, today) -> None:
    entry = _entry(world)
    services.entry_update(entry, actor=world.actor(world.lena), version=1, audience="All sales")
    response = as_maria.post(
        _url(world, f"{entry.pk}/edit/"),
        {
            "version": 1,
            "topic": "Product news",
            "channel": "email",
            "cadence": "weekly",
            "audience": "Channel team",
            "visibility": "shared",
        },
    )
    assert response.status_code == 400
    assert "Someone else saved a change" in response.content.decode()
    entry.refresh_from_db()
    assert entry.audience == "All sales" and entry.topic == "Product updates"
    with pytest.raises(Conflict):
        services.entry_delete(entry, actor=world.actor(world.maria), version=1)
    response = as_maria.post(_url(world, f"{entry.pk}/delete/"), {"version": 2})
    assert response.status_code == 302 and not PlanEntry.objects.exists()


def test_the_empty_plan_says_what_to_do(world: World, as_maria) -> None:
    page = as_maria.get(_url(world)).content.decode()
    assert "No communication planned yet" in page and "Add to the plan" in page


def test_the_page_costs_the_same_with_a_long_plan(world: World, today) -> None:
    maria = world.actor(world.maria)

    def add(count: int) -> None:
        for number in range(count):
            entry = _entry(
                world,
                topic=f"Touch {number}",
                cadence=["weekly", "biweekly", "monthly", "quarterly"][number % 4],
                owner=world.maria if number % 3 == 0 else world.pat,
                visibility=Visibility.INTERNAL if number % 3 == 0 else Visibility.SHARED,
                starts_on=TODAY - timedelta(days=400),
            )
            for day in cadence.last_planned(entry.starts_on, entry.cadence, TODAY, 3):
                services.touch_mark(
                    entry, actor=maria, planned_on=day, happened=bool(number % 2),
                    note="ok" if number % 2 else "",
                )  # fmt: skip

    def cost(user) -> int:
        client = client_for(user)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(world)).status_code == 200
        return len(queries)

    add(3)
    small, small_pat = cost(world.maria), cost(world.pat)
    add(25)
    assert cost(world.maria) == small
    assert cost(world.pat) == small_pat


def test_the_plan_through_the_api(world: World, today) -> None:
    api = client_for(None)
    pat = {"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"}
    maria = {"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"}
    base = f"/api/partnerships/{world.northwind.pk}/communication"
    created = api.post(
        base,
        data={"topic": "Pipeline call", "channel": "call", "cadence": "weekly",
              "starts_on": "2026-11-03", "owner_id": world.pat.pk},
        content_type="application/json", headers=pat,
    )  # fmt: skip
    assert created.status_code == 201, created.content
    entry = created.json()
    assert entry["visibility"] == "shared" and entry["owner"]["id"] == world.pat.pk
    secret = api.post(
        base, data={"topic": "Internal review", "visibility": "internal"},
        content_type="application/json", headers=maria,
    ).json()  # fmt: skip
    listed = api.get(base, headers=pat).json()
    assert [row["topic"] for row in listed["items"]] == ["Pipeline call"]
    row = listed["items"][0]
    assert [p["planned_on"] for p in row["recent"]] == [
        "2026-11-03", "2026-11-10", "2026-11-17", "2026-11-24"
    ]  # fmt: skip
    assert row["overdue"] == 4 and row["next_due"] == "2026-12-01"
    assert api.get(f"{base}/{secret['id']}", headers=pat).status_code == 404
    one = f"{base}/{entry['id']}"
    marked = api.post(
        f"{one}/touches", data={"planned_on": "2026-11-10", "happened": True, "note": "Good"},
        content_type="application/json", headers=pat,
    )  # fmt: skip
    assert marked.status_code == 201 and marked.json()["marked_by"]["id"] == world.pat.pk
    wrong = api.post(
        f"{one}/touches", data={"planned_on": "2026-11-11", "happened": True},
        content_type="application/json", headers=pat,
    )  # fmt: skip
    assert wrong.status_code == 400
    assert api.get(f"{one}/touches", headers=pat).json()["count"] == 1
    health = api.get(f"{base}/health", headers=maria).json()
    assert health == {
        "entries": 2, "planned": 5, "happened": 1, "missed": 0, "overdue": 4, "percent": 20
    }  # fmt: skip
    stale = api.patch(
        one, data={"version": 2, "audience": "x"}, content_type="application/json", headers=pat
    )
    assert stale.status_code == 409
    emptied = api.patch(
        one, data={"version": 1, "topic": None}, content_type="application/json", headers=pat
    )
    assert emptied.status_code == 400
    changed = api.patch(
        one, data={"version": 1, "cadence": "monthly"}, content_type="application/json",
        headers=pat,
    )  # fmt: skip
    assert changed.status_code == 200 and changed.json()["version"] == 2
    assert api.delete(f"{one}?version=2", headers=pat).status_code == 204
    assert not Touch.objects.exists()


def test_a_touch_marked_meanwhile_is_not_overwritten_from_a_stale_page(
    world: World, as_pat
) -> None:
    entry = _entry(world)
    day = entry.starts_on.isoformat()
    services.touch_mark(entry, actor=world.actor(world.maria), planned_on=entry.starts_on,
                        happened=False)  # fmt: skip
    stale = as_pat.post(
        _url(world, f"{entry.pk}/touch/"), {"planned_on": day, "happened": "1", "seen": "none"}
    )
    assert stale.status_code == 400 and "meanwhile" in stale.content.decode()
    assert entry.touches.get().happened is False
    fresh = as_pat.post(
        _url(world, f"{entry.pk}/touch/"), {"planned_on": day, "happened": "1", "seen": "missed"}
    )
    assert fresh.status_code == 302 and entry.touches.get().happened is True
