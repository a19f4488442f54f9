"""Withdrawing and reopening an ask from its page: one click naming the version seen."""

from __future__ import annotations

from django.contrib.messages import get_messages

from tandem.relationship.asks import services
from tandem.relationship.asks.models import AskStatus
from tests.conftest import World


def _said(response) -> list[str]:  # type: ignore[no-untyped-def]
    """What this response says (the client keeps earlier redirects' messages unread)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def test_withdraw_and_reopen_from_the_page(world: World, as_pat, as_maria) -> None:
    ask = services.ask_create(
        actor=world.actor(world.pat), partnership=world.northwind, title="Booth at NRF"
    )
    url = f"/partnerships/{world.northwind.pk}/asks/{ask.pk}/"
    stale = as_pat.post(f"{url}withdraw/", {"version": ask.version - 1})
    assert (stale.status_code, stale["Location"]) == (302, url)
    assert _said(stale) == ["Someone changed this ask while you were reading it. Here it is now."]
    done = as_pat.post(f"{url}withdraw/", {"version": ask.version})
    assert (done.status_code, done["Location"], _said(done)) == (
        302,
        url,
        ["The ask was withdrawn."],
    )
    again = as_pat.post(f"{url}withdraw/", {"version": ask.version + 1})
    assert again.status_code == 400 and _said(again) == ["Only open asks can be withdrawn."]
    assert as_pat.post(f"{url}withdraw/", {"version": "x"}).status_code == 400
    reopened = as_maria.post(f"{url}reopen/", {"version": ask.version + 1})
    assert _said(reopened) == ["The ask is open again."]
    ask.refresh_from_db()
    assert ask.status == AskStatus.OPEN
    shut = as_maria.post(f"{url}reopen/", {"version": ask.version})
    assert shut.status_code == 400 and _said(shut) == ["This ask is already open."]
