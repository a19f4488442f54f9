"""People named in API payloads by id."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model

from tandem.core.errors import InvalidInput


def person_from(
    values: dict[str, Any], key: str = "owner_id", name: str = "owner"
) -> dict[str, Any]:
    """Swap ``values[key]`` (a user id, or null for nobody) for the user itself under
    ``name``. An unknown id gets the same words as someone outside the partnership, so ids
    cannot be probed; whether the person may hold the role is the service's to say."""
    if key in values:
        person_id = values.pop(key)
        values[name] = get_user_model().objects.filter(pk=person_id).first() if person_id else None
        if person_id and values[name] is None:
            raise InvalidInput(
                "Please correct the highlighted fields.",
                errors={key: ["Choose someone from this partnership."]},
            )
    return values
