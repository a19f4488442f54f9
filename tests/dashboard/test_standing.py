"""The dashboard reads each partnership's standing (its health and alerts today): a change
logged in the partnership, a change to the workspace's settings or a new day makes it be
computed again before it is read; nothing else is recomputed, and the hourly task keeps every
standing current."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core import services
from tandem.evaluation.alerts.models import Standing
from tandem.evaluation.alerts.selectors import alerts_of
from tandem.evaluation.alerts.standing import refresh_standings
from tandem.evaluation.dashboard.selectors import dashboard
from tandem.evaluation.health.selectors import health_of
from tandem.evaluation.health.services import set_weights
from tandem.meetings.tasks import send_recaps
from tandem.traction.models import Todo
from tests.conftest import World
from tests.factories import PartnershipFactory
from tests.health.helpers import TODAY, ago, meeting, todo

pytestmark = pytest.mark.django_db


def rows(world: World, today: Any = TODAY) -> dict[str, Any]:
    board = dashboard(world.actor(world.maria), world.acme.pk, today, sort="name")
    return {row.partnership.name: row for row in board.page.object_list}


def visit(world: World, today: Any = TODAY) -> int:
    with CaptureQueriesContext(connection) as captured:
        rows(world, today)
    return len(captured)


def test_what_is_shown_is_what_health_of_computes(world: World) -> None:
    todo(world.globex, ago(3))
    todo(world.northwind, ago(3), done=ago(3))
    shown = rows(world)
    computed = health_of(world.actor(world.maria), [world.northwind, world.globex], TODAY)
    assert shown["Northwind"].score == computed[world.northwind.pk].score
    assert shown["Globex"].score == computed[world.globex.pk].score
    alerts = alerts_of(world.actor(world.maria), [world.northwind, world.globex], TODAY)
    assert shown["Globex"].alerts == alerts[world.globex.pk]
    assert "todos_overdue" in [alert.kind for alert in shown["Globex"].alerts]


def test_a_second_visit_recomputes_nothing(world: World) -> None:
    first = visit(world)
    stored = dict(Standing.objects.values_list("partnership_id", "refreshed_at"))
    second = visit(world)
    assert second < first
    assert dict(Standing.objects.values_list("partnership_id", "refreshed_at")) == stored


def test_a_change_made_in_a_partnership_shows_on_the_next_visit(world: World) -> None:
    task = todo(world.northwind, ago(3))
    before = rows(world)["Northwind"]
    assert [alert.kind for alert in before.alerts].count("todos_overdue") == 1
    globex_refreshed = Standing.objects.get(partnership=world.globex).refreshed_at
    maria = world.actor(world.maria)
    services.update(
        Todo.objects.get(pk=task.pk),
        actor=maria,
        version=task.version,
        changes={"done_at": timezone.now()},
    )
    after = rows(world)["Northwind"]
    assert "todos_overdue" not in [alert.kind for alert in after.alerts]
    # Only the partnership that changed was computed again.
    assert Standing.objects.get(partnership=world.globex).refreshed_at == globex_refreshed


def test_a_new_partnership_shows_at_once(world: World) -> None:
    rows(world)
    PartnershipFactory(workspace=world.acme, name="Fresh")
    assert "Fresh" in rows(world)


def test_a_change_to_the_weights_recomputes_every_standing(world: World) -> None:
    todo(world.northwind, ago(3), done=ago(3))
    assert rows(world)["Northwind"].score is not None
    before = rows(world)["Northwind"].score
    set_weights(
        actor=world.actor(world.lena),
        workspace_id=world.acme.pk,
        weights={"todos": 10, "rocks": 0, "partner_activity": 0},
    )
    after = rows(world)["Northwind"].score
    assert after != before
    computed = health_of(world.actor(world.maria), [world.northwind], TODAY)
    assert after == computed[world.northwind.pk].score


def test_a_new_day_recomputes(world: World) -> None:
    todo(world.northwind, TODAY + timedelta(days=1))
    assert "todos_overdue" not in [alert.kind for alert in rows(world)["Northwind"].alerts]
    tomorrow = rows(world, TODAY + timedelta(days=2))["Northwind"]
    assert "todos_overdue" in [alert.kind for alert in tomorrow.alerts]


def test_the_hourly_task_brings_every_standing_up_to_date(world: World) -> None:
    result = refresh_standings.call("2026-11-25T10:00:00+00:00")
    assert result.endswith(f"{Standing.objects.count()} standings")
    assert set(Standing.objects.values_list("partnership_id", flat=True)) >= {
        world.northwind.pk,
        world.globex.pk,
    }
    # Standings of today are fresh: a visit computes nothing more.
    today = timezone.localdate()
    first = visit(world, today)
    assert visit(world, today) == first


def test_a_recap_sent_by_the_worker_clears_its_alert(world: World) -> None:
    ended = meeting(world.northwind, ago(1))
    assert "recap_not_sent" in [alert.kind for alert in rows(world)["Northwind"].alerts]
    send_recaps.call(ended.pk)
    assert "recap_not_sent" not in [alert.kind for alert in rows(world)["Northwind"].alerts]
