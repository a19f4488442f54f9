"""The portfolio dashboard: sorted by health, filtered, paginated, what changed since last
week, the focus warnings, a fixed number of queries, members only, page and API alike."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import Membership, Workspace
from tandem.accounts.services import token_create
from tandem.evaluation.dashboard.selectors import dashboard
from tandem.evaluation.health.models import HealthSnapshot, View
from tandem.evaluation.health.selectors import health_of
from tandem.partners.models import Partnership, Stage
from tests.conftest import World, client_for
from tests.factories import PartnerAccessFactory, PartnershipFactory, UserFactory
from tests.health.helpers import TODAY, acted, ago, deal, given, meeting, schedule, todo

pytestmark = pytest.mark.django_db

MONDAY = TODAY - timedelta(days=TODAY.weekday())


def names(board: Any) -> list[str]:
    return [row.partnership.name for row in board.page.object_list]


@pytest.fixture
def ranked(world: World) -> dict[str, Partnership]:
    """Globex scores 0 (to-dos overdue, its partner silent), Northwind 50–74 (to-dos done,
    its partner silent, the world's rocks), Fresh 100 (to-dos done, nobody from the partner
    yet), Empty has no data."""
    todo(world.globex, ago(3))
    todo(world.northwind, ago(3), done=ago(3))
    fresh = PartnershipFactory(workspace=world.acme, name="Fresh", owner=world.lena)
    todo(fresh, ago(3), done=ago(3))
    empty = PartnershipFactory(workspace=world.acme, name="Empty", stage=Stage.PROSPECT)
    return {"fresh": fresh, "empty": empty}


def test_sorted_by_health_with_no_data_last(world: World, ranked: Any) -> None:
    maria = world.actor(world.maria)
    board = dashboard(maria, world.acme.pk, TODAY)
    assert names(board) == ["Globex", "Northwind", "Fresh", "Empty"]
    scores = [row.score for row in board.page.object_list]
    expected = health_of(maria, [row.partnership for row in board.page.object_list], TODAY)
    assert scores == [expected[row.partnership.pk].score for row in board.page.object_list]
    assert scores[0] == 0 and 50 <= scores[1] < 75 and scores[2:] == [100, None]
    assert [row.band for row in board.page.object_list] == [
        "at_risk",
        "watch",
        "healthy",
        "no_data",
    ]
    assert names(dashboard(maria, world.acme.pk, TODAY, sort="-health")) == [
        "Fresh",
        "Northwind",
        "Globex",
        "Empty",
    ]
    assert names(dashboard(maria, world.acme.pk, TODAY, sort="name")) == [
        "Empty",
        "Fresh",
        "Globex",
        "Northwind",
    ]
    assert (board.total, board.at_risk) == (4, 1)


def test_filters(world: World, ranked: Any) -> None:
    maria = world.actor(world.maria)
    assert names(dashboard(maria, world.acme.pk, TODAY, stage=Stage.PROSPECT)) == ["Empty"]
    assert names(dashboard(maria, world.acme.pk, TODAY, owner=world.lena.pk)) == ["Fresh"]
    assert names(dashboard(maria, world.acme.pk, TODAY, band="watch")) == ["Northwind"]
    assert names(dashboard(maria, world.acme.pk, TODAY, band="no_data")) == ["Empty"]
    # Alerts: Globex's to-do is overdue.
    with_alerts = dashboard(maria, world.acme.pk, TODAY, has_alerts=True)
    assert names(with_alerts) == ["Globex"]
    row = with_alerts.page.object_list[0]
    assert row.top_alert is not None and row.top_alert.kind == "todos_overdue"
    assert [a.kind for a in row.new_alerts] == ["todos_overdue"]  # overdue since 2 days


def test_what_changed_since_last_week_and_the_trend(world: World, ranked: Any) -> None:
    maria = world.actor(world.maria)
    for weeks, score in ((1, 70), (2, 60), (5, 40)):
        HealthSnapshot.objects.create(
            partnership=world.northwind,
            week=MONDAY - timedelta(weeks=weeks),
            view=View.ALL,
            score=score,
        )
    HealthSnapshot.objects.create(
        partnership=world.northwind, week=MONDAY - timedelta(weeks=1), view=View.SHARED, score=5
    )
    row = next(
        r
        for r in dashboard(maria, world.acme.pk, TODAY).page.object_list
        if r.partnership == world.northwind
    )
    assert row.score is not None
    assert row.last_week == 70 and row.delta == row.score - 70
    assert len(row.points) == 13 and row.points[-2] == (MONDAY - timedelta(weeks=1), 70)
    assert 'role="img"' in row.sparkline and "week of" in row.sparkline


def test_value_balance_pipeline_and_focus(world: World) -> None:
    maria = world.actor(world.maria)
    given(world.northwind, "partner", ago(5), amount=Decimal("100"), currency="EUR")
    given(world.northwind, "ours", ago(5), amount=Decimal("40"), currency="EUR")
    given(world.northwind, "ours", ago(5), amount=Decimal("10"), currency="USD")
    deal(world.northwind, ago(3), amount=Decimal("500"), currency="EUR")
    deal(world.northwind, ago(3), amount=Decimal("250"), currency="EUR")
    deal(world.northwind, ago(3), amount=Decimal("999"), currency="EUR", outcome="won")
    Workspace.objects.filter(pk=world.acme.pk).update(active_partnership_limit=1)
    Membership.objects.filter(user=world.maria, workspace=world.acme).update(capacity_hours=1)
    board = dashboard(maria, world.acme.pk, TODAY, sort="name")
    row = next(r for r in board.page.object_list if r.partnership == world.northwind)
    assert row.balance == {"EUR": Decimal("60"), "USD": Decimal("-10")}
    assert row.balance_text == ["+60.00 EUR", "-10.00 USD"]
    assert row.balance_converted is not None and row.balance_converted.missing == ["EUR"]
    assert row.pipeline == {"EUR": Decimal("750")} and row.pipeline_count == 2
    assert row.owner_over
    assert any("past your limit of 1" in w for w in board.warnings)
    assert any("over their capacity" in w for w in board.warnings)


def test_paginated_by_fifty(world: World) -> None:
    for n in range(53):
        PartnershipFactory(workspace=world.acme, name=f"Partner {n:02}")
    maria = world.actor(world.maria)
    first = dashboard(maria, world.acme.pk, TODAY, sort="name")
    assert len(first.page.object_list) == 50 and first.page.paginator.num_pages == 2
    second = dashboard(maria, world.acme.pk, TODAY, sort="name", page=2)
    assert len(names(second)) == 5


# --- Batched -------------------------------------------------------------------------------


def _busy(partnership: Partnership, partner: Any) -> None:
    schedule(partnership)
    meeting(partnership, ago(3), recap=True)
    todo(partnership, ago(3))
    deal(partnership, ago(45), amount=Decimal("10"), currency="EUR")
    given(partnership, "partner", ago(4), amount=Decimal("5"), currency="EUR")
    acted(partnership, partner, ago(2), partnership)
    for weeks in range(1, 14):
        HealthSnapshot.objects.create(
            partnership=partnership, week=MONDAY - timedelta(weeks=weeks), view=View.ALL, score=50
        )


def _queries(actor: Any, workspace_id: int) -> int:
    with CaptureQueriesContext(connection) as captured:
        board = dashboard(actor, workspace_id, TODAY)
        for row in board.page.object_list:
            str(row.sparkline), row.balance_text, row.pipeline_text, row.top_alert
    return len(captured)


def test_queries_do_not_grow_with_partnerships(world: World) -> None:
    maria = world.actor(world.maria)
    extra = PartnershipFactory(workspace=world.acme, name="Third")
    PartnerAccessFactory(partnership=extra, user=UserFactory())
    for partnership in (world.northwind, world.globex, extra):
        _busy(partnership, world.pat)
    few = _queries(maria, world.acme.pk)
    for n in range(27):
        more = PartnershipFactory(workspace=world.acme, name=f"More {n}", owner=world.maria)
        _busy(more, world.pat)
    assert Partnership.objects.filter(workspace=world.acme).count() == 30
    assert _queries(maria, world.acme.pk) == few


# --- Page, API, access ---------------------------------------------------------------------


def _api(user: Any) -> Any:
    _token, secret = token_create(user=user, name="tools")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_members_land_on_the_dashboard(world: World) -> None:
    response = client_for(world.maria).get("/")
    assert response.status_code == 302 and response["Location"] == "/dashboard/"
    assert client_for(world.pat).get("/").status_code == 302  # their partnership


def test_page(world: World, ranked: Any) -> None:
    maria = client_for(world.maria)
    html = maria.get("/dashboard/").content.decode()
    assert "<caption>" in html and 'scope="col"' in html and 'scope="row"' in html
    assert html.index("Globex") < html.index("Northwind") < html.index("Fresh")
    assert "To-dos overdue" in html and "Go through the overdue to-dos" in html
    filtered = maria.get("/dashboard/", {"band": "healthy"}).content.decode()
    assert "Fresh" in filtered and ">Globex<" not in filtered
    assert maria.get("/dashboard/", {"band": "nonsense", "page": "x"}).status_code == 200
    assert 'href="/dashboard/"' in maria.get("/partnerships/").content.decode()  # the sidebar


def test_partner_side_people_are_refused(world: World) -> None:
    assert client_for(world.pat).get("/dashboard/").status_code in {403, 404}
    assert _api(world.pat).get(f"/api/workspaces/{world.acme.pk}/dashboard").status_code in {
        403,
        404,
    }
    assert _api(world.olga).get(f"/api/workspaces/{world.acme.pk}/dashboard").status_code in {
        403,
        404,
    }


def test_api_has_the_same_rows(world: World, ranked: Any) -> None:
    maria = _api(world.maria)
    answer = maria.get(f"/api/workspaces/{world.acme.pk}/dashboard").json()
    today = timezone.localdate()
    board = dashboard(world.actor(world.maria), world.acme.pk, today)
    assert [item["name"] for item in answer["items"]] == names(board)
    assert (answer["count"], answer["page"], answer["pages"]) == (4, 1, 1)
    first = answer["items"][0]
    assert {"health", "health_band", "trend", "value_balance", "open_pipeline", "alerts"} <= set(
        first
    )
    only = maria.get(f"/api/workspaces/{world.acme.pk}/dashboard", {"stage": "prospect"}).json()
    assert [item["name"] for item in only["items"]] == ["Empty"]
    bad = maria.get(f"/api/workspaces/{world.acme.pk}/dashboard", {"band": "great"})
    assert bad.status_code == 400 and "band" in bad.json()["errors"]
