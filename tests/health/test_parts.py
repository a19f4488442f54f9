"""Each part of the health score, its rule on small data, and the reader's view: a
partner-side reader's parts come from shared items only."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from tandem.core.access import Visibility
from tandem.evaluation.health.selectors import Health, health_of
from tandem.partners.models import Stage
from tests.conftest import World
from tests.factories import PartnershipFactory
from tests.health.helpers import (
    TODAY,
    acted,
    ago,
    ask,
    at,
    checkin,
    deal,
    given,
    meeting,
    review,
    rock,
    schedule,
    score,
    todo,
)

pytestmark = pytest.mark.django_db


def _health(world: World, user, partnership=None) -> Health:  # type: ignore[no-untyped-def]
    partnership = partnership or world.northwind
    return health_of(world.actor(user), [partnership], TODAY)[partnership.pk]


def test_meetings_held_against_the_weekly_cadence(world: World) -> None:
    schedule(world.northwind)
    # Tuesdays 3, 10, 17 and 24 November were planned; three were held.
    for day in (ago(22), ago(15), ago(1)):
        meeting(world.northwind, day)
    meeting(world.northwind, ago(40))  # before the window: not counted
    part = _health(world, world.maria).part("meetings")
    assert part.score == 75
    assert part.evidence == "3 of 4 weekly meetings held in the last 4 weeks."
    assert part.url == f"/partnerships/{world.northwind.pk}/meetings/"


def test_a_paused_partnership_plans_no_meetings_and_has_no_meeting_data(world: World) -> None:
    schedule(world.northwind)
    world.northwind.stage = Stage.PAUSED
    world.northwind.save()
    part = _health(world, world.maria).part("meetings")
    assert part.score is None
    assert "No meeting was planned" in part.evidence


def test_recaps_sent_of_the_meetings_ended_in_90_days(world: World) -> None:
    meeting(world.northwind, ago(3), recap=True)
    meeting(world.northwind, ago(10), recap=True)
    meeting(world.northwind, ago(20))
    meeting(world.northwind, ago(120))  # too old
    part = _health(world, world.maria).part("recaps")
    assert part.score == 67
    assert part.evidence == "2 of 3 meetings in the last 90 days had their recap sent."


def test_todo_completion_against_90_percent(world: World) -> None:
    for index in range(10):
        due = ago(index + 1)
        todo(world.northwind, due, done=due if index < 8 else None)
    todo(world.northwind, ago(40), done=None)  # due before the window
    todo(world.northwind, ago(5), done=ago(2))  # done late: counts as not on time
    part = _health(world, world.maria).part("todos")
    # 8 of 11 = 72.7 % of the 90 % target.
    assert part.score == round(100 * 8 / 11 / 0.9)
    assert "8 of 11 to-dos due in the last 4 weeks done on time (73%, target 90%)" in part.evidence


def test_an_internal_overdue_todo_lowers_marias_todo_part_not_pats(world: World) -> None:
    todo(world.northwind, ago(3), done=ago(3))
    todo(world.northwind, ago(2), visibility=Visibility.INTERNAL)
    assert _health(world, world.maria).part("todos").score == round(100 * 0.5 / 0.9)
    assert _health(world, world.pat).part("todos").score == 100


def test_rocks_on_track_this_quarter(world: World) -> None:
    # The world holds a shared and an internal rock of Q4 2026, both on track.
    rock(world.northwind, "off_track")
    rock(world.northwind, "done")
    rock(world.northwind, "dropped")  # left out
    rock(world.northwind, "off_track", quarter=3)  # another quarter
    maria = _health(world, world.maria).part("rocks")
    assert (maria.score, maria.evidence) == (75, "3 of 4 rocks of Q4 2026 on track or done.")
    assert _health(world, world.pat).part("rocks").score == 67


def test_scorecard_values_against_their_goal(world: World) -> None:
    measurable = world.shared_measurable  # weekly, at least 5
    monday = TODAY - timedelta(days=TODAY.weekday())
    score(measurable, monday - timedelta(weeks=1), Decimal(6))
    score(measurable, monday - timedelta(weeks=2), Decimal(4))
    score(measurable, monday - timedelta(weeks=3), Decimal(3), goal=Decimal(2))  # its own goal
    score(measurable, monday - timedelta(weeks=6), Decimal(0))  # too old
    score(measurable, monday, Decimal(0))  # this week is not over
    part = _health(world, world.pat).part("scorecard")
    assert (part.score, part.evidence) == (
        67,
        "2 of 3 values on goal in the last 4 weeks and 3 months.",
    )


def test_commitments_kept_on_each_side(world: World) -> None:
    review(world.northwind, "ours", True, ago(30))
    review(world.northwind, "ours", True, ago(60))
    review(world.northwind, "partner", True, ago(30))
    review(world.northwind, "partner", False, ago(60))
    review(world.northwind, "partner", False, ago(400))  # more than a year ago
    part = _health(world, world.maria).part("commitments")
    assert part.score == 75  # the mean of 100 % and 50 %
    assert part.evidence == (
        "Acme Analytics: 2 of 2 kept · Northwind: 1 of 2 kept (last 12 months)."
    )


def test_asks_answered_on_time(world: World) -> None:
    ask(world.northwind, ago(20), status="answered", answered_at=at(ago(18)))  # on time
    ask(world.northwind, ago(20), status="answered", answered_at=at(ago(5)))  # late
    ask(world.northwind, ago(30), needed_by=ago(10))  # open past its date: late
    ask(world.northwind, ago(2))  # open, not due yet: not judged
    ask(world.northwind, ago(20), status="withdrawn")  # left out
    part = _health(world, world.maria).part("asks")
    assert (part.score, part.evidence) == (
        33,
        "1 of 3 asks of the last 90 days answered on time.",
    )


def test_checkin_rhythm(world: World) -> None:
    checkin(world.northwind, "monthly", ago(10))
    checkin(world.northwind, "quarterly", ago(150))
    part = _health(world, world.maria).part("checkins")
    assert part.score == 75  # monthly within 35 days: 100; quarterly within 200: 50
    assert "Last monthly check-in 10 days ago" in part.evidence


def test_value_balance_by_entries_given(world: World) -> None:
    for days in (5, 50, 300):
        given(world.northwind, "ours", ago(days))
    given(world.northwind, "partner", ago(20))
    given(world.northwind, "partner", ago(20), confirmation="disputed")  # left out
    given(world.northwind, "partner", ago(500))  # too old
    part = _health(world, world.maria).part("value")
    assert part.score == 33
    assert part.evidence == (
        "In the last 12 months Acme Analytics gave 3 entries and Northwind gave 1 entry."
    )


def test_pipeline_movement(world: World) -> None:
    deal(world.northwind, ago(5))
    deal(world.northwind, ago(40))  # stalled (30 days)
    deal(world.northwind, ago(100), outcome="won")  # closed: not judged
    part = _health(world, world.maria).part("pipeline")
    assert part.score == 50
    assert part.evidence.startswith("1 of 2 open deals stalled (no stage change in 30 days)")


def test_the_partner_sides_own_activity(world: World) -> None:
    acted(world.northwind, world.pat, ago(37), world.shared_todo)
    part = _health(world, world.maria).part("partner_activity")
    assert part.score == round(100 * (60 - 37) / 46)
    assert part.evidence == "Last action by Northwind's people 37 days ago."
    acted(world.northwind, world.pat, ago(3), world.shared_todo)
    acted(world.northwind, world.maria, ago(0), world.shared_todo)  # ours: not theirs
    part = _health(world, world.maria).part("partner_activity")
    assert (part.score, part.evidence) == (100, "Last action by Northwind's people 3 days ago.")
    # Globex's people never did anything: 0, not "no data".
    quiet = _health(world, world.maria, world.globex).part("partner_activity")
    assert (quiet.score, quiet.evidence) == (0, "No action by Globex's people in 60 days.")
    # Long ago counts as nothing lately.
    acted(world.globex, world.lee, ago(400), world.shared_todo)
    assert _health(world, world.maria, world.globex).part("partner_activity") == quiet


def test_parts_without_data_are_left_out_of_the_total(world: World) -> None:
    fresh = PartnershipFactory(workspace=world.acme, name="Fresh")
    health = _health(world, world.lena, fresh)
    assert health.score is None
    assert health.with_data == []
    assert "partner_activity" in [part.key for part in health.without_data]
    # Two parts with data: rocks at 50 and to-dos at 100, weighing 2 each.
    rock(fresh, "on_track")
    rock(fresh, "off_track")
    todo(fresh, ago(1), done=ago(1))
    health = _health(world, world.lena, fresh)
    assert [part.key for part in health.with_data] == ["todos", "rocks"]
    assert health.score == 75


def test_a_reader_gets_only_the_partnerships_they_may_see(world: World) -> None:
    found = health_of(
        world.actor(world.pat), [world.northwind, world.globex, world.initech_partner], TODAY
    )
    assert list(found) == [world.northwind.pk]
