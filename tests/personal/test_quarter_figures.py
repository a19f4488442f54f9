"""A quarter's rocks in figures, read as a person: each label beside its own number, and the
share done rounded once (2 of 3 is 67%) on every page that shows it."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tandem.traction.models import Rock, RockStatus, quarter_of
from tests.conftest import World

pytestmark = pytest.mark.django_db


def _marias_quarter(world: World) -> None:
    """Two done, one on track, one dropped (not counted): 2 of 3 done."""
    year, quarter = quarter_of(timezone.localdate())
    Rock.objects.all().delete()
    for n, status in enumerate(
        [RockStatus.DONE, RockStatus.DONE, RockStatus.ON_TRACK, RockStatus.DROPPED]
    ):
        Rock.objects.create(
            workspace=world.acme, partnership=world.northwind, owner=world.maria,
            title=f"Rock {n}", year=year, quarter=quarter, status=status,
            due_on=timezone.localdate(),
        )  # fmt: skip


def _summary(page: str) -> dict[str, str]:
    """The quarter summary as a reader pairs it: each label with the figure beside it.
    Fails if a label or a figure stands outside its pair."""
    block = re.search(r'<dl class="facts quarter-summary">(.*?)</dl>', page, re.S)
    assert block is not None, "no quarter summary"
    pairs = re.findall(r"<div><dt>(.*?)</dt><dd[^>]*>(.*?)</dd></div>", block.group(1), re.S)
    leftover = re.sub(r"<div><dt>.*?</dt><dd[^>]*>.*?</dd></div>", "", block.group(1), flags=re.S)
    assert leftover.strip() == "", f"a label or figure is out of its pair: {leftover!r}"
    return {label: re.sub(r"<[^>]+>", "", figure).strip() for label, figure in pairs}


def test_a_persons_rocks_page_pairs_each_label_with_its_figure(world: World, as_lena) -> None:
    _marias_quarter(world)
    page = as_lena.get(f"/people/{world.maria.pk}/rocks/").content.decode()
    summary = _summary(page)
    assert summary["Rocks"] == "4 (1 dropped)"
    assert summary["Done"] == "67% (2 of 3; dropped not counted)"
    assert summary["On track"] == "1" and summary["Off track"] == "0"


def test_the_partnerships_rocks_page_uses_the_same_summary(world: World, as_maria) -> None:
    _marias_quarter(world)
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/rocks/").content.decode()
    assert _summary(page)["Done"].startswith("67% (2 of 3")


def test_my_week_reads_the_same_share(world: World, as_maria) -> None:
    _marias_quarter(world)
    page = as_maria.get("/week/").content.decode()
    assert "67% done" in page and "66%" not in page
