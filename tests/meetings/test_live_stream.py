"""The live meeting's stream (Server-Sent Events): an attendee's page hears the partnership's
new data version as soon as a change commits, through Redis publish/subscribe when REDIS_URL
is set, or by the stream reading the version from the database without it."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.core import live
from tandem.meetings.models import Meeting
from tandem.partners.models import Partnership
from tests.conftest import World, client_for

pytestmark = pytest.mark.django_db

REDIS = "redis://127.0.0.1:6379/15"
THREADED = {"wsgi.multithread": True}  # what gunicorn's gthread workers say


def _start(client: Client, world: World) -> Meeting:
    client.post(reverse("meeting_start", args=[world.northwind.pk]), {"kind": "pulse"})
    return Meeting.objects.get(partnership=world.northwind, ended_at__isnull=True)


def _url(name: str, meeting: Meeting) -> str:
    return reverse(name, args=[meeting.partnership_id, meeting.pk])


def _data_version(world: World) -> int:
    return Partnership.objects.get(pk=world.northwind.pk).data_version


def _open(client: Client, meeting: Meeting) -> Iterator[bytes]:
    response = client.get(_url("meeting_stream", meeting), **THREADED)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Type"] == "text/event-stream"
    assert response["Cache-Control"] == "no-store"
    assert response["X-Accel-Buffering"] == "no"
    return iter(response.streaming_content)  # type: ignore[attr-defined]


def _headline(client: Client, meeting: Meeting, text: str) -> None:
    response = client.post(
        _url("meeting_headline_add", meeting), {"kind": "good_news", "text": text}
    )
    assert response.status_code in (200, 302)


@pytest.fixture
def redis(settings: Any) -> str:
    """A real Redis on this machine, on channels no other test run listens to."""
    import redis as client

    try:
        client.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except client.RedisError:
        pytest.skip("No Redis on 127.0.0.1:6379")
    settings.REDIS_URL = REDIS
    settings.LIVE_CHANNEL_PREFIX = f"test-{uuid.uuid4().hex}:"
    return REDIS


@pytest.fixture
def no_redis(monkeypatch: pytest.MonkeyPatch) -> None:
    """The embedded default: no Redis; the process reads the versions itself (quickly here)."""
    monkeypatch.setattr(live, "redis_url", lambda: "")
    monkeypatch.setattr(live, "POLL_S", 0.05)


def test_pats_stream_tells_him_of_marias_change_once_it_commits(
    world: World,
    as_maria: Client,
    as_pat: Client,
    redis: str,
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting = _start(as_maria, world)
    stream = _open(as_pat, meeting)
    first = next(stream).decode()
    assert first.startswith("retry: ")
    assert f"event: version\ndata: {_data_version(world)}\n\n" in first

    with django_capture_on_commit_callbacks(execute=True):
        _headline(as_maria, meeting, "Contoso renewed for three years")
    assert next(stream).decode() == f"event: version\ndata: {_data_version(world)}\n\n"


def test_a_change_is_published_once_per_transaction_with_its_version(
    world: World, as_maria: Client, redis: str, django_capture_on_commit_callbacks: Any
) -> None:
    import redis as client

    meeting = _start(as_maria, world)
    listener = client.Redis.from_url(redis).pubsub(ignore_subscribe_messages=True)
    listener.subscribe(live.channel(world.northwind.pk))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            _headline(as_maria, meeting, "One")
            _headline(as_maria, meeting, "Two")
        heard = []
        deadline = time.monotonic() + 1
        while time.monotonic() < deadline:
            message = listener.get_message(timeout=0.1)  # None for the confirmation too
            if message is not None:
                heard.append(int(message["data"]))
    finally:
        listener.close()
    # Both changes' callbacks ran after the (test's) commit: one notice, the latest version.
    assert heard == [_data_version(world)]


# The process's reader thread has a database connection of its own: it sees what committed.
@pytest.mark.django_db(transaction=True)
def test_without_redis_the_stream_reads_the_new_version_itself(
    world: World, as_maria: Client, as_pat: Client, no_redis: None
) -> None:
    meeting = _start(as_maria, world)
    stream = _open(as_pat, meeting)
    assert f"data: {_data_version(world)}\n\n" in next(stream).decode()

    _headline(as_maria, meeting, "Contoso renewed for three years")
    assert next(stream).decode() == f"event: version\ndata: {_data_version(world)}\n\n"


@pytest.mark.django_db(transaction=True)
def test_an_idle_stream_keeps_alive_then_ends_for_the_browser_to_reopen(
    world: World, as_maria: Client, as_pat: Client, no_redis: None, monkeypatch: Any
) -> None:
    monkeypatch.setattr(live, "STREAM_S", 0.3)
    monkeypatch.setattr(live, "KEEPALIVE_S", 0.1)
    meeting = _start(as_maria, world)
    chunks = [chunk.decode() for chunk in _open(as_pat, meeting)]
    assert chunks[0].startswith("retry: ")
    assert ": keep-alive\n\n" in chunks[1:]
    assert all("data:" not in chunk for chunk in chunks[1:])  # nothing changed


@pytest.mark.parametrize("who", ["lee", "olga"])
def test_people_who_cannot_see_northwind_cannot_open_its_stream(
    world: World, as_maria: Client, who: str
) -> None:
    meeting = _start(as_maria, world)
    client = client_for(getattr(world, who))
    assert client.get(_url("meeting_stream", meeting), **THREADED).status_code == 404  # type: ignore[arg-type]


def test_a_meeting_of_another_partnership_is_not_there(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    meeting = _start(as_maria, world)
    elsewhere = reverse("meeting_stream", args=[world.globex.pk, meeting.pk])
    assert as_maria.get(elsewhere, **THREADED).status_code == 404  # type: ignore[arg-type]
    assert as_pat.get(elsewhere, **THREADED).status_code == 404  # type: ignore[arg-type]


def test_a_signed_out_person_is_sent_to_sign_in_as_by_the_live_view(
    world: World, as_maria: Client
) -> None:
    meeting = _start(as_maria, world)
    stream = Client().get(_url("meeting_stream", meeting), **THREADED)  # type: ignore[arg-type]
    poll = Client().get(_url("meeting_live", meeting), {"v": 1})
    assert stream.status_code == poll.status_code == 302
    assert stream["Location"].startswith(reverse("account_login"))


def test_a_server_of_one_request_per_process_declines_and_the_page_polls(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    """gunicorn's sync workers: a stream would hold a whole process. 204 tells EventSource
    not to reconnect; meeting.js then asks every second."""
    meeting = _start(as_maria, world)
    assert as_pat.get(_url("meeting_stream", meeting)).status_code == 204


def _opening_queries(client: Client, meeting: Meeting) -> int:
    with CaptureQueriesContext(connection) as queries:
        next(_open(client, meeting))
    return len(queries.captured_queries)


def test_opening_a_stream_costs_the_same_whoever_opens_it_and_however_full_the_meeting(
    world: World, as_maria: Client, as_pat: Client, no_redis: None
) -> None:
    meeting = _start(as_maria, world)
    as_pat.get(_url("meeting_detail", meeting))
    _opening_queries(as_pat, meeting)  # per-process caches
    queries = _opening_queries(as_pat, meeting)
    assert _opening_queries(as_maria, meeting) == queries
    for n in range(10):
        _headline(as_maria, meeting, f"Headline {n}")
    assert _opening_queries(as_pat, meeting) == queries
    assert queries <= 6  # session, user, actor, the partnership, the meeting, the version


@pytest.mark.django_db(transaction=True)
def test_with_redis_away_changes_still_save_and_streams_read_the_database(
    world: World, as_maria: Client, as_pat: Client, settings: Any, monkeypatch: Any
) -> None:
    settings.REDIS_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    monkeypatch.setattr(live, "POLL_S", 0.05)
    meeting = _start(as_maria, world)
    stream = _open(as_pat, meeting)
    next(stream)

    _headline(as_maria, meeting, "Contoso renewed for three years")  # its notice is lost
    assert next(stream).decode() == f"event: version\ndata: {_data_version(world)}\n\n"
