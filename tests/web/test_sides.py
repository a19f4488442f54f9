"""Every side is named from the reader's side: Pat (Northwind, partner side) and Maria (Acme
Analytics, member) read the same pages, each calling their own side "we" or "your side" and
the other by its name."""

from __future__ import annotations

import html

import pytest

from tandem.core.sides import side_name, sides_for
from tandem.relationship.asks.services import ask_answer, ask_create
from tandem.relationship.people.services import seat_create
from tests.conftest import World


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_the_helper_names_each_side_for_each_reader(world: World) -> None:
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    northwind = world.northwind
    assert side_name("ours", maria, northwind).label == "Your side · Acme Analytics"
    assert side_name("partner", maria, northwind).label == "Partner side · Northwind"
    assert side_name("ours", pat, northwind).label == "Acme Analytics"
    assert side_name("partner", pat, northwind).label == "Your side · Northwind"
    assert side_name("ours", pat, northwind).does("provide") == "Acme Analytics provides"
    assert side_name("partner", pat, northwind).does("provide") == "we provide"
    assert side_name("ours", pat, northwind).possessive == "Acme Analytics's"
    assert sides_for(pat, northwind)["mine"].name == "Northwind"
    with pytest.raises(ValueError):
        side_name("theirs", pat, northwind)


@pytest.mark.parametrize(
    ("reader", "page", "says", "never"),
    [
        ("maria", "commitments", ["What we provide", "What Northwind provides"], []),
        (
            "pat",
            "commitments",
            ["What Acme Analytics provides", "What we provide"],
            ["What Northwind provides"],
        ),
        ("maria", "values", ["Our program's values", "Northwind's values"], []),
        (
            "pat",
            "values",
            ["Acme Analytics's values", "Our values", "Add one of your values"],
            ["Our program's values", "Northwind's values"],
        ),
        ("maria", "people", ["Your side · Acme Analytics", "Partner side · Northwind"], []),
        ("pat", "people", [">Acme Analytics</h2>", "Your side · Northwind"], ["Our side"]),
        (
            "maria",
            "asks",
            ["We ask Northwind", "Northwind asks us", "Northwind answers in", "We answer in"],
            [],
        ),
        (
            "pat",
            "asks",
            ["We ask Acme Analytics", "Acme Analytics asks us", "Acme Analytics answers in"],
            ["We ask Northwind", "Northwind asks Acme Analytics"],
        ),
    ],
)
def test_each_page_names_the_sides_from_the_readers_side(
    world: World, as_maria, as_pat, reader, page, says, never
) -> None:
    client = as_maria if reader == "maria" else as_pat
    url = f"/partnerships/{world.northwind.pk}/{page + '/' if page else ''}"
    text = _page(client, url)
    for words in says:
        assert words in text, f"{reader} should read {words!r} on {url}"
    for words in never:
        assert words not in text, f"{reader} should not read {words!r} on {url}"


def test_the_value_form_names_acmes_values_as_acmes_for_pat(world: World, as_maria, as_pat) -> None:
    url = f"/partnerships/{world.northwind.pk}/values/"
    text = _page(as_pat, url)
    assert "Matches Acme Analytics's value" in text and "None of Acme Analytics's" in text
    assert "Matches our value" in _page(as_maria, url)


def test_a_seat_edit_page_names_its_side_for_the_reader(world: World, as_maria, as_pat) -> None:
    seat = seat_create(
        actor=world.actor(world.pat),
        partnership=world.northwind,
        side="partner",
        role="Partner champion",
        user=world.pat,
    )
    url = f"/partnerships/{world.northwind.pk}/people/seats/{seat.pk}/edit/"
    assert "· Your side · Northwind" in _page(as_pat, url)
    assert "· Partner side · Northwind" in _page(as_maria, url)


def test_the_overview_names_who_answers_asks_from_the_readers_side(
    world: World, as_maria, as_pat
) -> None:
    ask = ask_create(actor=world.actor(world.pat), partnership=world.northwind, title="An intro")
    ask_answer(ask, actor=world.actor(world.maria), version=ask.version, answer="Done")
    url = f"/partnerships/{world.northwind.pk}/"
    assert "We answer in" in _page(as_maria, url)
    pat = _page(as_pat, url)
    assert "Acme Analytics answers in" in pat and ", we answer in" in pat
    assert "We answer in" not in pat


def test_an_empty_seats_warning_says_whose_side_it_is_on(world: World, as_maria, as_pat) -> None:
    seat_create(
        actor=world.actor(world.pat),
        partnership=world.northwind,
        side="partner",
        role="Partner executive",
    )
    url = f"/partnerships/{world.northwind.pk}/people/"
    assert "The Partner executive seat on your side is empty" in _page(as_pat, url)
    assert "The Partner executive seat on the partner side is empty" in _page(as_maria, url)
    overview = _page(as_pat, f"/partnerships/{world.northwind.pk}/")
    assert "The Partner executive seat on your side is empty" in overview
