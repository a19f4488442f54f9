"""The demo's figures read as real ones: no rate above 100%, however the random numbers
fall (deals won never outnumber the leads referred that week)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from tandem.accounts.actors import actor_for
from tandem.scorecard import selectors
from tandem.scorecard.models import Measurable

pytestmark = pytest.mark.django_db


def test_no_rate_in_the_demo_goes_above_100_percent() -> None:
    call_command("load_demo", stdout=StringIO())
    rates = Measurable.objects.filter(unit="percent").select_related("partnership")
    assert rates.filter(title="Win rate").exists()
    seen = 0
    for measurable in rates:
        lead = actor_for(measurable.workspace.memberships.get(role="owner").user)
        row = selectors.row_for(lead, measurable.partnership, measurable)
        for cell in row.cells:
            if cell.value is not None:
                seen += 1
                assert 0 <= cell.value <= 100, f"{measurable.title}: {cell.shown}"
        for figure in (row.trailing, row.quarter, row.year):
            assert figure.value is None or 0 <= figure.value <= 100, measurable.title
    assert seen >= 10  # the win rate has a value in most weeks
