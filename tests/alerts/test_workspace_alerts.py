"""The workspace's alerts page reads the standings: every alert of every current partnership
in the order alerts_of gives them (partnership by name), paged by 50 whatever the number of
partnerships, in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.evaluation.alerts.selectors import alerts_of
from tandem.evaluation.alerts.standing import WorkspaceAlerts, bring_up_to_date
from tandem.partners.models import Partnership
from tests.conftest import World, client_for
from tests.factories import PartnershipFactory
from tests.health.helpers import todo

pytestmark = pytest.mark.django_db


def _overdue(world: World, count: int) -> None:
    today = timezone.localdate()
    for n in range(count):
        partnership = PartnershipFactory(workspace=world.acme, name=f"Partner {n:02}")
        todo(partnership, today.replace(day=1) if today.day > 1 else today, title="Late")
        todo(partnership, today - timezone.timedelta(days=3), title="Later")


def _all(world: World) -> tuple[Any, WorkspaceAlerts]:
    current = Partnership.objects.filter(workspace=world.acme, archived_at__isnull=True)
    bring_up_to_date(world.acme.pk, current, timezone.localdate())
    return current, WorkspaceAlerts(current)


def test_the_alerts_are_those_alerts_of_computes_in_the_page_order(world: World) -> None:
    _overdue(world, 7)
    current, stored = _all(world)
    computed = alerts_of(world.actor(world.maria), current, timezone.localdate())
    expected = [alert for listed in computed.values() for alert in listed]
    expected.sort(key=lambda alert: (alert.partnership_name.lower(), alert.partnership_id))
    assert list(stored) == expected
    assert len(stored) == len(expected)
    assert stored.partnership_count == sum(1 for listed in computed.values() if listed)
    # Any window of the sequence is the same window of the whole list.
    for start, stop in ((0, 3), (2, 9), (5, 6), (len(expected) - 2, len(expected) + 5)):
        assert stored[start:stop] == expected[start:stop]


def test_a_page_costs_the_same_with_more_partnerships(world: World) -> None:
    def queries() -> int:
        _current, stored = _all(world)
        with CaptureQueriesContext(connection) as captured:
            len(stored), stored[0:50]
        return len(captured)

    _overdue(world, 3)
    few = queries()
    _overdue(world, 30)
    assert queries() == few


def test_the_page_pages_by_fifty(world: World) -> None:
    _overdue(world, 52)  # an alert each (to-dos overdue)
    maria = client_for(world.maria)
    first = maria.get("/alerts/")
    assert first.status_code == 200
    assert first.context["page"].paginator.num_pages >= 2
    assert len(first.context["page"].object_list) == 50
    last = maria.get("/alerts/", {"page": first.context["page"].paginator.num_pages})
    assert last.status_code == 200
    assert "Partner 51" in last.content.decode()
    assert "Partner 51" not in first.content.decode()
