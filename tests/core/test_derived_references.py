"""An item type whose item names another item (a rock's goal): ``goal_id`` in and out."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.core.api.derive import schemas
from tandem.core.api.items import item_from
from tandem.core.errors import InvalidInput
from tandem.core.items import ItemType
from tandem.traction.models import Rock
from tandem.vision.models import Goal

ROCKS = ItemType(model=Rock, name="rock", label="rock")


def test_a_reference_is_its_id_in_and_out() -> None:
    Out, In, Patch = schemas(ROCKS)
    assert "goal_id" in In.model_fields and "goal" not in In.model_fields
    assert In.model_fields["goal_id"].default is None
    assert "goal_id" in Patch.model_fields
    assert "goal_id" in Out.model_fields and "goal" not in Out.model_fields
    with pytest.raises(ValueError):
        In(title="Launch", goal_id=0)


def test_the_id_becomes_the_item_the_caller_sees(world: Any) -> None:
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    shared, internal = world.shared_goal, world.internal_goal
    assert item_from({"goal_id": shared.pk}, maria, "goal", Goal) == {"goal": shared}
    assert item_from({"goal_id": None}, pat, "goal", Goal) == {"goal": None}
    assert item_from({"title": "x"}, pat, "goal", Goal) == {"title": "x"}
    for hidden in (internal.pk, 10**9):  # one not theirs reads as one that does not exist
        with pytest.raises(InvalidInput) as refused:
            item_from({"goal_id": hidden}, pat, "goal", Goal, "Choose a 1-year goal.")
        assert refused.value.errors == {"goal_id": ["Choose a 1-year goal."]}
