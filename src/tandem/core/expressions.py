"""Database expressions both engines compute the same way."""

from __future__ import annotations

from typing import Any

from django.db.models import F, FloatField, Func


class DaysBetween(Func):
    """The time from one datetime column to another, in days (a float), computed in the
    database: a hundred thousand spans read as numbers, not as pairs of datetimes Python
    parses one by one."""

    output_field = FloatField()

    def __init__(self, start: str, end: str, **extra: Any) -> None:
        super().__init__(F(end), F(start), **extra)  # end minus start

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(julianday(%(expressions)s))",
            arg_joiner=") - julianday(",
            **extra,
        )

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0)",
            arg_joiner=" - ",
            **extra,
        )
