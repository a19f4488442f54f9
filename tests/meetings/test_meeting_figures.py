"""The figures a meeting shows, read as the people in it: the scorecard step puts each
measurable under its own periods (weeks or months), as the scorecard page does, and says
nothing about being on track when there is nothing to track; the recap's to-do figure says
which to-dos it counts, and one ticked off in the meeting counts as done."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from tandem.meetings.models import Meeting
from tandem.scorecard import selectors as scorecard
from tandem.scorecard import services
from tandem.scorecard.models import Measurable, period_of, shift
from tandem.traction.models import Todo
from tests.conftest import World
from tests.meetings.test_meeting_flow import _post, _start, _url, _version

pytestmark = pytest.mark.django_db


def _to_section(client: Client, meeting: Meeting, section: str) -> None:
    _post(
        client, _url("meeting_section", meeting), {"section": section, "version": _version(meeting)}
    )


def _tables(page: str) -> list[dict[str, Any]]:
    """Each scorecard table of the step: its column headings and the measurables in it."""
    found = []
    for table in re.findall(
        r'<table class="scorecard meeting-scorecard"[^>]*>(.*?)</table>', page, re.S
    ):
        head = re.search(r"<thead>(.*?)</thead>", table, re.S)
        assert head is not None
        found.append(
            {
                "columns": re.findall(
                    r'<th scope="col" class="num[^"]*" title="([^"]+)"', head.group(1)
                ),
                "rows": re.findall(r'<span class="sc-title">([^<]+)</span>', table),
            }
        )
    return found


def test_a_monthly_measurable_sits_under_months_not_weeks(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    maria = world.actor(world.maria)
    revenue = services.measurable_create(
        actor=maria, partnership=world.northwind, title="Partner-sourced revenue",
        unit="currency", goal="50000", frequency="monthly", visibility="internal",
    )  # fmt: skip
    last_month = shift(period_of(timezone.localdate(), "monthly"), "monthly", -1)
    services.value_set(revenue, actor=maria, period_start=last_month, value="60000", version=None)
    meeting = _start(as_maria, world)
    _to_section(as_maria, meeting, "scorecard")
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()

    sections = scorecard.grid(
        maria,
        world.northwind,
        Measurable.objects.filter(partnership=world.northwind).order_by(
            "-frequency", "position", "id"
        ),
    )
    expected = {section.frequency: [c.title for c in section.columns] for section in sections}
    tables = _tables(page)
    assert len(tables) == 2
    weekly, monthly = tables
    assert weekly["columns"] == expected["weekly"] and len(weekly["columns"]) == 13
    assert monthly["columns"] == expected["monthly"] and len(monthly["columns"]) == 13
    assert "Partner-sourced revenue" in monthly["rows"] and "Leads referred" in weekly["rows"]
    assert "Partner-sourced revenue" not in weekly["rows"]
    assert (
        monthly["columns"][-1] == f"{last_month:%b} {last_month.year}"
        or monthly["columns"][-2] == f"{last_month:%b} {last_month.year}"
    )
    assert "$60,000" in page
    # Pat sees the shared weekly numbers only: one table, no monthly internal one.
    pats = _tables(as_pat.get(_url("meeting_detail", meeting)).content.decode())
    assert [table["rows"] for table in pats] == [["Leads referred"]]


def test_no_measurables_is_not_all_on_track(world: World, as_maria: Client) -> None:
    Measurable.objects.filter(partnership=world.northwind).delete()
    meeting = _start(as_maria, world)
    _to_section(as_maria, meeting, "scorecard")
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    assert "No measurables yet" in page
    head = re.search(r'<h3 id="sc-title">Scorecard</h3>(.*?)</div>', page, re.S)
    assert head is not None and head.group(1).strip() == ""  # no "all on track" beside it


def test_a_todo_ticked_in_the_meeting_counts_in_the_recap(
    world: World, as_maria: Client, django_capture_on_commit_callbacks: Any
) -> None:
    today = timezone.localdate()
    # Due later this week, ticked off in the meeting; and one due yesterday, still open.
    Todo.objects.filter(pk=world.shared_todo.pk).update(due_on=today + timedelta(days=3))
    Todo.objects.filter(pk=world.internal_todo.pk).update(due_on=today - timedelta(days=1))
    meeting = _start(as_maria, world)
    _to_section(as_maria, meeting, "todos")
    todo = Todo.objects.get(pk=world.shared_todo.pk)
    live = _post(
        as_maria, _url("meeting_todo", meeting, todo.pk), {"done": "1", "version": todo.version}
    )
    assert "<strong>50%</strong> done · 1 of 2 due this week" in live
    with django_capture_on_commit_callbacks(execute=True):
        as_maria.post(_url("meeting_end", meeting), {"version": _version(meeting)})
    page = as_maria.get(_url("meeting_detail", meeting)).content.decode()
    said = "done: 1 of the 2 to-dos due that week, counting any ticked off ahead of their date"
    assert f"50%</strong> {said}" in page
    assert said in mail.outbox[0].body and said in mail.outbox[0].alternatives[0][0]
