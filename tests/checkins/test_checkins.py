"""Check-ins and events: planned and held, the time since the last one of each kind, and a
warning when the monthly or quarterly rhythm lapses."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.relationship.checkins import selectors, services
from tandem.relationship.checkins.models import CheckIn
from tests.conftest import World, client_for


def _url(world: World, tail: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/checkins/{tail}"


def _checkin(world: World, days: int, kind: str = "monthly", **values) -> CheckIn:  # type: ignore[no-untyped-def]
    values.setdefault("title", f"{kind} {days}")
    return services.checkin_create(
        actor=world.actor(world.maria),
        partnership=world.northwind,
        kind=kind,
        held_on=timezone.localdate() + timedelta(days=days),
        **values,
    )


def test_a_future_date_is_planned_and_a_past_one_held(world: World, as_maria) -> None:
    _checkin(world, 10, title="December check-in")
    _checkin(world, -3, title="November check-in", participants="Maria, Pat")
    page = as_maria.get(_url(world)).content.decode()
    planned = page.split('id="upcoming"')[1].split("</section>")[0]
    held = page.split('id="held"')[1].split("</section>")[0]
    assert "December check-in" in planned and "November check-in" not in planned
    assert "November check-in" in held and "Maria, Pat" in held
    assert "3 days ago" in page


def test_no_monthly_check_in_for_35_days_warns(world: World, as_maria) -> None:
    page = as_maria.get(_url(world)).content.decode()
    assert "No monthly check-in held yet." in page
    assert "No quarterly check-in held yet." in page
    _checkin(world, -40)
    _checkin(world, -20, kind="quarterly")
    page = as_maria.get(_url(world)).content.decode()
    assert "The last monthly check-in was 40 days ago." in page
    assert "quarterly check-in held yet" not in page
    _checkin(world, -5)
    health = selectors.checkin_health(world.actor(world.maria), world.northwind)
    assert not health.warning
    assert health.monthly.days_since == 5 and health.days_since_last == 5
    assert not health.event.lapsed  # events keep no rhythm


def test_a_planned_check_in_does_not_count_as_held(world: World) -> None:
    _checkin(world, 3)
    health = selectors.checkin_health(world.actor(world.maria), world.northwind)
    assert health.monthly.lapsed and health.monthly.next_planned is not None


def test_pat_sees_shared_ones_and_adds_shared_ones(world: World, as_pat) -> None:
    _checkin(world, -4, kind="event", title="Dinner with their CEO", visibility=Visibility.INTERNAL)
    _checkin(world, -6, title="November check-in")
    page = as_pat.get(_url(world)).content.decode()
    assert "November check-in" in page and "Dinner with their CEO" not in page
    assert 'name="visibility"' not in page
    response = as_pat.post(
        _url(world, "new/"),
        {"kind": "event", "title": "Retail summit, Oslo", "held_on": "2026-12-02"},
    )
    assert response.status_code == 302
    added = CheckIn.objects.get(title="Retail summit, Oslo")
    assert added.visibility == Visibility.SHARED and added.created_by == world.pat
    response = as_pat.post(
        _url(world, f"{added.pk}/edit/"),
        {"version": added.version, "kind": "event", "title": "Retail summit, Oslo (booth 12)",
         "held_on": "2026-12-02", "participants": "Pat, Maria"},
    )  # fmt: skip
    assert response.status_code == 302
    assert CheckIn.objects.get(pk=added.pk).participants == "Pat, Maria"
    assert as_pat.post(_url(world, f"{added.pk}/delete/")).status_code == 403
    with pytest.raises(InvalidInput):
        services.checkin_create(
            actor=world.actor(world.pat), partnership=world.northwind, title="Secret",
            held_on=timezone.localdate(), visibility=Visibility.INTERNAL,
        )  # fmt: skip


def test_an_edit_from_a_stale_version_is_refused(world: World, as_maria) -> None:
    checkin = _checkin(world, -2, title="Check-in")
    services.checkin_update(
        checkin, actor=world.actor(world.pat), version=checkin.version, notes="Pat's notes"
    )
    response = as_maria.post(
        _url(world, f"{checkin.pk}/edit/"),
        {"version": 1, "kind": "monthly", "title": "Check-in", "held_on": str(checkin.held_on),
         "notes": "Maria's notes", "visibility": "shared"},
    )  # fmt: skip
    assert response.status_code == 400
    assert CheckIn.objects.get(pk=checkin.pk).notes == "Pat's notes"


def test_health_is_one_query_for_many_partnerships(world: World) -> None:
    _checkin(world, -10)
    actor = world.actor(world.maria)
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.checkin_health_for(actor, [world.northwind.pk, world.globex.pk])
    assert len(queries) == 1
    assert figures[world.northwind.pk].monthly.days_since == 10
    assert figures[world.globex.pk].monthly.last_held is None


def test_the_page_costs_the_same_with_few_or_many(world: World, as_maria) -> None:
    def add(count: int) -> None:
        today = timezone.localdate()
        CheckIn.objects.bulk_create(
            CheckIn(
                workspace=world.acme, partnership=world.northwind, title=f"Check-in {n}",
                kind=("monthly", "quarterly", "event")[n % 3],
                held_on=today + timedelta(days=n * 7 - 100), created_by=world.maria,
            )
            for n in range(count)
        )  # fmt: skip

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(_url(world)).status_code == 200
        return len(queries)

    add(3)
    small = cost()
    add(40)
    assert cost() == small


def test_check_ins_through_the_api(world: World) -> None:
    _token, secret = token_create(user=world.pat, name="tools")
    pat = client_for(None)
    pat.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    base = f"/api/partnerships/{world.northwind.pk}/checkins"
    held_on = str(timezone.localdate() - timedelta(days=50))
    created = pat.post(
        base, {"title": "Q4 review", "kind": "quarterly", "held_on": held_on},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201 and created.json()["visibility"] == "shared"
    summary = pat.get(f"{base}/summary").json()
    quarterly = next(k for k in summary["kinds"] if k["kind"] == "quarterly")
    assert quarterly["days_since"] == 50 and not quarterly["lapsed"]
    assert "No monthly check-in held yet." in summary["warnings"]
    item = created.json()
    patched = pat.patch(
        f"{base}/{item['id']}", {"version": 1, "notes": "Good quarter"},
        content_type="application/json",
    )  # fmt: skip
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = pat.patch(
        f"{base}/{item['id']}", {"version": 1, "notes": "Overwrite"},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409
    assert pat.delete(f"{base}/{item['id']}?version=2").status_code == 403
