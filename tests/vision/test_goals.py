"""1-year goals and the 3-year picture, and rocks that serve a goal."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.core.scope import Program
from tandem.traction import rocks
from tandem.traction.models import Rock
from tandem.vision import services
from tandem.vision.models import Goal
from tests.conftest import World, client_for


def test_a_goal_is_added_with_its_target(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/goals/"
    response = as_maria.post(
        f"{url}new/",
        {
            "title": "Joint customers",
            "target": "12 joint customers live",
            "horizon": "1y",
            "due_on": "2027-11-30",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    page = as_maria.get(url).content.decode()
    assert "Joint customers" in page and "12 joint customers live" in page
    assert "No rocks serve it yet" in page


def test_a_goal_needs_a_measurable_target(world: World, as_maria) -> None:
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/goals/new/",
        {"title": "Be great partners", "target": "", "horizon": "1y", "due_on": "2027-01-01"},
    )
    assert response.status_code == 400
    assert Goal.objects.filter(title="Be great partners").count() == 0


def test_the_partner_sees_shared_goals_only(world: World, as_pat) -> None:
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/goals/").content.decode()
    assert world.shared_goal.title in page
    assert world.internal_goal.title not in page


def test_rocks_roll_up_to_their_goal(world: World, as_maria) -> None:
    rock = world.shared_rock
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/rocks/{rock.pk}/edit/",
        {
            "version": rock.version,
            "title": rock.title,
            "owner": world.pat.pk,
            "due_on": "2026-12-31",
            "status": "on_track",
            "goal": world.shared_goal.pk,
            "visibility": "shared",
        },
    )
    assert response.status_code == 302, response.content.decode()
    url = f"/partnerships/{world.northwind.pk}/goals/"
    assert "0 of 1 rock done" in as_maria.get(url).content.decode()
    rock.refresh_from_db()
    rocks.rock_update(rock, actor=world.actor(world.pat), version=rock.version, status="done")
    assert "1 of 1 rock done" in as_maria.get(url).content.decode()
    rock_page = client_for(world.pat).get(
        f"/partnerships/{world.northwind.pk}/rocks/?quarter=2026-4"
    )
    assert "serves <a" in rock_page.content.decode()


def test_a_shared_rock_cannot_serve_an_internal_goal(world: World) -> None:
    maria = world.actor(world.maria)
    rock = world.shared_rock
    with pytest.raises(InvalidInput) as refused:
        rocks.rock_update(rock, actor=maria, version=rock.version, goal=world.internal_goal)
    assert refused.value.errors["goal"] == [
        "A shared rock links to a shared goal; this goal is internal."
    ]
    other = services.goal_create(
        actor=maria, partnership=world.globex, title="Globex goal", target="3 integrations"
    )
    with pytest.raises(InvalidInput, match="highlighted"):
        rocks.rock_update(rock, actor=maria, version=rock.version, goal=other)
    rocks.rock_update(
        world.internal_rock, actor=maria, version=1, goal=world.internal_goal
    )  # internal to internal is fine


def test_a_goal_that_shared_rocks_serve_stays_shared(world: World) -> None:
    maria = world.actor(world.maria)
    rocks.rock_update(world.shared_rock, actor=maria, version=1, goal=world.shared_goal)
    with pytest.raises(InvalidInput) as refused:
        services.goal_update(
            world.shared_goal, actor=maria, version=1, visibility=Visibility.INTERNAL
        )
    assert "stays shared" in refused.value.errors["visibility"][0]


def test_deleting_a_goal_keeps_its_rocks(world: World, as_maria) -> None:
    maria = world.actor(world.maria)
    rocks.rock_update(world.shared_rock, actor=maria, version=1, goal=world.shared_goal)
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/goals/{world.shared_goal.pk}/delete/",
        {"version": 1},
    )
    assert response.status_code == 302
    rock = Rock.objects.get(pk=world.shared_rock.pk)
    assert rock.goal_id is None


def test_program_goals(world: World, as_maria) -> None:
    goal = services.goal_create(
        actor=world.actor(world.maria),
        partnership=Program(world.acme),
        title="Partner revenue",
        target="$2M partner-sourced",
    )
    assert goal.partnership_id is None and goal.visibility == Visibility.INTERNAL
    assert "Partner revenue" in as_maria.get("/partnerships/program/goals/").content.decode()


def test_the_goal_list_costs_the_same_with_more_goals(world: World, as_maria) -> None:
    maria = world.actor(world.maria)

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            goal = services.goal_create(
                actor=maria, partnership=world.northwind, title=f"Goal {n}", target=f"{n} deals"
            )
            rocks.rock_create(
                actor=maria, partnership=world.northwind, title=f"Rock {n}", goal=goal
            )

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(f"/partnerships/{world.northwind.pk}/goals/").status_code == 200
        return len(queries)

    add(8, 0)
    small = cost()
    add(60, 8)
    assert cost() == small


def test_goals_and_rock_links_through_the_api(world: World) -> None:
    _token, secret = token_create(user=world.pat, name="tools")
    api = client_for(None)
    headers = {"Authorization": f"Bearer {secret}"}
    base = f"/api/partnerships/{world.northwind.pk}"
    created = api.post(
        f"{base}/goals",
        {"title": "Certified reps", "target": "20 certified reps"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    goal = created.json()
    listed = api.get(f"{base}/goals", headers=headers).json()
    assert {g["title"] for g in listed["items"]} == {world.shared_goal.title, "Certified reps"}
    rock = api.post(
        f"{base}/rocks",
        {"title": "Certify the first ten", "goal_id": goal["id"]},
        content_type="application/json",
        headers=headers,
    )
    assert rock.status_code == 201 and rock.json()["goal_id"] == goal["id"]
    hidden = api.post(
        f"{base}/rocks",
        {"title": "Probe", "goal_id": world.internal_goal.pk},
        content_type="application/json",
        headers=headers,
    )
    assert hidden.status_code == 400  # Pat cannot see it: as if it did not exist
    assert not Rock.objects.filter(title="Probe").exists()
