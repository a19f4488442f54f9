"""Query parameters are read one way everywhere: what is never valid is refused once, with a
4xx a person or a program can act on; dates stay in a window no date arithmetic overflows.

Every route and every declared API parameter is tried in tests/test_access.py
(``test_pages_survive_garbage``, ``test_api_query_parameters_survive_garbage``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client, RequestFactory

from tandem.accounts.services import token_create
from tandem.core.params import query_date, query_id, query_text
from tests.conftest import World, client_for


def _api(world: World) -> Client:
    secret = token_create(user=world.lena, name="test")[1]
    return Client(headers={"Authorization": f"Bearer {secret}"})


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_lena_asking_for_a_scorecard_at_the_end_of_time_is_told_the_window(
    world: World, day: str
) -> None:
    response = _api(world).get(f"/api/partnerships/{world.northwind.pk}/measurables?to={day}")
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/problem+json")
    assert "between 2000 and 2100" in str(response.json()["errors"]["query.to"])


def test_the_scorecard_page_at_the_end_of_time_shows_this_period(world: World) -> None:
    for day in ("9999-12-31", "0001-01-01"):
        response = client_for(world.lena).get(
            f"/partnerships/{world.northwind.pk}/scorecard/", {"to": day}
        )
        assert response.status_code == 200


def test_pat_searching_meetings_for_a_null_byte_is_told_what_is_wrong(world: World) -> None:
    page = client_for(world.pat).get(f"/partnerships/{world.northwind.pk}/meetings/?q=%00")
    assert page.status_code == 400
    assert "control character" in page.content.decode()
    assert "<nav" in page.content.decode() or "<main" in page.content.decode()
    secret = token_create(user=world.pat, name="test")[1]
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    response = api.get(f"/api/partnerships/{world.northwind.pk}/meetings?q=%00abc")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"] == {"q": ["Remove the control character."]}


def test_control_characters_in_a_name_or_the_path_are_refused_too(world: World) -> None:
    client = client_for(world.lena)
    assert client.get("/partnerships/?%00=1").status_code == 400
    assert client.get("/partnerships/1%00/").status_code == 400
    assert client.get(f"/partnerships/{world.northwind.pk}/meetings/?q=a%1bb").status_code == 400


def test_search_text_longer_than_any_title_is_refused_by_the_api(world: World) -> None:
    response = _api(world).get(f"/api/partnerships/{world.northwind.pk}/meetings?q={'x' * 201}")
    assert response.status_code == 422
    assert "query.q" in response.json()["errors"]


def test_rock_quarters_outside_the_window_are_refused(world: World) -> None:
    client = _api(world)
    url = f"/api/partnerships/{world.northwind.pk}/rocks"
    for query in ("year=99999999999999999999", "year=-1", "quarter=5", "quarter=0"):
        assert client.get(f"{url}?{query}").status_code == 422, query
    assert client.get(f"{url}?year=2026&quarter=4").status_code == 200


def test_commitment_sides_are_the_two_sides(world: World) -> None:
    url = f"/api/partnerships/{world.northwind.pk}/commitments"
    assert _api(world).get(f"{url}?side=💥").status_code == 422
    assert _api(world).get(f"{url}?side=partner").status_code == 200


def test_pages_read_dates_text_and_ids_the_same_way() -> None:
    request = RequestFactory().get(
        "/",
        {"to": "2026-03-02", "far": "9999-12-31", "q": "  deck  ", "id": "99999999999999999999"},
    )
    assert query_date(request, "to") == date(2026, 3, 2)
    assert query_date(request, "far") is None
    assert query_date(request, "missing") is None
    assert query_text(request) == "deck"
    assert query_text(RequestFactory().get("/", {"q": "x" * 500})) == "x" * 200
    assert query_id(request, "id") == 0
    assert query_id(RequestFactory().get("/", {"id": "12"}), "id") == 12
