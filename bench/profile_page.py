"""One page, in process: its status, time, SQL (slowest first) and a cProfile of a second
render, to see where a page's time goes before optimising it.

    DEBUG=1 DATABASE_URL=sqlite:///$PWD/var/bench/3-years.sqlite3 \
        .venv/bin/python bench/profile_page.py /partnerships/1/value/ [--as maria@acme.example]
        [--sort tottime] [--lines 35]

Run it on a data set `make bench` built (var/bench/*.sqlite3; migrate it first if the code has
new migrations). The first request warms the process up and is not measured.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tandem.accounts.models import User  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--as", dest="email", default="maria@acme.example")
    parser.add_argument("--sort", default="cumulative", help="a pstats sort key")
    parser.add_argument("--lines", type=int, default=35)
    args = parser.parse_args()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=args.email))
    client.get(args.path)
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(args.path)
        elapsed = time.perf_counter() - started
    print(f"{response.status_code} · {elapsed * 1000:.0f} ms · {len(queries)} queries")
    for query in sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:8]:
        print(f"  {float(query['time']) * 1000:6.1f} ms  {query['sql'][:200]}")
    profile = cProfile.Profile()
    profile.enable()
    client.get(args.path)
    profile.disable()
    pstats.Stats(profile).sort_stats(args.sort).print_stats(args.lines)


if __name__ == "__main__":
    main()
