"""Look inside one data set, in process: the ids the pages name, the size of the data, and for
every page its status, SQL query count, size and single-request time. Prints JSON.

Run by bench/run.py with the same environment as the server (DATABASE_URL and the rest):
    DATABASE_URL=sqlite:////abs/path.sqlite3 python bench/probe.py
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from pages import OBJECTS, PAGES  # noqa: E402

TIMED_REQUESTS = 20


def dataset_size() -> dict[str, Any]:
    from tandem.accounts.models import PartnerAccess, User
    from tandem.core.models import ActivityEntry
    from tandem.partners.models import Contact, Note, Partnership, StageChange
    from tandem.traction.models import Todo

    northwind = OBJECTS["northwind"]()
    return {
        "partnerships": Partnership.objects.count(),
        "partnerships_current": Partnership.objects.filter(archived_at__isnull=True).count(),
        "activity_entries": ActivityEntry.objects.count(),
        "notes": Note.objects.count(),
        "todos": Todo.objects.count(),
        "contacts": Contact.objects.count(),
        "stage_changes": StageChange.objects.count(),
        "users": User.objects.count(),
        "partner_accesses": PartnerAccess.objects.count(),
        "northwind": {
            "activity_entries": ActivityEntry.objects.filter(partnership_id=northwind).count(),
            "notes": Note.objects.filter(partnership_id=northwind).count(),
            "todos": Todo.objects.filter(partnership_id=northwind).count(),
            "contacts": Contact.objects.filter(partnership_id=northwind).count(),
            "stage_changes": StageChange.objects.filter(partnership_id=northwind).count(),
        },
    }


def probe_pages(ids: dict[str, int]) -> dict[str, Any]:
    from tandem.accounts.models import User

    clients: dict[str | None, Client] = {}
    results: dict[str, Any] = {}
    for page in PAGES:
        if page.user not in clients:
            client = Client(SERVER_NAME="127.0.0.1")
            if page.user:
                client.force_login(User.objects.get(email=page.user))
            clients[page.user] = client
        client = clients[page.user]
        path = page.path.format(**ids)
        client.get(path)  # warm: the first request fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        # Read the log now: the next request's request_started signal empties it.
        sql = [query["sql"] for query in queries.captured_queries]
        body = response.content.decode("utf-8", "replace")
        timings = []
        for _ in range(TIMED_REQUESTS):
            started = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - started) * 1000)
        results[page.name] = {
            "path": path,
            "status": response.status_code,
            "ok": response.status_code == 200 and page.expect in body,
            "queries": len(sql),
            "sql": sql,
            "bytes": len(response.content),
            "in_process_ms": round(statistics.median(timings), 2),
        }
    return results


def main() -> None:
    ids = {name: lookup() for name, lookup in OBJECTS.items()}
    report = {"ids": ids, "size": dataset_size(), "pages": probe_pages(ids)}
    json.dump(report, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
