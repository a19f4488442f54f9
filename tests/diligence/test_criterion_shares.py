"""The criteria's shares read as a whole: the defaults add up to 100% (they read 99% when
their weights were 3, 2, 3, 3, 2), and so does any set of weights a member picks."""

from __future__ import annotations

import re

import pytest

from tandem.relationship.diligence import services
from tandem.relationship.diligence.models import Criterion
from tests.conftest import World

pytestmark = pytest.mark.django_db

PAGE = "/partnerships/program/diligence/"


def _shares(page: str) -> list[int]:
    return [int(share) for share in re.findall(r"weight \d+ · (\d+)%", page)]


def test_the_default_criteria_add_up_to_100_percent(world: World, as_maria) -> None:
    as_maria.post("/partnerships/program/diligence/criteria/defaults/")
    shares = _shares(as_maria.get(PAGE).content.decode())
    assert shares == [25, 15, 25, 20, 15]


def test_three_equal_weights_still_add_up_to_100_percent(world: World, as_lena) -> None:
    services.criteria_defaults(actor=world.actor(world.lena), workspace_id=world.acme.pk)
    Criterion.objects.filter(workspace=world.acme).exclude(
        name__in=["Credibility", "Reputation", "Value potential"]
    ).delete()
    Criterion.objects.filter(workspace=world.acme).update(weight=1)
    shares = _shares(as_lena.get(PAGE).content.decode())
    assert sorted(shares) == [33, 33, 34]
