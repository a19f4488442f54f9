"""Live versions: a partnership's data version, pushed to whoever watches it.

A change moves the partnership's ``data_version`` (``core.services.touch``). Once its
transaction commits, ``announce`` publishes the new version on the partnership's Redis
channel; an open meeting page's stream (``watch``) hears it at once and the page fetches its
region. Redis publish/subscribe is the fan-out: any app process's change reaches every
process's streams, and a stream waiting on its subscription uses no CPU.

Without Redis (the embedded default: SQLite and no other service) nothing is published: one
thread per process reads the versions its streams watch from the database every ``POLL_S``
seconds, in one indexed query, and wakes the streams whose version moved.

Redis is ``settings.REDIS_URL``, the one the cache and the sessions use.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q

from tandem.core.scope import partnership_model

log = logging.getLogger(__name__)

POLL_S = 0.25  # without Redis: how often each process reads the versions its streams watch
# A stream ends after this (±20%) and the browser opens the next one, which checks access
# again and starts with the version read afresh: a notice lost on the way is made good then.
# Each opening costs a request; two minutes keep that small (bench/results-live.md).
STREAM_S = 120.0
KEEPALIVE_S = 15.0  # a comment on an idle stream, so proxies and browsers keep it open
RETRY_MS = 2000  # the browser's wait before it opens the next stream
MAX_STREAMS = 10_000  # Redis connections of one process: a stream holds one while open


def redis_url() -> str:
    return str(getattr(settings, "REDIS_URL", "") or "")


def channel(partnership_id: int) -> str:
    """The partnership's channel. Publish/subscribe channels ignore Redis's database number:
    the prefix (the cache's, unless LIVE_CHANNEL_PREFIX says) keeps sites on one Redis apart."""
    prefix = getattr(settings, "LIVE_CHANNEL_PREFIX", None)
    if prefix is None:
        shared = getattr(settings, "CACHE_KEY_PREFIX", "")
        prefix = f"{shared}:" if shared else ""
    return f"{prefix}partnership:{partnership_id}"


@cache
def _client(url: str) -> Any:
    import redis
    from redis.backoff import NoBackoff
    from redis.retry import Retry

    # One connection pool per process, shared by its threads. A subscription holds one of
    # its connections for as long as its stream is open (redis-py's default: 100 at most).
    # A Redis that does not answer costs a change's request one quick retry, not seconds of
    # backing off: the notice is lost, and the streams end and read the version anew.
    return redis.Redis.from_url(
        url,
        socket_connect_timeout=1,
        socket_timeout=5,
        retry=Retry(NoBackoff(), 1),
        health_check_interval=30,
        max_connections=MAX_STREAMS,
    )


def current_version(partnership_id: int) -> int:
    """The partnership's data version as committed now."""
    found = (
        partnership_model()
        .objects.filter(pk=partnership_id)
        .values_list("data_version", flat=True)
        .first()
    )
    return found or 0


# --- publishing ---------------------------------------------------------------------------
_pending = threading.local()


def announce(ids: Iterable[int] | Any) -> None:
    """After the current transaction commits (at once outside one), publish the new data
    version of these partnerships (ids, or a query of them). Without Redis: nothing, and no
    query. Several changes in one transaction publish once, with one query."""
    url = redis_url()
    if not url:
        return
    sources: list[Any] = _pending.__dict__.setdefault("sources", [])
    sources.append(ids)
    transaction.on_commit(lambda: _publish(url), robust=True)


def _publish(url: str) -> None:
    sources: list[Any] = _pending.__dict__.get("sources", [])
    if not sources:
        return  # an earlier callback of the same transaction published them
    _pending.sources = []
    ids: set[int] = set()
    queries: list[Any] = []
    for source in sources:
        if isinstance(source, int | str):
            ids.add(int(source))
        elif hasattr(source, "query"):  # a query of ids (of any model): read now, committed
            queries.append(source)
        else:
            ids.update(int(pk) for pk in source)
    if not ids and not queries:
        return
    wanted = Q(pk__in=ids)
    for query in queries:
        wanted |= Q(pk__in=query)
    versions = partnership_model().objects.filter(wanted).values_list("pk", "data_version")
    try:
        with _client(url).pipeline(transaction=False) as pipe:
            for pk, version in versions:
                pipe.publish(channel(pk), str(version))
            pipe.execute()
    except Exception:  # a lost notice: streams end within STREAM_S and read the version again
        log.warning("Could not publish live versions", exc_info=True)


# --- without Redis: one reader per process ----------------------------------------------------
class _Reader:
    """Without Redis, one thread per process reads the version of every partnership that a
    stream of this process watches, all in one query every ``POLL_S``, and wakes the streams
    of those that moved: the cost follows the processes, not the open pages."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.wanted = threading.Condition(self.lock)  # the reader, while nothing is watched
        self.watchers: dict[int, int] = {}  # partnership id → streams waiting on it
        self.moved: dict[int, threading.Condition] = {}
        self.versions: dict[int, int] = {}
        self.thread: threading.Thread | None = None

    def wait(self, pk: int, since: int, deadline: float) -> int | None:
        with self.lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="live-versions", daemon=True)
                self.thread.start()
            moved = self.moved.setdefault(pk, threading.Condition(self.lock))
            self.watchers[pk] = self.watchers.get(pk, 0) + 1
            self.wanted.notify()
            try:
                while (found := self.versions.get(pk, 0)) <= since:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        return None
                    moved.wait(left)
                return found
            finally:
                self.watchers[pk] -= 1
                if not self.watchers[pk]:
                    del self.watchers[pk], self.moved[pk]

    def run(self) -> None:
        while True:
            with self.lock:
                idle = not self.watchers
            if idle:
                connection.close()  # this thread's: no connection held while nobody watches
                with self.lock:
                    while not self.watchers:
                        self.wanted.wait()
            with self.lock:
                ids = list(self.watchers)
            try:
                rows = (
                    partnership_model().objects.filter(pk__in=ids).values_list("pk", "data_version")
                )
                found = dict(rows)
            except Exception:  # the database away for a moment: try again next time
                log.warning("Could not read live versions", exc_info=True)
                connection.close()
                found = {}
            with self.lock:
                for pk, version in found.items():
                    if version != self.versions.get(pk):
                        self.versions[pk] = version
                        if pk in self.moved:
                            self.moved[pk].notify_all()
            time.sleep(POLL_S)


_reader = _Reader()


# --- watching -----------------------------------------------------------------------------
class Watch:
    """One partnership's version as it moves: ``wait(since, timeout)`` answers a version newer
    than ``since`` as soon as one is published, or None when none came within ``timeout``
    seconds."""

    def __init__(self, partnership_id: int) -> None:
        self.partnership_id = partnership_id
        self.subscription: Any = None
        url = redis_url()
        if url:
            subscription = _client(url).pubsub(ignore_subscribe_messages=True)
            try:
                subscription.subscribe(channel(partnership_id))
            except Exception:  # Redis away: this stream reads the database, as without it
                log.warning("Could not subscribe to live versions", exc_info=True)
                with contextlib.suppress(Exception):
                    subscription.close()
            else:
                self.subscription = subscription

    def wait(self, since: int, timeout: float) -> int | None:
        deadline = time.monotonic() + timeout
        if self.subscription is None:
            return _reader.wait(self.partnership_id, since, deadline)
        newest = None
        while True:
            left = deadline - time.monotonic()
            # Blocks in select() until a message or the timeout: an idle stream costs nothing.
            # Once one came, whatever else is queued is read without waiting.
            message = self.subscription.get_message(timeout=max(0.0, left) if newest is None else 0)
            if message is None:
                if newest is not None or left <= 0:
                    return newest
                continue  # a subscription's confirmation or a health check: wait on
            try:
                found = int(message["data"])
            except (TypeError, ValueError):
                continue
            if found > since:
                newest = found if newest is None else max(newest, found)

    def close(self) -> None:
        if self.subscription is not None:
            with contextlib.suppress(Exception):  # its connection is gone already
                self.subscription.close()
            self.subscription = None


def event_stream(
    partnership_id: int, *, seconds: float | None = None, keepalive: float | None = None
) -> Iterator[bytes]:
    """Server-Sent Events for one partnership: its version now, then each newer one as it is
    published, a keep-alive comment when idle, for ``seconds``. The subscription begins
    before the version is read, so no change falls between the two."""
    # Streams opened together (a meeting starting, a server restarting) end apart.
    seconds = STREAM_S * random.uniform(0.8, 1.2) if seconds is None else seconds  # noqa: S311
    keepalive = KEEPALIVE_S if keepalive is None else keepalive
    watch = Watch(partnership_id)
    try:
        sent = current_version(partnership_id)
        if not connection.in_atomic_block:
            # The stream needs the database no more (Redis or the process's reader tells
            # it what moved): its connection goes now, not after a minute. A thousand open
            # pages would otherwise hold a thousand connections.
            connection.close()
        yield f"retry: {RETRY_MS}\nevent: version\ndata: {sent}\n\n".encode()
        end = time.monotonic() + seconds
        quiet_since = time.monotonic()
        while (left := end - time.monotonic()) > 0:
            wait = min(left, keepalive - (time.monotonic() - quiet_since))
            try:
                found = watch.wait(sent, wait)
            except Exception:  # Redis or the database went away: the browser opens anew
                log.warning("A live stream stopped", exc_info=True)
                return
            if found is not None:
                sent = found
                quiet_since = time.monotonic()
                yield f"event: version\ndata: {sent}\n\n".encode()
            elif time.monotonic() - quiet_since >= keepalive:
                quiet_since = time.monotonic()
                yield b": keep-alive\n\n"
    finally:
        watch.close()
