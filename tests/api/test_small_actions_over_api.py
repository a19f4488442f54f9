"""The page's small actions over the API, through the same services: a rock's milestone ticked
and deleted, a measurable moved on the scorecard, an ask reopened."""

from __future__ import annotations

from tandem.relationship.asks import services as asks
from tandem.relationship.asks.models import AskStatus
from tandem.scorecard.models import Measurable
from tandem.traction.models import Milestone
from tests.conftest import World
from tests.meetings.test_meeting_api import api


def test_a_milestone_is_ticked_and_deleted(world: World) -> None:
    milestone = world.internal_milestone
    url = (
        f"/api/partnerships/{world.northwind.pk}/rocks/{milestone.rock_id}"
        f"/milestones/{milestone.pk}"
    )
    ticked = api(world.maria).post(f"{url}/done", {"done": True}, "application/json")
    assert ticked.status_code == 200 and ticked.json()["done_at"] is not None
    undone = api(world.maria).post(f"{url}/done", {"done": False}, "application/json")
    assert undone.json()["done_at"] is None
    assert api(world.pat).delete(url).status_code == 404  # an internal rock Pat cannot see
    assert api(world.maria).delete(url).status_code == 204
    assert not Milestone.objects.filter(pk=milestone.pk).exists()
    assert api(world.maria).delete(url).status_code == 404


def test_a_measurable_moves_up_and_down(world: World) -> None:
    def order() -> list[int]:
        scorecard = Measurable.objects.filter(
            partnership=world.northwind, frequency=world.internal_measurable.frequency
        )
        return list(scorecard.order_by("position", "pk").values_list("pk", flat=True))

    before = order()
    last = before[-1]
    url = f"/api/partnerships/{world.northwind.pk}/measurables/{last}/move"
    moved = api(world.maria).post(url, {"direction": "up"}, "application/json")
    assert moved.status_code == 200, moved.content
    assert order().index(last) == len(before) - 2
    back = api(world.maria).post(url, {"direction": "down"}, "application/json")
    assert back.status_code == 200 and order() == before
    sideways = api(world.maria).post(url, {"direction": "left"}, "application/json")
    assert sideways.status_code == 422  # not one of the schema's two directions


def test_an_answered_ask_is_reopened_by_the_workspace(world: World) -> None:
    ask = asks.ask_create(
        actor=world.actor(world.pat), partnership=world.northwind, title="Booth at NRF"
    )
    asks.ask_withdraw(ask, actor=world.actor(world.pat), version=ask.version)
    url = f"/api/partnerships/{world.northwind.pk}/asks/{ask.pk}/reopen"
    ask.refresh_from_db()
    refused = api(world.pat).post(url, {"version": ask.version}, "application/json")
    assert refused.status_code in {400, 403}
    reopened = api(world.maria).post(url, {"version": ask.version}, "application/json")
    assert reopened.status_code == 200, reopened.content
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
    again = api(world.maria).post(url, {"version": ask.version}, "application/json")
    assert again.status_code == 400 and again.json()["detail"] == "This ask is already open."
