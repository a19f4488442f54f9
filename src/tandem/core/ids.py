"""Object ids from URLs and request bodies: anything that is not a sane id finds nothing."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

MAX_ID = 2**63 - 1

# For API schemas: an id that the database can hold.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def parse_id(value: object) -> int:
    """The id in ``value``, or 0 (which matches no row) when it is not one."""
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= MAX_ID else 0
