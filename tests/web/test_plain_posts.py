"""Every htmx action also works as a plain page (a new tab, no JavaScript).

A POST without the HX-Request header answers a redirect with a message or a whole page,
never the bare fragment htmx would swap into a page that is not there; and a page never
carries an htmx action aimed at an element it does not have (htmx then does nothing at all:
``htmx:targetError``). Routes come from the URL resolver, as in tests/test_access.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from tandem.core.forms import FORM_METHODS
from tandem.scorecard.models import Entry
from tests.conftest import World, client_for
from tests.test_access import PERIOD, _reachable, _request, page_routes

ROUTES = [route for route, _ in page_routes()]


def _url(route: str, reachable: dict[str, Any], url_name: str) -> str:
    def value(match: re.Match[str]) -> str:
        options = reachable[match.group(1)]
        return str(options.get(url_name, options.get("*"))[0])

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", value, route)


def _is_html(response: Any) -> bool:
    return response.get("Content-Type", "").startswith("text/html")


@pytest.mark.parametrize("route", ROUTES)
def test_a_plain_post_answers_a_page_or_a_redirect(world: World, route: str) -> None:
    pattern = dict(page_routes())[route]
    url = _url(route, _reachable(world), pattern.name or "")
    for user in (world.lena, world.pat):
        response = _request(client_for(user), "post", url)
        if response.status_code in {301, 302, 303, 403, 404, 405} or not _is_html(response):
            continue  # a redirect, a refusal, or not a page at all (a feed, plain text)
        body = response.content.decode()
        assert "<html" in body, (
            f"POST {url} as {user.email} without htmx answered {response.status_code}"
            f" with a fragment:\n{body[:300]}"
        )


class _Targets(HTMLParser):
    """The ids a page has, the #ids its htmx attributes aim at, and its fields' names."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.targets: set[str] = set()
        self.fields: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("id"):
            self.ids.add(found["id"] or "")
        if tag in {"input", "select", "textarea", "button"} and found.get("name"):
            self.fields.add(found["name"] or "")
        target = found.get("hx-target") or ""
        if target.startswith("#"):
            self.targets.add(target[1:])


@pytest.mark.parametrize("route", ROUTES)
def test_pages_aim_htmx_at_what_they_have_and_hide_no_form_method(world: World, route: str) -> None:
    pattern = dict(page_routes())[route]
    url = _url(route, _reachable(world), pattern.name or "")
    for user in (world.lena, world.pat):
        response = _request(client_for(user), "get", url)
        if response.status_code != 200 or not _is_html(response):
            continue
        page = _Targets()
        page.feed(response.content.decode())
        missing = page.targets - page.ids
        assert not missing, f"GET {url} as {user.email}: htmx aims at #{', #'.join(missing)}"
        hiding = page.fields & FORM_METHODS
        assert not hiding, f"GET {url} as {user.email}: fields hide the form's {hiding}"


def test_a_scorecard_cell_opened_on_its_own_saves_and_says_so(world: World) -> None:
    """Maria opens a cell in a new tab (its own page), types a value and presses Save."""
    measurable = world.shared_measurable
    url = f"/partnerships/{world.northwind.pk}/scorecard/{measurable.pk}/{PERIOD}/"
    maria = client_for(world.maria)
    page = maria.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'action="{url}"' in body and 'method="post"' in body
    assert "hx-post" not in body  # the page's own form: a plain submit, nothing to swap into

    saved = maria.post(url, {"value": "7", "version": ""})
    assert saved.status_code == 302
    assert Entry.objects.get(measurable=measurable, period_start=PERIOD).value == 7
    shown = maria.get(saved["Location"])
    assert f"Saved: {measurable.title}" in shown.content.decode()
    assert "Saved:" not in maria.get(saved["Location"]).content.decode()  # said once

    refused = maria.post(url, {"value": "x" * 41, "version": ""})
    assert refused.status_code == 400
    assert "<html" in refused.content.decode()
    assert "Enter a value of at most 40 characters." in refused.content.decode()


def test_htmx_still_gets_the_row(world: World) -> None:
    measurable = world.shared_measurable
    url = f"/partnerships/{world.northwind.pk}/scorecard/{measurable.pk}/{PERIOD}/"
    response = client_for(world.maria).post(url, {"value": "8"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and f'id="m-{measurable.pk}"' in body
