"""The portfolio: filters, search, sorting, pagination — at a cost that does not grow."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import World
from tests.factories import PartnershipFactory


def names(response) -> list[str]:
    return [p.name for p in response.context["page"].object_list]


def test_maria_sees_her_workspace_partnerships_only(world: World, as_maria) -> None:
    response = as_maria.get("/partnerships/")
    assert names(response) == ["Globex", "Northwind"]
    assert "Initrode" not in response.content.decode()


def test_filters_search_and_sort(world: World, as_maria) -> None:
    PartnershipFactory(workspace=world.acme, name="Umbrella", stage="prospect", horizon="strategic")
    PartnershipFactory(workspace=world.acme, name="Hooli", stage="paused", owner=world.lena)
    assert names(as_maria.get("/partnerships/?stage=prospect")) == ["Umbrella"]
    assert names(as_maria.get("/partnerships/?horizon=strategic")) == ["Umbrella"]
    assert names(as_maria.get(f"/partnerships/?owner={world.lena.pk}")) == ["Hooli"]
    assert names(as_maria.get("/partnerships/?q=north")) == ["Northwind"]
    assert names(as_maria.get("/partnerships/?sort=-name")) == [
        "Umbrella",
        "Northwind",
        "Hooli",
        "Globex",
    ]


def test_nonsense_filters_are_ignored_not_errors(world: World, as_maria) -> None:
    response = as_maria.get("/partnerships/?stage=bogus&owner=abc&sort=evil&page=999999999999")
    assert response.status_code == 200


def test_htmx_request_gets_only_the_results_fragment(world: World, as_maria) -> None:
    response = as_maria.get("/partnerships/?q=glo", headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="portfolio-results">')
    assert "Globex" in page and "<html" not in page


def test_archived_partnerships_leave_the_portfolio(world: World, as_maria) -> None:
    response = as_maria.post(f"/partnerships/{world.globex.pk}/archive/", {"version": 1})
    assert response.status_code == 302
    assert names(as_maria.get("/partnerships/")) == ["Northwind"]
    assert names(as_maria.get("/partnerships/?archived=on")) == ["Globex"]
    as_maria.post(f"/partnerships/{world.globex.pk}/restore/", {"version": 2})
    assert names(as_maria.get("/partnerships/")) == ["Globex", "Northwind"]


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/partnerships/", "/partnerships/?sort=-updated&q=a"])
def test_portfolio_query_count_does_not_grow_with_partnerships(
    world: World, as_maria, url: str
) -> None:
    PartnershipFactory.create_batch(8, workspace=world.acme, owner=world.maria, sponsor=world.lena)
    few = _queries(as_maria, url)
    PartnershipFactory.create_batch(
        190, workspace=world.acme, owner=world.maria, sponsor=world.lena
    )
    assert _queries(as_maria, url) == few


def test_portfolio_is_paginated(world: World, as_maria) -> None:
    PartnershipFactory.create_batch(30, workspace=world.acme)
    first = as_maria.get("/partnerships/")
    assert len(names(first)) == 25
    assert "1–25 of 32" in first.content.decode()
    assert len(names(as_maria.get("/partnerships/?page=2"))) == 7
