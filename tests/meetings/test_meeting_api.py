"""Meetings over the API: the history with each reader's figures, one recap cut down to
what the caller may see, and starting a meeting."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tandem.accounts.actors import actor_for
from tandem.accounts.services import token_create
from tandem.meetings import services
from tandem.meetings.models import Meeting
from tests.conftest import World

pytestmark = pytest.mark.django_db


def api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


def _held(world: World, capture: Any) -> Meeting:
    maria, pat = actor_for(world.maria), actor_for(world.pat)
    meeting = services.meeting_start(actor=maria, partnership=world.northwind)
    meeting.partnership = world.northwind
    services.meeting_join(meeting, actor=pat)
    services.headline_add(meeting, actor=pat, kind="customer", text="Contoso renewed")
    services.headline_add(
        meeting, actor=maria, kind="partner", text="Their CFO is leaving", visibility="internal"
    )
    services.rate(meeting, actor=pat, rating=9)
    with capture(execute=True):
        services.meeting_end(meeting, actor=maria, version=meeting.version)
    return meeting


def test_history_and_recap_are_cut_to_what_the_caller_may_see(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _held(world, django_capture_on_commit_callbacks)
    url = f"/api/partnerships/{world.northwind.pk}/meetings"

    listed = api(world.pat).get(url).json()
    assert listed["count"] == 1
    row = listed["items"][0]
    assert row["id"] == meeting.pk and row["kind"] == "pulse" and row["live"] is False
    assert row["rating_average"] == 9.0
    assert api(world.maria).get(url, {"q": "CFO"}).json()["count"] == 1
    assert api(world.pat).get(url, {"q": "CFO"}).json()["count"] == 0

    theirs = api(world.pat).get(f"{url}/{meeting.pk}").json()
    ours = api(world.maria).get(f"{url}/{meeting.pk}").json()
    assert [h["text"] for h in theirs["recap"]["headlines"]] == ["Contoso renewed"]
    assert {h["text"] for h in ours["recap"]["headlines"]} == {
        "Contoso renewed",
        "Their CFO is leaving",
    }
    assert world.internal_rock.title not in str(theirs)
    assert world.internal_rock.title in str(ours)
    assert {a["name"]: a["rating"] for a in theirs["attendees"]}["Pat Northwind"] == 9

    assert api(world.lee).get(f"{url}/{meeting.pk}").status_code == 404
    assert api(world.olga).get(url).status_code == 404


def test_starting_over_the_api_refuses_a_second_running_meeting(world: World) -> None:
    url = f"/api/partnerships/{world.northwind.pk}/meetings"
    started = api(world.pat).post(url, {"kind": "quarterly"}, content_type="application/json")
    assert started.status_code == 201
    assert started.json()["live"] is True and started.json()["section"] == "segue"
    again = api(world.maria).post(url, {}, content_type="application/json")
    assert again.status_code == 400
    assert "already running" in again.json()["detail"]
    bad = api(world.maria).post(url, {"kind": "daily"}, content_type="application/json")
    assert bad.status_code in {400, 422}


def test_an_item_made_internal_after_the_meeting_leaves_pats_recap(
    world: World, django_capture_on_commit_callbacks: Any, as_pat: Client
) -> None:
    """The recap is written when the meeting ends, but what Pat reads of it follows each
    item's visibility now: on the recap page, over the API and in the history's search."""
    from tandem.core import services as core
    from tandem.meetings.models import Headline

    meeting = _held(world, django_capture_on_commit_callbacks)
    headline = Headline.objects.get(meeting=meeting, text="Contoso renewed")
    url = f"/api/partnerships/{world.northwind.pk}/meetings"
    page = f"/partnerships/{world.northwind.pk}/meetings/{meeting.pk}/"
    history = f"/partnerships/{world.northwind.pk}/meetings/"
    assert "Contoso renewed" in as_pat.get(page).content.decode()
    assert api(world.pat).get(url, {"q": "Contoso"}).json()["count"] == 1
    assert page in as_pat.get(history, {"q": "Contoso"}).content.decode()

    maria = actor_for(world.maria)
    core.update(headline, actor=maria, version=headline.version, changes={"visibility": "internal"})

    assert "Contoso renewed" not in as_pat.get(page).content.decode()
    assert "Contoso renewed" not in str(api(world.pat).get(f"{url}/{meeting.pk}").json())
    assert api(world.pat).get(url, {"q": "Contoso"}).json()["count"] == 0
    assert page not in as_pat.get(history, {"q": "Contoso"}).content.decode()
    # Maria still reads it and finds it.
    assert api(world.maria).get(url, {"q": "Contoso"}).json()["count"] == 1
    assert "Contoso renewed" in str(api(world.maria).get(f"{url}/{meeting.pk}").json())


def test_the_recaps_completion_counts_the_todos_the_reader_sees_now(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from tandem.core import services as core
    from tandem.meetings import selectors
    from tandem.traction.models import Todo

    maria = actor_for(world.maria)
    meeting = services.meeting_start(actor=maria, partnership=world.northwind)
    day = selectors.meeting_day(meeting)
    for title, done in (("Send the price list", True), ("Book the workshop", False)):
        Todo.objects.create(
            workspace=world.acme, partnership=world.northwind, title=title, owner=world.pat,
            due_on=day, done_at=meeting.started_at if done else None,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_end(meeting, actor=maria, version=meeting.version)
    url = f"/api/partnerships/{world.northwind.pk}/meetings"
    row = api(world.pat).get(url).json()["items"][0]
    assert (row["todos_done"], row["todos_due"]) == (1, 2)

    done = Todo.objects.get(title="Send the price list")
    core.update(done, actor=maria, version=done.version, changes={"visibility": "internal"})
    row = api(world.pat).get(url).json()["items"][0]
    assert (row["todos_done"], row["todos_due"]) == (0, 1)
    assert api(world.maria).get(url).json()["items"][0]["todos_due"] == 2
