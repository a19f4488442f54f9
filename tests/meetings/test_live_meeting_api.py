"""The running meeting over the API: each of the page's controls through the same service,
with the same refusals (only the facilitator runs the meeting; a stale version is a conflict)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core import mail

from tandem.accounts.actors import actor_for
from tandem.issues.models import Issue
from tandem.meetings import services
from tandem.meetings.models import Attendee, Headline, Meeting
from tandem.traction.models import Todo
from tests.conftest import World
from tests.meetings.test_meeting_api import api

pytestmark = pytest.mark.django_db


def _running(world: World) -> tuple[Meeting, str]:
    """A weekly pulse Maria facilitates and Pat attends; the meeting's API address."""
    meeting = services.meeting_start(actor=actor_for(world.maria), partnership=world.northwind)
    services.meeting_join(meeting, actor=actor_for(world.pat))
    return meeting, f"/api/partnerships/{world.northwind.pk}/meetings/{meeting.pk}"


def _version(meeting: Meeting) -> int:
    meeting.refresh_from_db()
    return meeting.version


def test_the_facilitator_runs_the_meeting_over_the_api(world: World) -> None:
    meeting, url = _running(world)
    maria = api(world.maria)
    timer = maria.post(
        f"{url}/timer", {"running": False, "version": _version(meeting)}, "application/json"
    )
    assert timer.status_code == 200, timer.content
    section = meeting.section_keys[1]
    moved = maria.post(
        f"{url}/section", {"section": section, "version": _version(meeting)}, "application/json"
    )
    assert moved.status_code == 200 and moved.json()["section"] == section
    absent = maria.post(f"{url}/absences", {"user_id": world.pat.pk}, "application/json")
    assert absent.status_code == 200 and absent.json()["absent"] is True
    assert Attendee.objects.get(meeting=meeting, user=world.pat).absent
    back = {"user_id": world.pat.pk, "absent": False}
    assert maria.post(f"{url}/absences", back, "application/json").json()["absent"] is False
    stranger = maria.post(f"{url}/absences", {"user_id": world.olga.pk}, "application/json")
    assert (
        stranger.status_code == 400 and "not part of this partnership" in stranger.json()["detail"]
    )
    handed = maria.post(
        f"{url}/facilitator", {"user_id": world.pat.pk, "version": _version(meeting)},
        "application/json",
    )  # fmt: skip
    assert handed.status_code == 200, handed.content
    assert Meeting.objects.get(pk=meeting.pk).facilitator_id == world.pat.pk


def test_only_the_facilitator_and_only_at_the_current_version(world: World) -> None:
    meeting, url = _running(world)
    stale = _version(meeting)
    paused = api(world.maria).post(
        f"{url}/timer", {"running": False, "version": stale}, "application/json"
    )
    assert paused.status_code == 200
    refused = api(world.maria).post(
        f"{url}/section", {"section": meeting.section_keys[1], "version": stale}, "application/json"
    )
    assert refused.status_code == 409
    assert refused["Content-Type"] == "application/problem+json"
    now = {"section": meeting.section_keys[1], "version": _version(meeting)}
    not_theirs = api(world.pat).post(f"{url}/section", now, "application/json")
    assert not_theirs.status_code == 400
    assert "Only the facilitator" in not_theirs.json()["detail"]
    unknown = api(world.maria).post(
        f"{url}/section", {"section": "nap", "version": _version(meeting)}, "application/json"
    )
    assert unknown.status_code == 400 and "agenda" in unknown.json()["detail"]


def test_everyone_adds_headlines_loose_ends_and_a_rating(world: World) -> None:
    meeting, url = _running(world)
    pat = api(world.pat)
    added = pat.post(
        f"{url}/headlines", {"kind": "customer", "text": "Contoso renewed"}, "application/json"
    )
    assert added.status_code == 201 and added.json()["visibility"] == "shared"
    headline = Headline.objects.get(pk=added.json()["id"])
    assert pat.delete(f"{url}/headlines/{headline.pk}").status_code == 204
    assert not Headline.objects.filter(pk=headline.pk).exists()
    todo = pat.post(
        f"{url}/loose-ends",
        {"text": "Send the deck", "owner_id": world.pat.pk, "due_on": "2026-12-18"},
        "application/json",
    )
    assert todo.status_code == 201 and todo.json()["kind"] == "todo", todo.content
    assert Todo.objects.get(pk=todo.json()["id"]).due_on == dt.date(2026, 12, 18)
    issue = pat.post(f"{url}/loose-ends", {"text": "Pricing unclear"}, "application/json")
    assert issue.status_code == 201 and issue.json()["kind"] == "issue"
    assert Issue.objects.filter(pk=issue.json()["id"], title="Pricing unclear").exists()
    rated = pat.put(f"{url}/rating", {"rating": 9}, "application/json")
    assert rated.status_code == 200 and rated.json()["rating"] == 9
    assert pat.put(f"{url}/rating", {"rating": 11}, "application/json").status_code == 400


def test_pat_cannot_delete_marias_internal_headline_he_cannot_see(world: World) -> None:
    meeting, url = _running(world)
    internal = services.headline_add(
        meeting, actor=actor_for(world.maria), kind="partner", text="CFO leaving",
        visibility="internal",
    )  # fmt: skip
    assert api(world.pat).delete(f"{url}/headlines/{internal.pk}").status_code == 404
    assert Headline.objects.filter(pk=internal.pk).exists()


def test_ending_over_the_api_stores_and_mails_the_recap(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    meeting, url = _running(world)
    with django_capture_on_commit_callbacks(execute=True):
        ended = api(world.maria).post(
            f"{url}/end", {"version": _version(meeting)}, "application/json"
        )
    assert ended.status_code == 200 and ended.json()["live"] is False
    assert Meeting.objects.get(pk=meeting.pk).ended_at is not None
    assert {tuple(message.to) for message in mail.outbox} >= {(world.pat.email,)}
    again = api(world.maria).post(f"{url}/end", {"version": _version(meeting)}, "application/json")
    assert again.status_code == 400
