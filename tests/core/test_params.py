"""Query parameters are read one way everywhere: what is never valid is refused once, with a
4xx a person or a program can act on; dates stay in a window no date arithmetic overflows.

Every route and every declared API parameter is tried in tests/test_access.py
(``test_pages_survive_garbage``, ``test_api_query_parameters_survive_garbage``)."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client, RequestFactory

from tandem.accounts.services import token_create
from tandem.core.errors import InvalidInput
from tandem.core.params import SEARCH_LIMIT, _control, query_date, query_quarter, query_text
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


@pytest.mark.parametrize(
    ("char", "refused"),
    [
        ("\x00", True), ("\x1f", True), (" ", False), ("~", False), ("\x7f", True),
        ("\x80", True), ("\x9f", True), ("\xa0", False), ("\ud7ff", False),
        ("\ue000", False), ("é", False), ("💥", False),
    ],
)  # fmt: skip
def test_a_query_value_with_a_control_character_is_refused(
    world: World, char: str, refused: bool
) -> None:
    """C0 and C1 controls are refused; the characters next to each range are searched for."""
    page = client_for(world.lena).get(
        f"/partnerships/{world.northwind.pk}/meetings/", {"q": f"a{char}b"}
    )
    assert page.status_code == (400 if refused else 200)


def test_half_of_a_surrogate_pair_counts_as_a_control_character() -> None:
    # No address can carry one (it is no character of UTF-8), but a decoder could hand one
    # over; no database stores it.
    assert _control("a\ud800b") and _control("\udfff")
    assert not _control("\ud7ff\ue000")


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


def test_pages_read_dates_text_and_quarters_the_same_way() -> None:
    request = RequestFactory().get(
        "/", {"to": "2026-03-02", "far": "9999-12-31", "q": "  deck  ", "quarter": "2100-4"}
    )
    assert query_date(request, "to") == date(2026, 3, 2)
    assert query_date(request, "far") is None
    assert query_date(request, "missing") is None
    assert query_text(request) == "deck"
    assert query_text(RequestFactory().get("/", {"q": "x" * SEARCH_LIMIT})) == "x" * SEARCH_LIMIT
    with pytest.raises(InvalidInput):
        query_text(RequestFactory().get("/", {"q": "x" * (SEARCH_LIMIT + 1)}))
    assert query_quarter(request) == (2100, 4)
    for quarter in ("2101-1", "1999-4", "2026-5", "99999999999999999999-1", "💥", ""):
        assert query_quarter(RequestFactory().get("/", {"quarter": quarter})) is None, quarter


def _search_boxes(world: World) -> list[tuple[str, str]]:
    """Each search box: its page and the API list behind it."""
    northwind = world.northwind.pk
    return [
        (f"/partnerships/{northwind}/meetings/", f"/api/partnerships/{northwind}/meetings"),
        (f"/partnerships/{northwind}/issues/solved/", f"/api/partnerships/{northwind}/issues"),
        ("/partnerships/", "/api/partnerships"),
    ]


def test_every_search_box_takes_the_same_length_on_pages_and_in_the_api(world: World) -> None:
    """Up to the limit a search is run as typed (not cut short); past it, the page says so
    (400) as the API does (422) — never a silent answer to a shorter question."""
    from tandem.issues.models import Issue

    long_title = "Partner deck " + "x" * (SEARCH_LIMIT - 13)
    Issue.objects.filter(pk=world.shared_issue.pk).update(title=long_title)
    client = client_for(world.lena)
    api = _api(world)
    for page, endpoint in _search_boxes(world):
        assert client.get(page, {"q": "x" * SEARCH_LIMIT}).status_code == 200, page
        refused = client.get(page, {"q": "x" * (SEARCH_LIMIT + 1)})
        assert refused.status_code == 400, page
        assert f"Keep a search to {SEARCH_LIMIT} characters." in refused.content.decode()
        query = {"q": "x" * SEARCH_LIMIT, "solved": "true"}
        assert api.get(endpoint, query).status_code == 200, endpoint
        refused = api.get(endpoint, {**query, "q": "x" * (SEARCH_LIMIT + 1)})
        assert refused.status_code == 422, endpoint
        assert "query.q" in refused.json()["errors"]


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_body_dates_at_the_ends_of_the_calendar_are_refused_not_crashes(
    world: World, day: str
) -> None:
    """The schedule's first day and a review's day: the API names the field (422), the page
    shows the message under it (400), and nothing is saved."""
    from tandem.meetings.models import Schedule
    from tandem.relationship.commitments.models import CommitmentReview
    from tests.test_access import _promises

    northwind = world.northwind.pk
    api = _api(world)
    response = api.put(
        f"/api/partnerships/{northwind}/meetings/schedule",
        {"version": 0, "starts_on": day},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "between 2000 and 2100" in str(response.json()["errors"]["starts_on"])
    commitment = _promises(world)["shared_commitment"]
    reviews = CommitmentReview.objects.count()
    response = api.post(
        f"/api/partnerships/{northwind}/commitments/{commitment}/reviews",
        {"kept": True, "on": day},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert "between 2000 and 2100" in str(response.json()["errors"]["on"])
    page = client_for(world.lena).post(
        f"/partnerships/{northwind}/meetings/schedule/save/",
        {
            "version": "0", "partnership_version": str(world.northwind.version),
            "cadence": "weekly", "weekday": "1", "time": "09:00", "timezone": "UTC",
            "starts_on": day, "segue_minutes": "5", "scorecard_minutes": "5",
            "rocks_minutes": "5", "todos_minutes": "5", "issues_minutes": "45",
            "conclusion_minutes": "5",
        },
    )  # fmt: skip
    assert page.status_code == 400
    field = page.context["form"]["starts_on"]
    assert field.errors == ["Choose a date between 2000 and 2100."]
    assert 'max="2100-12-31"' in str(field)
    assert not Schedule.objects.filter(partnership=world.northwind).exists()
    assert CommitmentReview.objects.count() == reviews


def test_the_services_behind_both_refuse_dates_outside_the_window(world: World) -> None:
    from tandem.meetings.schedule.services import schedule_save
    from tandem.traction.services import todo_create

    lena = world.actor(world.lena)
    with pytest.raises(InvalidInput) as refused:
        schedule_save(
            actor=lena, partnership=world.northwind, version=0, starts_on=date(9999, 12, 31)
        )
    assert refused.value.errors == {"starts_on": ["Choose a date between 2000 and 2100."]}
    with pytest.raises(InvalidInput) as refused:
        todo_create(actor=lena, partnership=world.northwind, title="Far", due_on=date(1, 1, 1))
    assert refused.value.errors == {"due_on": ["Choose a date between 2000 and 2100."]}


def test_every_date_a_page_form_takes_keeps_to_the_window() -> None:
    """A form's date field is a ``DayField``, so a new one cannot forget the window."""
    import importlib
    import pkgutil

    from django import forms

    import tandem
    from tandem.core.forms import DayField

    for module in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if module.name.rsplit(".", 1)[-1].endswith("forms"):
            importlib.import_module(module.name)

    def subclasses(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in subclasses(child))]

    loose = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in subclasses(forms.BaseForm)
        if form.__module__.startswith("tandem.")
        for name, field in getattr(form, "base_fields", {}).items()
        if isinstance(field, forms.DateField) and not isinstance(field, DayField)
    ]
    assert not loose, f"Date fields outside the window: {loose}"
    assert any(
        isinstance(field, DayField)
        for form in subclasses(forms.BaseForm)
        for field in getattr(form, "base_fields", {}).values()
    )


def test_pages_and_the_api_show_the_same_quarters_and_periods(world: World) -> None:
    """A quarter or a scorecard period years away is shown by both, the same window."""
    client = client_for(world.lena)
    api = _api(world)
    northwind = world.northwind.pk
    rocks = client.get(f"/partnerships/{northwind}/rocks/", {"quarter": "2090-2"})
    assert rocks.status_code == 200 and "Rocks · Q2 2090" in rocks.content.decode()
    assert api.get(f"/api/partnerships/{northwind}/rocks?year=2090&quarter=2").status_code == 200
    outside = client.get(f"/partnerships/{northwind}/rocks/", {"quarter": "2101-1"})
    assert "Rocks · Q1 2101" not in outside.content.decode()
    assert api.get(f"/api/partnerships/{northwind}/rocks?year=2101&quarter=1").status_code == 422
    grid = client.get(f"/partnerships/{northwind}/scorecard/", {"to": "2090-01-02"})
    # The link to the 13 periods before names the grid's start: it is anchored in 2090.
    assert grid.status_code == 200 and "to=2089-10-03" in grid.content.decode()
    listed = api.get(f"/api/partnerships/{northwind}/measurables?to=2090-01-02")
    assert listed.status_code == 200
