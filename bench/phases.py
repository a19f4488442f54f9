"""Where a page's time goes, in process: for each path, the median of a number of renders
split into the middleware, the view, the template, the ORM's compiling of SELECTs
(``compile``: the same text every render, only its values differ) and the database, and
optionally (``--sql``)
each SELECT of one render run again from a plain cursor, slowest first — what the database
costs without the ORM around it. ``compile`` and ``sql`` overlap the other columns: the
session's and user's queries run in the middleware, a queryset the template evaluates in
``render``. ``--all`` measures every page of bench/pages.py the ``--as`` person signs in to;
``--layout`` adds what the layout (``base.html`` with an empty page) costs on its own.

    DEBUG=0 SECRET_KEY=... ALLOWED_HOSTS=127.0.0.1,testserver \\
    DATABASE_URL=sqlite:///$PWD/var/bench/3-years.sqlite3 \\
        .venv/bin/python bench/phases.py /partnerships/{northwind}/ /week/ [--as EMAIL] [--sql 5]

``{northwind}`` stands for the Northwind partnership's id. Run it on a data set `make bench`
built (migrated to the code). The first renders warm the process up and are not counted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

import django  # noqa: E402

django.setup()

from django.core.handlers.base import BaseHandler  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models.sql.compiler import SQLCompiler  # noqa: E402
from django.template.backends.django import Template  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402

from pages import PAGES  # noqa: E402 - bench/pages.py, beside this script
from tandem.accounts.models import User  # noqa: E402
from tandem.partners.models import Partnership  # noqa: E402

Spent = dict[str, float]


def _timed(spent: Spent, key: str, call: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            spent[key] += time.perf_counter() - started

    return timed


def _timed_outermost(spent: Spent, key: str, call: Callable[..., Any]) -> Callable[..., Any]:
    """As ``_timed``, for a call that nests (a subquery compiles inside its query)."""
    depth = [0]

    def timed(*args: Any, **kwargs: Any) -> Any:
        depth[0] += 1
        started = time.perf_counter()
        try:
            return call(*args, **kwargs)
        finally:
            depth[0] -= 1
            if not depth[0]:
                spent[key] += time.perf_counter() - started

    return timed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*")
    parser.add_argument("--all", action="store_true", help="every bench page of --as")
    parser.add_argument("--layout", action="store_true", help="the layout alone, too")
    parser.add_argument("--as", dest="email", default="lead@acme.example")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--sql", type=int, default=0, help="show the N slowest SELECTs")
    args = parser.parse_args()
    if args.all:
        args.paths = list(dict.fromkeys(p.path for p in PAGES if p.user == args.email))
    if not args.paths:
        parser.error("name the paths to measure, or --all")

    spent: Spent = {"view": 0.0, "render": 0.0, "compile": 0.0, "sql": 0.0}
    BaseHandler._get_response = _timed(spent, "view", BaseHandler._get_response)  # type: ignore[method-assign]
    Template.render = _timed(spent, "render", Template.render)  # type: ignore[method-assign]
    SQLCompiler.as_sql = _timed_outermost(spent, "compile", SQLCompiler.as_sql)  # type: ignore[method-assign]
    statements: list[tuple[str, Any]] = []
    counted = {"queries": 0}

    def database(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted["queries"] += 1
        statements.append((sql, params))
        return _timed(spent, "sql", execute)(sql, params, many, context)

    northwind = Partnership.objects.filter(name__startswith="Northwind").order_by("pk").first()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(email=args.email))
    print(
        f"{'path':44} {'total':>7} {'mw':>6} {'view':>6} {'render':>7} {'compile':>7} {'sql':>6}"
        " queries"
    )
    for raw in args.paths:
        path = raw.replace("{northwind}", str(northwind.pk if northwind else 1))
        for _ in range(3):
            client.get(path)
        totals, parts = [], {key: [] for key in spent}
        with connection.execute_wrapper(database):
            for _ in range(args.runs):
                statements.clear()
                counted["queries"] = 0
                for key in spent:
                    spent[key] = 0.0
                started = time.perf_counter()
                status = client.get(path).status_code
                totals.append(time.perf_counter() - started)
                for key, value in spent.items():
                    parts[key].append(value)
        total = statistics.median(totals) * 1000
        view, render, compiled, sql = (statistics.median(parts[key]) * 1000 for key in spent)
        print(
            f"{path:44} {total:7.1f} {total - view:6.1f} {view:6.1f} {render:7.1f}"
            f" {compiled:7.1f} {sql:6.1f}"
            f" {counted['queries']:7} [{status}]"
        )
        if args.sql:
            _slowest(list(statements), args.sql)
    if args.layout:
        request = client.get("/notifications/").wsgi_request
        runs = []
        for _ in range(args.runs * 10):
            started = time.perf_counter()
            render_to_string("base.html", {}, request=request)
            runs.append(time.perf_counter() - started)
        print(f"{'the layout alone (base.html)':44} {statistics.median(runs) * 1000:7.1f}")


def _slowest(statements: list[tuple[str, Any]], shown: int) -> None:
    """Each SELECT of the last render run again seven times from a plain cursor (median)."""
    timed = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            runs = []
            for _ in range(7):
                started = time.perf_counter()
                cursor.execute(sql, params)
                cursor.fetchall()
                runs.append(time.perf_counter() - started)
            timed.append((statistics.median(runs) * 1000, sql))
    print(f"    {sum(ms for ms, _sql in timed):.1f} ms of SQL in {len(timed)} SELECTs; slowest:")
    for ms, sql in sorted(timed, reverse=True)[:shown]:
        print(f"    {ms:6.2f} ms  {sql[:150]}")


if __name__ == "__main__":
    main()
