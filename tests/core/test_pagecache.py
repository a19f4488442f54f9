"""Cached pages are never stale and never shared between people who see different things."""

from __future__ import annotations

from django.test import Client

from tandem.core.access import Visibility
from tandem.partners import services
from tandem.partners.models import Note
from tests.conftest import World, client_for


def _page(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def test_a_change_by_someone_else_shows_at_once(world: World, as_pat) -> None:
    url = f"/partnerships/{world.northwind.pk}/"
    _page(as_pat, url)
    first = _page(as_pat, url)  # now served from the cache
    assert "Fresh agenda" not in first
    services.item_create(
        Note,
        actor=world.actor(world.maria),
        partnership=world.northwind,
        title="Fresh agenda",
        body="",
    )
    assert "Fresh agenda" in _page(as_pat, url)


def test_people_who_see_different_things_never_share_a_page(world: World) -> None:
    url = f"/partnerships/{world.northwind.pk}/"
    maria, pat = client_for(world.maria), client_for(world.pat)
    # Same CSRF secret on purpose: only who is asking differs.
    _page(maria, url)
    pat.cookies["csrftoken"] = maria.cookies["csrftoken"].value
    maria_page, pat_page = _page(maria, url), _page(pat, url)
    assert "Margin we can accept" in maria_page
    assert "Margin we can accept" not in pat_page


def test_a_flash_message_shows_once_then_the_page_is_cached_again(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/"
    _page(as_maria, url)
    response = as_maria.post(
        url + "notes/new/", {"title": "Agreed", "visibility": Visibility.SHARED}, follow=True
    )
    assert "The note was added." in response.content.decode()
    assert "The note was added." not in _page(as_maria, url)
    assert "Agreed" in _page(as_maria, url)


def test_cached_forms_still_pass_the_csrf_check(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.maria, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/partnerships/{world.northwind.pk}/"
    client.get(url)
    page = _page(client, url)  # from the cache
    token = page.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = client.post(
        f"/partnerships/{world.northwind.pk}/invite/",
        {"email": "kim@northwind.example", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
