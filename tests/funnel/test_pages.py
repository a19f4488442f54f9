"""The funnel pages, their API operations and the stalled deals in My week: who sees what,
empty states, and a query count that does not grow with the deals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.scope import Program
from tandem.exchange.pipeline import funnel, stays, tallies
from tandem.exchange.pipeline.models import Opportunity, StageChange
from tests.conftest import World, client_for
from tests.funnel.data import generate, stages_for

pytestmark = pytest.mark.django_db


def _url(scope: object) -> str:
    return f"/partnerships/{getattr(scope, 'pk', scope)}/funnel/"


def _api(user: object) -> Client:
    _token, secret = token_create(user=user, name="figures")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def _deal(world: World, name: str, *, days: int, visibility: str = Visibility.SHARED,
          owner: object = None, partnership: object = None) -> Opportunity:  # fmt: skip
    stage = stages_for(world.acme)[1]  # Qualified
    entered = timezone.now() - timedelta(days=days)
    deal = Opportunity.objects.create(
        workspace=world.acme,
        partnership=partnership or world.northwind,
        visibility=visibility,
        account_name=name,
        account_key=name.lower(),
        stage=stage,
        amount=Decimal("1000.00"),
        currency="EUR",
        expected_close=timezone.localdate(),
        owner=owner,
        stage_entered_at=entered,
        next_step="Call the CFO",
    )
    StageChange.objects.create(
        opportunity=deal, workspace=world.acme, to_stage=stage, changed_at=entered
    )
    return deal


def test_the_partnership_funnel_page_shows_the_figures(world: World, as_lena: Client) -> None:
    generate(world.acme, [world.northwind], 40)
    _deal(world, "Contoso", days=45)
    page = as_lena.get(_url(world.northwind))
    assert page.status_code == 200
    html = page.content.decode()
    figures = funnel.funnel(world.actor(world.lena), world.northwind)
    assert "<svg" in html and "funnel-table" in html and "forecast-table" in html
    for stage in figures.stages:
        assert f"{stage.name} · {stage.reached}" in html
    assert "Contoso" in html and "Stalled deals" in html


def test_the_portfolio_funnel_is_for_members(world: World, as_lena: Client, as_pat: Client,
                                              as_olga: Client) -> None:  # fmt: skip
    generate(world.acme, [world.northwind, world.globex], 30)
    page = as_lena.get(_url("program"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Portfolio funnel" in html and "By partnership" in html
    assert world.globex.name in html and world.northwind.name in html
    assert as_pat.get(_url("program")).status_code == 404
    # Olga's program level is Initech's: none of Acme's deals.
    theirs = as_olga.get(_url("program")).content.decode()
    assert "No deals yet" in theirs and world.northwind.name not in theirs


def test_pat_sees_only_northwinds_shared_deals(world: World, as_pat: Client,
                                               as_olga: Client) -> None:  # fmt: skip
    _deal(world, "Shared Stalled Co", days=60)
    _deal(world, "Internal Stalled Co", days=60, visibility=Visibility.INTERNAL)
    _deal(world, "Globex Stalled Co", days=60, partnership=world.globex)
    html = as_pat.get(_url(world.northwind)).content.decode()
    assert "Shared Stalled Co" in html
    assert "Internal Stalled Co" not in html and "Globex Stalled Co" not in html
    assert "Registered · 1" in html  # one deal reached the funnel, not two
    assert as_pat.get(_url(world.globex)).status_code == 404
    assert as_olga.get(_url(world.northwind)).status_code == 404

    api = _api(world.pat)
    answer = api.get(f"/api/partnerships/{world.northwind.pk}/funnel").json()
    assert answer["deals"] == 1 and answer["stalled"] == 1
    assert api.get(f"/api/partnerships/{world.globex.pk}/funnel").status_code == 404
    assert api.get("/api/partnerships/program/funnel").status_code == 404
    olga = _api(world.olga)
    assert olga.get(f"/api/partnerships/{world.northwind.pk}/forecast").status_code == 404


def test_empty_pages_say_so(world: World, as_lena: Client) -> None:
    stages_for(world.acme)
    html = as_lena.get(_url(world.northwind)).content.decode()
    assert "No deals yet" in html and "Nothing stalled" in html
    assert "No deal expected or won" in html
    html = as_lena.get(_url("program")).content.decode()
    assert "No deals yet" in html and "No deals in any partnership yet" in html


def test_the_api_answers_the_selectors_figures(world: World) -> None:
    generate(world.acme, [world.northwind, world.globex], 60)
    lena = world.actor(world.lena)
    api = _api(world.lena)
    answer = api.get("/api/partnerships/program/funnel").json()
    figures = funnel.funnel(lena, Program(world.acme))
    assert answer["deals"] == figures.deals
    assert [s["reached"] for s in answer["stages"]] == [s.reached for s in figures.stages]
    today = timezone.localdate()
    start = today - timedelta(days=365)
    forecast = api.get(
        f"/api/partnerships/{world.northwind.pk}/forecast", {"start": str(start), "end": str(today)}
    )
    assert forecast.status_code == 200
    quarters = forecast.json()["quarters"]
    assert len(quarters) == 5
    expected = funnel.forecast(lena, world.northwind, [(q["year"], q["quarter"]) for q in quarters])
    for got, want in zip(quarters, expected, strict=True):
        assert {c["currency"]: Decimal(c["forecast"]) for c in got["currencies"]} == {
            c: want.forecast.get(c, Decimal("0.00")) for c in want.currencies
        }
    backwards = api.get(
        f"/api/partnerships/{world.northwind.pk}/forecast",
        {"start": str(today), "end": str(start)},
    )
    assert backwards.status_code == 400
    assert "before the start" in backwards.content.decode()


def test_my_week_lists_my_stalled_deals(world: World, as_maria: Client, as_pat: Client) -> None:
    _deal(world, "Maria Stalled Co", days=45, owner=world.maria)
    _deal(world, "Maria Fresh Co", days=3, owner=world.maria)
    _deal(world, "Lena Stalled Co", days=45, owner=world.lena)
    _deal(world, "Internal For Pat Co", days=45, owner=world.pat, visibility=Visibility.INTERNAL)
    html = as_maria.get("/week/").content.decode()
    assert "Your stalled deals" in html and "Maria Stalled Co" in html
    assert "Maria Fresh Co" not in html and "Lena Stalled Co" not in html
    # Pat owns an internal deal he cannot see: it never reaches his week.
    assert "Internal For Pat Co" not in as_pat.get("/week/").content.decode()


def _page_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_page_queries_do_not_grow_with_the_deals(world: World, as_lena: Client,
                                                 as_maria: Client) -> None:  # fmt: skip
    generate(world.acme, [world.northwind, world.globex], 10, seed=3, owners=[world.maria])
    tallies.bring_up_to_date(world.acme.pk)  # counted again after a change (test_tallies)
    stays.count_program(world.acme.pk)  # once a day (test_program_stays)
    tallies.program_rows(world.acme.pk)  # summed again after a change (test_tallies)
    few = [
        _page_queries(as_lena, _url(world.northwind)),
        _page_queries(as_lena, _url("program")),
        _page_queries(as_maria, "/week/"),
    ]
    generate(world.acme, [world.northwind, world.globex], 190, seed=4, owners=[world.maria])
    tallies.bring_up_to_date(world.acme.pk)
    stays.count_program(world.acme.pk)
    tallies.program_rows(world.acme.pk)
    many = [
        _page_queries(as_lena, _url(world.northwind)),
        _page_queries(as_lena, _url("program")),
        _page_queries(as_maria, "/week/"),
    ]
    assert few == many


def test_the_portfolio_funnel_lists_partnerships_a_page_at_a_time(
    world: World, as_lena: Client
) -> None:
    """A program of many partnerships: the table by partnership shows 25 a page, most deals
    first, and the next page the rest."""
    from tandem.exchange.pipeline.funnel_views import PARTNERSHIPS_SHOWN
    from tandem.partners.models import Partnership

    more = Partnership.objects.bulk_create(
        Partnership(workspace=world.acme, name=f"Partner {n:02}") for n in range(28)
    )
    generate(world.acme, [world.northwind, world.globex, *more], 120, seed=5)
    shown = Opportunity.objects.filter(workspace=world.acme).values("partnership").distinct()
    count = shown.count()
    assert count > PARTNERSHIPS_SHOWN
    first = as_lena.get(_url("program")).content.decode().split('id="partnerships"')[1]
    second = as_lena.get(_url("program") + "?page=2").content.decode().split('id="partnerships"')[1]
    rows = [page.split("<tbody>")[1].split("</tbody>")[0].count("<tr>") for page in (first, second)]
    assert rows == [PARTNERSHIPS_SHOWN, count - PARTNERSHIPS_SHOWN]
    assert f"1–{PARTNERSHIPS_SHOWN} of {count}" in first


def test_the_stalled_count_stops_at_its_cap(
    world: World, as_lena: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past the cap the page says "more than" it (a program of a thousand partnerships had
    sixty thousand stalled deals to count); up to it, the exact number."""
    from tandem.exchange.pipeline import funnel_views

    for n in range(4):
        _deal(world, f"Stalled {n} Co", days=40 + n)
    monkeypatch.setattr(funnel_views, "STALLED_SHOWN", 2)
    monkeypatch.setattr(funnel_views, "STALLED_COUNTED", 3)
    html = as_lena.get(_url(world.northwind)).content.decode()
    assert "30 days or more: more than 3, the 2 longest stalled below" in html
    assert "Stalled 3 Co" in html and "Stalled 1 Co" not in html
    monkeypatch.setattr(funnel_views, "STALLED_COUNTED", 4)
    html = as_lena.get(_url(world.northwind)).content.decode()
    assert "30 days or more: 4, the 2 longest stalled below" in html
