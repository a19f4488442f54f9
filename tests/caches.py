"""The test run's cache: each test process keeps its keys apart from every other's.

Several test processes (pytest-xdist workers, and other test runs on the machine) may share
one Redis database, and the servers and commands a test starts share it with their test
process. Each test process therefore writes under a key prefix of its own, and clearing the
cache between tests removes that prefix's keys alone: Django's ``RedisCache.clear`` empties
the whole database (FLUSHDB), every other process's keys with it.
"""

from __future__ import annotations

import os

from django.core.cache.backends.redis import RedisCache

# The worker's name for reading, the process id for uniqueness across runs.
PREFIX = f"tests-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"


class WorkerRedisCache(RedisCache):
    """Django's Redis cache, but ``clear`` deletes this prefix's keys only."""

    def clear(self) -> bool:
        if not self.key_prefix:
            raise RuntimeError("A test cache without a key prefix would clear everyone's keys.")
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        for start in range(0, len(keys), 500):
            client.delete(*keys[start : start + 500])
        return True
