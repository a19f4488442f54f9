"""A database that is away for a moment (restarting, refusing connections, locked) answers
503 with Retry-After and says to try again - a page for people, a JSON problem for the API -
never a 500; a query that is wrong still answers 500.

The driver errors here are real ones (a refused PostgreSQL connection, a locked SQLite file),
raised where Django runs a query, through Django's own error wrapping. The end-to-end version,
a real PostgreSQL restarted under load, is ``test_database_restart.py``.
"""

from __future__ import annotations

import re
import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from django.db import DatabaseError, InterfaceError, connection
from django.db.utils import DatabaseErrorWrapper
from django.test import Client
from django.urls import URLResolver, get_resolver

from tandem.accounts.services import token_create
from tandem.core.unavailable import database_unavailable
from tandem.traction.models import Todo
from tests.conftest import World, client_for

MESSAGE = "Tandem can&#x27;t reach its database right now — try again in a moment"


# --- Real driver errors ----------------------------------------------------------------------


def refused_postgres_connection() -> psycopg.OperationalError:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens here once the socket is closed
    try:
        psycopg.connect(f"host=127.0.0.1 port={port} user=postgres connect_timeout=5")
    except psycopg.OperationalError as error:
        return error
    raise AssertionError(f"something accepted a connection on port {port}")


@pytest.fixture
def sqlite_file(tmp_path: Path) -> Iterator[Callable[[str], sqlite3.Error]]:
    """Real SQLite errors on a scratch file: "locked", "missing table", "cannot open"."""
    path = tmp_path / "scratch.sqlite3"
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the write lock
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    statements = {
        "locked": lambda: other.execute("BEGIN IMMEDIATE"),
        "missing table": lambda: other.execute("SELECT * FROM no_such_table"),
        "cannot open": lambda: sqlite3.connect(tmp_path / "no-such-folder" / "x.sqlite3"),
    }

    def error(kind: str) -> sqlite3.Error:
        try:
            statements[kind]()
        except sqlite3.Error as raised:
            return raised
        raise AssertionError(f"no error for {kind}")

    yield error
    other.close()
    holder.close()


def as_django_raises(driver_error: Exception) -> DatabaseError:
    """The driver's error as Django raises it: its class of the same name, from the driver's."""
    module = sqlite3 if isinstance(driver_error, sqlite3.Error) else psycopg
    try:
        with DatabaseErrorWrapper(SimpleNamespace(Database=module, errors_occurred=False)):
            raise driver_error
    except DatabaseError as wrapped:
        return wrapped
    raise AssertionError("not wrapped")


# --- Which errors mean "the database is away" -----------------------------------------------


def test_a_refused_postgresql_connection_means_the_database_is_away() -> None:
    assert database_unavailable(as_django_raises(refused_postgres_connection()))


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.AdminShutdown("terminating connection due to administrator command"),
        psycopg.errors.CannotConnectNow("the database system is shutting down"),
        psycopg.errors.TooManyConnections("sorry, too many clients already"),
        psycopg.errors.DeadlockDetected("deadlock detected"),
        psycopg.OperationalError("consuming input failed: server closed the connection"),
        psycopg.OperationalError("the connection is closed"),
    ],
    ids=str,
)
def test_a_postgresql_restart_or_contention_means_the_database_is_away(error: Exception) -> None:
    assert database_unavailable(as_django_raises(error))


@pytest.mark.parametrize(
    "error",
    [
        psycopg.errors.ProgramLimitExceeded("index row size 9000 exceeds btree maximum"),
        psycopg.errors.UndefinedTable('relation "x" does not exist'),
        psycopg.errors.QueryCanceled("canceling statement due to statement timeout"),
        psycopg.ProgrammingError("the query has 1 placeholder but 2 parameters were passed"),
    ],
    ids=str,
)
def test_a_postgresql_query_that_is_wrong_is_not_the_database_being_away(error: Exception) -> None:
    assert not database_unavailable(as_django_raises(error))


def test_a_locked_or_unopenable_sqlite_file_means_the_database_is_away(sqlite_file: Any) -> None:
    assert database_unavailable(as_django_raises(sqlite_file("locked")))
    assert database_unavailable(as_django_raises(sqlite_file("cannot open")))


def test_a_missing_sqlite_table_is_not_the_database_being_away(sqlite_file: Any) -> None:
    assert not database_unavailable(as_django_raises(sqlite_file("missing table")))


def test_a_connection_django_already_closed_means_the_database_is_away() -> None:
    assert database_unavailable(InterfaceError("connection already closed"))


def test_an_error_raised_while_handling_a_lost_connection_means_the_database_is_away() -> None:
    try:
        try:
            raise as_django_raises(refused_postgres_connection())
        except DatabaseError:
            raise RuntimeError("could not roll back") from None
    except RuntimeError as error:
        assert not database_unavailable(error)  # "from None": the cause was set aside
    try:
        try:
            raise as_django_raises(refused_postgres_connection())
        except DatabaseError as lost:
            raise RuntimeError("could not roll back") from lost
    except RuntimeError as error:
        assert database_unavailable(error)


def test_other_errors_are_not_the_database_being_away() -> None:
    assert not database_unavailable(ValueError("bad"))
    assert not database_unavailable(None)


# --- What people and scripts get ------------------------------------------------------------


@pytest.fixture
def away(sqlite_file: Any) -> Callable[[], Exception]:
    """Makes real "the database is away" errors of the database these tests run on."""
    if connection.vendor == "postgresql":
        return refused_postgres_connection
    return lambda: sqlite_file("locked")


@contextmanager
def database_away(
    error: Callable[[], Exception], *, when: Callable[[str], bool] = lambda sql: True
) -> Iterator[None]:
    """Every query for which ``when(sql)`` holds fails with a new ``error()``, raised as the
    driver raises it: inside Django's error wrapping. Savepoint statements pass, so the
    test's own transaction survives."""

    def fail(execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        bookkeeping = sql.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "ROLLBACK"))
        if not bookkeeping and when(sql):
            with context["connection"].wrap_database_errors:
                raise error()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


TODO_FORM = {"title": "Call Pat", "due_on": "2030-01-01", "visibility": "shared"}


def inserting_todo(sql: str) -> bool:
    return sql.lstrip().upper().startswith("INSERT") and "traction_todo" in sql


def _page_client(world: World) -> Client:
    client = client_for(world.lena)
    client.raise_request_exception = False  # answer as the server would, not re-raise
    return client


def _api_client(world: World) -> Client:
    secret = token_create(user=world.lena, name="script")[1]
    return Client(headers={"Authorization": f"Bearer {secret}"}, raise_request_exception=False)


def assert_try_again_page(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"].startswith("text/html")
    assert MESSAGE in response.content.decode()


def assert_try_again_problem(response: Any) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Content-Type"] == "application/problem+json"
    problem = response.json()
    assert problem["status"] == 503
    assert problem["title"] == "Tandem can't reach its database right now"
    assert problem["detail"] == "Try again in a moment."


def test_lena_is_asked_to_try_again_when_the_database_is_away(world: World, away: Any) -> None:
    client = _page_client(world)
    with database_away(away):
        response = client.get(f"/partnerships/{world.northwind.pk}/todos/")
    assert_try_again_page(response)
    assert 'href="/partnerships/' in response.content.decode()  # "Try again" reloads the page


def test_lena_is_asked_to_try_again_when_her_save_loses_the_connection(
    world: World, away: Any
) -> None:
    client = _page_client(world)
    before = Todo.objects.count()
    with database_away(away, when=inserting_todo):
        response = client.post(f"/partnerships/{world.northwind.pk}/todos/new/", TODO_FORM)
    assert_try_again_page(response)
    assert Todo.objects.count() == before
    # Once the database is back, the same save works without anything being restarted.
    response = client.post(f"/partnerships/{world.northwind.pk}/todos/new/", TODO_FORM)
    assert response.status_code in {200, 302}
    assert Todo.objects.filter(title="Call Pat").count() == 1


def test_a_page_asked_for_by_htmx_gets_the_same_answer(world: World, away: Any) -> None:
    client = _page_client(world)
    with database_away(away, when=inserting_todo):
        response = client.post(
            f"/partnerships/{world.northwind.pk}/todos/new/",
            TODO_FORM,
            headers={"HX-Request": "true"},
        )
    assert_try_again_page(response)


def test_a_session_that_cannot_be_saved_asks_to_try_again_rather_than_a_bad_request(
    world: World, away: Any
) -> None:
    client = _page_client(world)
    with database_away(away, when=lambda sql: sql.lstrip().upper().startswith("UPDATE")):
        response = client.post(f"/workspace/switch/{world.acme.pk}/")
    assert_try_again_page(response)


def test_an_api_script_is_told_to_retry_when_the_database_is_away(world: World, away: Any) -> None:
    client = _api_client(world)
    with database_away(away):
        response = client.get("/api/partnerships")
    assert_try_again_problem(response)


def test_an_api_write_that_loses_its_connection_is_told_to_retry(world: World, away: Any) -> None:
    client = _api_client(world)
    url = f"/api/partnerships/{world.northwind.pk}/todos"
    before = Todo.objects.count()
    with database_away(away, when=inserting_todo):
        response = client.post(url, {"title": "Send the deck"}, content_type="application/json")
    assert_try_again_problem(response)
    assert Todo.objects.count() == before
    response = client.post(url, {"title": "Send the deck"}, content_type="application/json")
    assert response.status_code == 201


def test_a_query_that_is_wrong_still_answers_500(world: World, sqlite_file: Any) -> None:
    def wrong() -> Exception:
        if connection.vendor == "postgresql":
            return psycopg.errors.ProgramLimitExceeded("index row size exceeds btree maximum")
        return sqlite_file("missing table")

    with database_away(wrong, when=inserting_todo):
        page = _page_client(world).post(f"/partnerships/{world.northwind.pk}/todos/new/", TODO_FORM)
        api = _api_client(world).post(
            f"/api/partnerships/{world.northwind.pk}/todos",
            {"title": "Send the deck"},
            content_type="application/json",
        )
    assert page.status_code == 500
    assert "Retry-After" not in page
    assert api.status_code == 500
    assert api["Content-Type"] == "application/problem+json"


# --- Every route ------------------------------------------------------------------------------

# Queries that recognise who is asking; the sweep lets them through so that each view's own
# code meets the missing database, not only the session middleware.
SIGNING_IN_TABLES = ('"django_session"', '"accounts_user"', '"accounts_apitoken"')


def _route_urls(world: World) -> list[tuple[str, str]]:
    """(method, URL) for every page (allauth's too) and every API operation."""
    from tandem.api.api import api

    values = {
        "partnership_id": str(world.northwind.pk),
        "workspace_id": str(world.acme.pk),
        "kind": "notes",
        "period": "2026-11-02",
        "token": "t" * 32,
    }

    def fill(route: str, pattern: str) -> str:
        return re.sub(pattern, lambda m: values.get(m.group(1), "1"), route)

    urls = []
    for route in _walk(get_resolver().url_patterns):
        if route.startswith("api/") or "(?P" in route or "^" in route:
            continue  # the API comes from its schema; allauth's few regexes need real keys
        url = "/" + fill(route, r"<(?:\w+:)?(\w+)>")
        urls += [("get", url), ("post", url)]
    for path, methods in api.get_openapi_schema()["paths"].items():
        urls += [(method, fill(path, r"\{(\w+)\}")) for method in methods]
    return urls


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern)


def test_no_route_answers_500_when_the_database_is_away(world: World, away: Any) -> None:
    """Anyone, on any page or API operation, while the database is away: 503 with
    Retry-After, or an answer that needed no database (a redirect to sign in, a 401) -
    never a 500."""
    token = token_create(user=world.lena, name="script")[1]
    callers = {
        "anonymous": Client(raise_request_exception=False),
        "lena": _page_client(world),
        "lena's script": Client(
            headers={"Authorization": f"Bearer {token}"}, raise_request_exception=False
        ),
    }
    urls = _route_urls(world)
    failures = []
    with database_away(away, when=lambda sql: not any(t in sql for t in SIGNING_IN_TABLES)):
        for who, client in callers.items():
            for method, url in urls:
                if (who == "lena's script") != url.startswith("/api/"):
                    continue  # scripts call the API; people and anonymous visitors, both
                kwargs = {"content_type": "application/json"} if url.startswith("/api/") else {}
                response = getattr(client, method)(url, **kwargs)
                refused = response.status_code == 503 and response.get("Retry-After") == "5"
                if response.status_code >= 500 and not refused:
                    failures.append(f"{method.upper()} {url} as {who}: {response.status_code}")
    assert len(urls) > 300
    assert not failures, "\n".join(failures)
