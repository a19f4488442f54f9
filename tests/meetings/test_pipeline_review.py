"""The meetings and the exchange: the pulse's scorecard step shows measurables that fill
themselves; the quarterly meeting reviews forecast against actual and the funnel, and its
recap says so — each reader seeing only the deals they may see."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client

from tandem.exchange.pipeline.models import DEFAULT_STAGES, Opportunity, Outcome, Stage
from tandem.meetings.models import Meeting
from tandem.scorecard import services as scorecard
from tandem.scorecard.models import Source
from tests.conftest import World
from tests.meetings.test_meeting_flow import _post, _start, _url, _version

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 15, 15, 0, tzinfo=ZoneInfo("UTC"))  # late in Q4: it reviews Q4


@pytest.fixture
def now(time_machine: Any) -> date:
    time_machine.move_to(NOW, tick=False)
    return NOW.date()


def stages(world: World) -> dict[str, Stage]:
    made = {}
    for position, (name, probability, outcome) in enumerate(DEFAULT_STAGES):
        made[name] = Stage.objects.get_or_create(
            workspace=world.acme,
            name=name,
            defaults={"probability": probability, "outcome": outcome, "position": position},
        )[0]
    return made


def deal(world: World, stage: Stage, amount: str, **values: Any) -> Opportunity:
    name = values.pop("name", f"Account {Opportunity.objects.count()}")
    return Opportunity.objects.create(
        workspace=world.acme,
        partnership=values.pop("partnership", world.northwind),
        account_name=name,
        account_key=name.lower(),
        stage=stage,
        amount=Decimal(amount),
        currency="USD",
        closed_on=values.pop("closed_on", None),
        **values,
    )


@pytest.fixture
def deals(world: World, now: date) -> None:
    the = stages(world)
    deal(world, the["Won"], "1000", closed_on=date(2026, 11, 2))
    deal(world, the["Won"], "5000", closed_on=date(2026, 11, 3), visibility="internal")
    deal(world, the["Qualified"], "400", expected_close=date(2026, 12, 20))  # 25% → 100
    deal(world, the["Won"], "777", closed_on=date(2026, 11, 4), partnership=world.globex)
    assert Outcome.WON == the["Won"].outcome


def _go(client: Client, meeting: Meeting, section: str) -> None:
    _post(
        client, _url("meeting_section", meeting), {"section": section, "version": _version(meeting)}
    )


def test_the_pulse_scorecard_step_shows_a_computed_measurable(
    world: World, now: date, as_maria: Client, as_pat: Client
) -> None:
    scorecard.measurable_create(
        actor=world.actor(world.maria), partnership=world.northwind, title="Deals won",
        source=Source.WON_COUNT, goal="1",
    )  # fmt: skip
    the = stages(world)
    deal(world, the["Won"], "10", closed_on=date(2026, 12, 8))
    deal(world, the["Won"], "10", closed_on=date(2026, 12, 9), visibility="internal")
    meeting = _start(as_maria, world)
    _go(as_maria, meeting, "scorecard")
    maria = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    pat = as_pat.get(_url("meeting_detail", meeting)).content.decode()
    for page in (maria, pat):
        assert "Deals won" in page and "Deals won (number closed won)" in page
        assert world.shared_measurable.title in page  # beside the typed ones
    # The week of 7 December: Maria counts both deals, Pat the shared one.
    assert 'id="c-' in maria
    assert '<span class="sc-value">2</span>' in maria
    assert '<span class="sc-value">2</span>' not in pat
    assert '<span class="sc-value">1</span>' in pat


def test_the_quarterly_meeting_reviews_forecast_against_actual_and_the_funnel(
    world: World, deals: None, as_maria: Client, as_pat: Client, as_olga: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    meeting = _start(as_maria, world, kind="quarterly")
    assert "pipeline" in meeting.section_keys
    _go(as_maria, meeting, "pipeline")
    maria = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    pat = as_pat.get(_url("meeting_detail", meeting)).content.decode()
    assert "Forecast against actual" in maria and "Q4 2026" in maria and "Q1 2027" in maria
    assert "6,000.00" in maria and "100.00" in maria  # won (both) and weighted forecast
    assert "1,000.00" in pat and "100.00" in pat
    assert "6,000.00" not in pat and "5,000.00" not in pat and "777.00" not in pat
    assert "Funnel:" in pat
    assert as_olga.get(_url("meeting_detail", meeting)).status_code == 404

    _go(as_maria, meeting, "conclusion")
    with django_capture_on_commit_callbacks(execute=True):
        as_maria.post(_url("meeting_end", meeting), {"version": _version(meeting)})
    stored = Meeting.objects.get(pk=meeting.pk).recap["pipeline"]
    assert stored["all"]["quarters"][0]["rows"][0]["actual"] == "6,000.00"
    assert stored["shared"]["quarters"][0]["rows"][0]["actual"] == "1,000.00"
    maria = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    pat = as_pat.get(_url("meeting_detail", meeting)).content.decode()
    assert "Forecast against actual, and the funnel" in maria and "6,000.00" in maria
    assert "Forecast against actual, and the funnel" in pat and "1,000.00" in pat
    assert "6,000.00" not in pat and "777.00" not in pat
    assert mail.outbox is not None


def test_a_pulse_recap_has_no_pipeline_review(
    world: World, deals: None, as_maria: Client, django_capture_on_commit_callbacks: Any
) -> None:
    meeting = _start(as_maria, world)
    with django_capture_on_commit_callbacks(execute=True):
        as_maria.post(_url("meeting_end", meeting), {"version": _version(meeting)})
    assert Meeting.objects.get(pk=meeting.pk).recap["pipeline"] is None
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    assert "Forecast against actual" not in page


def test_an_empty_pipeline_says_so(world: World, now: date, as_maria: Client) -> None:
    meeting = _start(as_maria, world, kind="quarterly")
    _go(as_maria, meeting, "pipeline")
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    assert "No deals in the pipeline yet" in page
