"""The focus page: active partnerships by horizon, hours against capacity, the limit."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Membership
from tandem.accounts.services import token_create
from tandem.core.services import touch
from tandem.partners.models import Horizon, Partnership
from tandem.relationship.people.selectors import focus_for
from tests.conftest import World, client_for
from tests.factories import PartnershipFactory


def test_focus_groups_by_horizon_and_adds_up_hours(world: World, as_maria) -> None:
    Partnership.objects.filter(pk=world.northwind.pk).update(
        horizon=Horizon.STRATEGIC, hours_per_week=Decimal("6")
    )
    Partnership.objects.filter(pk=world.globex.pk).update(hours_per_week=Decimal("3.5"))
    PartnershipFactory(workspace=world.acme, name="Paused Co", owner=world.maria, stage="paused")
    focus = focus_for(world.acme.pk)
    assert [p.name for p in focus.strategic] == ["Northwind"]
    assert [p.name for p in focus.tactical] == ["Globex"]
    maria = next(load for load in focus.owners if load.user == world.maria)
    assert maria.committed == Decimal("9.5") and not maria.over
    assert focus.warnings == []
    page = as_maria.get("/focus/").content.decode()
    assert "2 of 8 active partnerships" in page
    assert "9.5" in page and "Paused Co" not in page
    # Members see the figures; only admins get the forms.
    assert 'name="capacity_hours"' not in page


def test_admin_lowers_capacity_and_limit_and_the_warnings_appear(world: World, as_lena) -> None:
    membership = world.maria_membership
    response = as_lena.post(
        f"/focus/capacity/{membership.pk}/", {"version": 1, "capacity_hours": "3"}
    )
    assert response.status_code == 302
    page = as_lena.get("/focus/").content.decode()
    assert "Maria Manager is committed to 4 h a week across 2 partnerships" in page
    assert "over their capacity of 3 h" in page
    response = as_lena.post("/focus/limit/", {"version": 1, "limit": "1"})
    assert response.status_code == 302
    page = as_lena.get("/focus/").content.decode()
    assert "2 active partnerships, past your limit of 1" in page
    # A stale version and a bad number: a clear message, nothing changed.
    stale = as_lena.post("/focus/limit/", {"version": 1, "limit": "5"})
    assert stale.status_code == 400 and "Someone else changed it" in stale.content.decode()
    bad = as_lena.post(f"/focus/capacity/{membership.pk}/", {"version": 2, "capacity_hours": "-4"})
    assert bad.status_code == 400
    assert "Capacity: Ensure this value is greater than or equal to 0" in bad.content.decode()
    membership.refresh_from_db()
    assert membership.capacity_hours == Decimal("3")
    world.acme.refresh_from_db()
    assert world.acme.active_partnership_limit == 1


def test_only_admins_change_the_focus_settings(world: World, as_maria) -> None:
    assert as_maria.post("/focus/limit/", {"version": 1, "limit": "1"}).status_code == 403
    world.acme.refresh_from_db()
    assert world.acme.active_partnership_limit == 8


def test_focus_query_count_is_flat(world: World, as_maria) -> None:
    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get("/focus/").status_code == 200
        return len(queries)

    few = cost()
    for n in range(20):
        PartnershipFactory(
            workspace=world.acme,
            name=f"P{n}",
            owner=world.lena if n % 2 else world.maria,
            horizon=Horizon.STRATEGIC if n % 3 else Horizon.TACTICAL,
        )
    touch(world.acme.pk, None)  # so the page is built again, not served from the cache
    assert cost() == few


def test_focus_through_the_api(world: World) -> None:
    Membership.objects.filter(pk=world.maria_membership.pk).update(capacity_hours=Decimal("1"))
    secret = token_create(user=world.maria, name="tools")[1]
    response = client_for(None).get("/api/focus", headers={"Authorization": f"Bearer {secret}"})
    assert response.status_code == 200
    body = response.json()
    assert body["active_count"] == 2 and body["active_partnership_limit"] == 8
    maria = next(p for p in body["people"] if p["user"]["name"] == "Maria Manager")
    assert maria["over_capacity"] is True
    assert any("Maria Manager" in w for w in body["warnings"])
    pat = token_create(user=world.pat, name="tools")[1]
    assert (
        client_for(None).get("/api/focus", headers={"Authorization": f"Bearer {pat}"}).status_code
        == 403
    )


def test_an_admin_sets_capacity_level_and_limit_through_the_api(world: World) -> None:
    api = client_for(None)
    lena = {"Authorization": f"Bearer {token_create(user=world.lena, name='tools')[1]}"}
    maria = {"Authorization": f"Bearer {token_create(user=world.maria, name='tools')[1]}"}
    member = f"/api/workspaces/{world.acme.pk}/members/{world.maria_membership.pk}/capacity"

    def patch(url: str, body: dict[str, object], headers: dict[str, str]) -> Any:
        return api.patch(url, data=body, content_type="application/json", headers=headers)

    listed = api.get(f"/api/workspaces/{world.acme.pk}/members", headers=maria).json()
    row = next(m for m in listed["items"] if m["id"] == world.maria_membership.pk)
    assert (row["level"], Decimal(row["capacity_hours"]), row["version"]) == ("ic", 10, 1)
    changed = patch(member, {"version": 1, "capacity_hours": "2.5", "level": "manager"}, lena)
    assert changed.status_code == 200, changed.content
    assert changed.json()["version"] == 2 and changed.json()["level"] == "manager"
    assert any("Maria Manager" in w for w in focus_for(world.acme.pk).warnings)
    # The same change from a stale read is a conflict, not an overwrite.
    stale = patch(member, {"version": 1, "capacity_hours": "40"}, lena)
    assert stale.status_code == 409
    assert Membership.objects.get(pk=world.maria_membership.pk).capacity_hours == Decimal("2.5")
    for bad in ({"version": 2, "capacity_hours": "81"}, {"version": 2, "level": "boss"},
                {"version": 2}, {"version": 2, "level": None}):  # fmt: skip
        assert patch(member, bad, lena).status_code in (400, 422), bad
    assert patch(member, {"version": 2, "capacity_hours": "4"}, maria).status_code == 403

    workspace = f"/api/workspaces/{world.acme.pk}"
    read = api.get(workspace, headers=maria).json()
    assert read["active_partnership_limit"] == 8
    limit = patch(workspace, {"version": read["version"], "active_partnership_limit": 1}, lena)
    assert limit.status_code == 200 and limit.json()["active_partnership_limit"] == 1
    assert focus_for(world.acme.pk).over_limit is True
    assert patch(workspace, {"version": read["version"], "active_partnership_limit": 3}, lena)\
        .status_code == 409  # fmt: skip
    assert patch(workspace, {"version": 99, "active_partnership_limit": 0}, lena).status_code in (
        400,
        422,
    )
    assert patch(workspace, {"version": 2, "active_partnership_limit": 5}, maria).status_code == 403


def test_a_large_program_lists_the_first_of_each_and_counts_them_all(
    world: World, as_maria
) -> None:
    """The page lists the first 25 of each horizon and 5 of each owner's; its counts, hours and
    warnings are those of every partnership, as the API's whole lists add up to."""
    for n in range(30):
        PartnershipFactory(
            workspace=world.acme,
            name=f"Strategic {n:02}",
            owner=world.maria,
            horizon=Horizon.STRATEGIC,
            hours_per_week=Decimal("1.5"),
        )
    for n in range(7):
        PartnershipFactory(workspace=world.acme, name=f"Unowned {n}", owner=None)
    whole, cut = focus_for(world.acme.pk), focus_for(world.acme.pk, shown=25, per_owner=5)
    assert cut.strategic_count == len(whole.strategic) == 30
    assert cut.tactical_count == len(whole.tactical)
    assert cut.strategic == whole.strategic[:25] and cut.tactical == whole.tactical[:25]
    for full, load in zip(whole.owners, cut.owners, strict=True):
        assert load.user == full.user
        assert load.committed == sum((p.hours_per_week for p in full.partnerships), Decimal(0))
        assert load.count == len(full.partnerships)
        assert load.partnerships == full.partnerships[:5]
    assert cut.unowned_count == len(whole.unowned) == 7
    assert cut.warnings == whole.warnings
    assert any("7 active partnerships without a day-to-day owner" in w for w in cut.warnings)
    maria = next(load for load in cut.owners if load.user == world.maria)
    assert maria.more == maria.count - 5 > 0
    page = as_maria.get("/focus/").content.decode()
    assert "Strategic 24" in page and "Strategic 25" not in page
    assert "And 5 more" in page and "?stage=active&amp;horizon=strategic" in page
    assert f"and {maria.more} more</a>" in page


def test_the_dashboard_warns_of_focus_without_listing_it(world: World, as_maria) -> None:
    Membership.objects.filter(pk=world.maria_membership.pk).update(capacity_hours=Decimal("1"))
    PartnershipFactory(workspace=world.acme, name="Nobody's", owner=None)
    warnings = focus_for(world.acme.pk).warnings
    assert focus_for(world.acme.pk, shown=0).warnings == warnings
    page = as_maria.get("/dashboard/").content.decode()
    assert "without a day-to-day owner: Nobody&#x27;s." in page
    assert "Maria Manager is committed to" in page
