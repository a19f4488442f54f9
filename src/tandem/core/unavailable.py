"""When the database can't serve a request: 503 with Retry-After, never a 500.

A restart, a refused or dropped connection, or a lock held too long is the database being
away for a moment, not a bug in the request: the person (or their script) should try again,
and the answer says so. Errors that mean the query itself is wrong (no such table, a value
too large for an index) stay 500s, so they still get fixed.

Django turns an exception that escapes a view or a middleware into a response at every
middleware layer, and calls ``handler500`` from inside the ``except`` block, so that handler
is the one place that sees them all; ``tandem.web.errors`` asks :func:`database_unavailable`
there and answers with :func:`unavailable_response`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import psycopg
from django.db import InterfaceError as DjangoInterfaceError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from tandem.core.problems import problem_or_page

# A PostgreSQL restart takes a few seconds; a SQLite lock is held for at most busy_timeout.
RETRY_AFTER_SECONDS = 5

TITLE = "Tandem can't reach its database right now"
DETAIL = "Try again in a moment."

# SQLSTATEs (https://www.postgresql.org/docs/current/errcodes-appendix.html) that say the
# server can't serve us now, whatever we asked: connection exceptions (class 08),
# insufficient resources (53: too many connections, disk full, out of memory), an operator's
# or a crash's shutdown, a start-up in progress, a session timed out (57P01-57P05), and lock
# contention (40001, 40P01, 55P03) - the PostgreSQL counterparts of SQLite's "database is
# locked". A cancelled statement (57014, a statement timeout) is not among them: it is slow
# code to be fixed.
_PG_UNAVAILABLE_CLASSES = ("08", "53", "57P")
_PG_UNAVAILABLE_STATES = {"40001", "40P01", "55P03"}

# SQLite primary result codes of the same kinds: busy or locked (another writer held on past
# busy_timeout), the file can't be opened, the disk failed.
_SQLITE_UNAVAILABLE_CODES = {
    sqlite3.SQLITE_BUSY,
    sqlite3.SQLITE_LOCKED,
    sqlite3.SQLITE_CANTOPEN,
    sqlite3.SQLITE_IOERR,
}


def database_unavailable(error: BaseException | None) -> bool:
    """Whether ``error`` (or what it was raised from or while handling) says the database
    can't serve us right now, rather than that the query was wrong."""
    wrapped_interface_error = False
    for cause in _chain(error):
        verdict = _driver_verdict(cause)
        if verdict is not None:
            return verdict
        # Django raises InterfaceError of its own for a connection it already closed.
        wrapped_interface_error = wrapped_interface_error or isinstance(cause, DjangoInterfaceError)
    return wrapped_interface_error


def _chain(error: BaseException | None) -> Iterator[BaseException]:
    """The error, what it was raised from (Django wraps the driver's error), and what was
    being handled when it was raised (a failed rollback after a lost connection)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        yield error
        if error.__cause__ is not None or error.__suppress_context__:
            error = error.__cause__
        else:
            error = error.__context__


def _driver_verdict(error: BaseException) -> bool | None:
    """True or False for an error raised by a database driver; None for any other."""
    if isinstance(error, sqlite3.Error):
        code = getattr(error, "sqlite_errorcode", None)
        return code is not None and code & 0xFF in _SQLITE_UNAVAILABLE_CODES
    if isinstance(error, psycopg.Error):
        state = error.sqlstate
        if state is None:
            # Raised by the client, not the server: the connection was refused, broke, or is
            # closed - or the call was misused, which is a ProgrammingError.
            return isinstance(error, psycopg.OperationalError | psycopg.InterfaceError)
        return state.startswith(_PG_UNAVAILABLE_CLASSES) or state in _PG_UNAVAILABLE_STATES
    return None


def unavailable_response(request: HttpRequest) -> HttpResponse:
    """503 and Retry-After: a JSON problem for the API, a page for people."""
    response = problem_or_page(request, 503, TITLE, DETAIL, page=lambda: _page(request))
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _page(request: HttpRequest) -> HttpResponse:
    # Rendered without the request's context processors: they would ask the database (the
    # session, the person, their workspaces) that is not there.
    retry_url = request.get_full_path() if request.method in {"GET", "HEAD"} else "/"
    html: str
    try:
        html = render_to_string("errors/unavailable.html", {"title": TITLE, "retry_url": retry_url})
    except Exception:  # noqa: BLE001 - the error page itself must never fail
        html = f"{TITLE} — try again in a moment."
    return HttpResponse(html, status=503)
