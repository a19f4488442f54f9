"""What a PATCH body may not do: empty a field that must hold something."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tandem.core.errors import InvalidInput


def refuse_nulls(values: dict[str, Any], names: Iterable[str] | None = None) -> None:
    """Refuse a null sent for any of ``names`` (every field sent, if not given): a PATCH
    changes fields, it does not empty those a row cannot be without."""
    if any(
        values.get(name) is None for name in (values if names is None else names) if name in values
    ):
        raise InvalidInput("Fields can be changed but not emptied with null.")
