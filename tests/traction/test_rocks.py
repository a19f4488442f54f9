"""Rocks: 90-day priorities per quarter, on either side, with milestones (seed 000)."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.traction import rocks
from tandem.traction.models import Milestone, Rock, quarter_end, quarter_of
from tests.conftest import World


def url(world: World, suffix: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/rocks/{suffix}"


def test_a_new_rock_is_due_at_the_end_of_the_quarter(world: World, as_maria) -> None:
    year, quarter = quarter_of(timezone.localdate())
    response = as_maria.post(
        url(world, f"new/?quarter={year}-{quarter}"),
        {"title": "Ten joint opportunities", "visibility": "shared"},
    )
    assert response.status_code == 302
    rock = Rock.objects.get(title="Ten joint opportunities")
    assert (rock.year, rock.quarter) == (year, quarter)
    assert rock.due_on == quarter_end(year, quarter) and rock.owner == world.maria
    page = as_maria.get(url(world, f"?quarter={year}-{quarter}")).content.decode()
    assert "Ten joint opportunities" in page


def test_the_quarter_shows_how_much_is_done(world: World, as_maria) -> None:
    response = as_maria.post(
        url(world, f"{world.shared_rock.pk}/status/"), {"status": "done", "version": 1}
    )
    assert response.status_code == 302
    summary = as_maria.get(url(world, "?quarter=2026-4")).context["summary"]
    assert (summary.done, summary.total, summary.percent_done) == (1, 2, 50)
    stale = as_maria.post(
        url(world, f"{world.shared_rock.pk}/status/"), {"status": "dropped", "version": 1},
        follow=True,
    )  # fmt: skip
    assert "was changed meanwhile" in stale.content.decode()
    assert Rock.objects.get(pk=world.shared_rock.pk).status == "done"


def test_more_than_seven_rocks_for_one_person_is_flagged(world: World, as_maria) -> None:
    for number in range(7):
        Rock.objects.create(
            workspace=world.acme, partnership=world.globex, title=f"Rock {number}",
            owner=world.maria, year=2026, quarter=4, due_on=date(2026, 12, 31),
        )  # fmt: skip
    page = as_maria.get(url(world, "?quarter=2026-4")).content.decode()
    assert "Maria Manager</strong> has 8 rocks this quarter, more than 7" in page


def test_pat_sees_shared_rocks_only(world: World, as_pat) -> None:
    page = as_pat.get(url(world, "?quarter=2026-4")).content.decode()
    assert "Launch the joint offer" in page
    assert "Decide on exclusivity" not in page
    response = as_pat.post(
        url(world, "new/?quarter=2026-4"), {"title": "Case study", "owner": world.maria.pk}
    )
    assert response.status_code == 302
    assert Rock.objects.get(title="Case study").visibility == "shared"


def test_a_milestone_due_this_week_shows_on_the_todo_list(world: World, as_pat) -> None:
    soon = timezone.localdate() + timedelta(days=3)
    milestone = Milestone.objects.create(
        rock=world.shared_rock, title="Draft the offer", due_on=soon
    )
    Milestone.objects.create(rock=world.internal_rock, title="Ask legal", due_on=soon)
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/todos/").content.decode()
    assert "Draft the offer" in page and "Ask legal" not in page
    response = as_pat.post(
        url(world, f"{world.shared_rock.pk}/milestones/{milestone.pk}/done/"),
        {"done": "1", "next": "todos"},
    )
    assert response["Location"] == f"/partnerships/{world.northwind.pk}/todos/"
    milestone.refresh_from_db()
    assert milestone.done_at is not None


def test_the_todo_list_shows_this_quarters_milestones_only_and_a_few(
    world: World, as_maria
) -> None:
    """A past quarter's rock was closed at its quarterly meeting: its open milestones stop
    showing beside the to-dos, and however many fall due, the list stays short."""
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    last_year, last_quarter = quarter_of(today.replace(day=1) - timedelta(days=95))
    old = Rock.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Last quarter's rock",
        owner=world.maria, year=last_year, quarter=last_quarter, due_on=today - timedelta(days=60),
    )  # fmt: skip
    Milestone.objects.create(rock=old, title="Forgotten step", due_on=today - timedelta(days=70))
    assert (world.shared_rock.year, world.shared_rock.quarter) == (year, quarter)
    Milestone.objects.bulk_create(
        Milestone(rock=world.shared_rock, title=f"Step {n:02}", due_on=today + timedelta(days=1))
        for n in range(rocks.MILESTONES_SHOWN + 2)
    )
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/todos/").content.decode()
    assert "Forgotten step" not in page
    section = page.split("Rock milestones due this week")[1].split("</section>")[0]
    assert section.count('class="todo-row') == rocks.MILESTONES_SHOWN
    assert "Step 00" in section and f"Step {rocks.MILESTONES_SHOWN + 1:02}" not in section


def test_milestones_are_added_and_removed_with_a_record(world: World, as_maria) -> None:
    rock = world.shared_rock
    as_maria.post(
        url(world, f"{rock.pk}/milestones/"), {"title": "Price list", "due_on": "2026-12-10"}
    )
    added = rock.milestones.get(title="Price list")
    as_maria.post(url(world, f"{rock.pk}/milestones/{added.pk}/delete/"))
    assert not rock.milestones.filter(title="Price list").exists()
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/activity/").content.decode()
    assert "added a milestone to" in page and "removed a milestone from" in page


def test_the_rock_list_costs_the_same_with_10_or_200_rocks(world: World, as_maria) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_maria.get(url(world, "?quarter=2026-4")).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        Rock.objects.bulk_create(
            Rock(workspace=world.acme, partnership=world.northwind, title=f"r{i}", owner=world.pat,
                 year=2026, quarter=4, due_on=date(2026, 12, 31))
            for i in range(n)
        )  # fmt: skip

    add(8)
    few = count()
    add(192)
    assert count() == few


def test_bad_quarters_fall_back_to_this_one(world: World, as_maria) -> None:
    for bad in ("abc", "2026-9", "99999-1", "-"):
        response = as_maria.get(url(world, f"?quarter={bad}"))
        assert response.status_code == 200
        assert (response.context["year"], response.context["quarter"]) == quarter_of(
            timezone.localdate()
        )
    assert rocks.quarter_summary(Rock.objects.none()).percent_done is None


def test_rocks_through_the_api(world: World) -> None:
    from django.test import Client

    from tandem.accounts.services import token_create

    pat = Client(headers={"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"})
    base = f"/api/partnerships/{world.northwind.pk}/rocks"
    listed = pat.get(base + "?year=2026&quarter=4").json()
    assert [r["title"] for r in listed["items"]] == ["Launch the joint offer"]
    assert listed["items"][0]["milestones"][0]["title"] == "Pricing agreed"
    created = pat.post(base, {"title": "Co-hosted webinar"}, content_type="application/json")
    assert created.status_code == 201
    rock = created.json()
    assert rock["owner"]["email"] == "pat@northwind.example"
    moved = pat.patch(
        f"{base}/{rock['id']}",
        {"version": 1, "status": "off_track"},
        content_type="application/json",
    )
    assert moved.json()["status"] == "off_track"
    added = pat.post(
        f"{base}/{rock['id']}/milestones", {"title": "Speakers", "due_on": "2026-12-01"},
        content_type="application/json",
    )  # fmt: skip
    assert added.status_code == 201
    hidden = pat.patch(
        f"{base}/{world.internal_rock.pk}",
        {"version": 1, "title": "x"},
        content_type="application/json",
    )
    assert hidden.status_code == 404


def test_the_rock_api_list_costs_the_same_with_more_rocks(world: World) -> None:
    from django.test import Client

    from tandem.accounts.services import token_create

    api = Client(headers={"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"})

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(f"/api/partnerships/{world.northwind.pk}/rocks").status_code == 200
        return len(captured)

    count()
    few = count()
    for number in range(30):
        rock = Rock.objects.create(
            workspace=world.acme, partnership=world.northwind, title=f"r{number}",
            owner=world.pat, year=2026, quarter=4, due_on=date(2026, 12, 31),
        )  # fmt: skip
        Milestone.objects.create(rock=rock, title="m", due_on=date(2026, 12, 1))
    assert count() == few


def test_a_long_quarter_is_paginated(world: World, as_maria) -> None:
    maria = world.actor(world.maria)
    for n in range(55):
        rocks.rock_create(
            actor=maria, partnership=world.northwind, title=f"Push {n:02}", year=2026, quarter=4
        )
    url = f"/partnerships/{world.northwind.pk}/rocks/?quarter=2026-4"
    first = as_maria.get(url).content.decode()
    assert "Page 1 of 2" in first and "57 rocks" in first
    second = as_maria.get(url + "&page=2").content.decode()
    assert "Page 2 of 2" in second and "quarter=2026-4&amp;page=1" in second
