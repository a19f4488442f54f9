"""Queries the ORM cannot write on both engines."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet


def first_of_parts(parts: Sequence[QuerySet[Any]], count: int) -> list[tuple[Any, ...]]:
    """The first ``count`` rows of several ``values_list`` querysets, each ordered and
    sliced to ``count`` on its own, taken together in the order of their columns. One
    query: each part reads the front of its own index range (a few rows each), where one
    query over all of them sorted every matching row first (sixty thousand stalled deals
    over four stages). The columns come as the database gives them, without the ORM's
    conversions: the first ones order, the last is usually the id the caller reads."""
    selects: list[str] = []
    params: list[Any] = []
    for index, part in enumerate(parts if count > 0 else ()):
        try:
            sql, part_params = part.query.sql_with_params()
        except EmptyResultSet:
            continue  # a part that can hold no row (``none()``, an empty ``__in``)
        # The ORM's own SQL, its values passed as parameters.
        selects.append(f"SELECT * FROM ({sql}) AS part_{index}")  # noqa: S608
        params.extend(part_params)
    if not selects:
        return []
    width = len(parts[0].query.values_select or ()) or 1
    order = ", ".join(str(column) for column in range(1, width + 1))
    with connections[parts[0].db].cursor() as cursor:
        cursor.execute(f"{' UNION ALL '.join(selects)} ORDER BY {order} LIMIT %s", [*params, count])
        return [tuple(row) for row in cursor.fetchall()]
