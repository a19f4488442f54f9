"""The event catalogue: which writes are news to other tools, and which are not. ``classify``
reads only the item and the old values of what changed, so these tests need no database."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import models

from tandem.exchange.ledger.models import Entry
from tandem.exchange.pipeline.models import Opportunity, Stage
from tandem.integrations.events import EVENT_TYPES, classify
from tandem.issues.models import Issue
from tandem.partners.models import Partnership
from tandem.relationship.asks.models import Ask
from tandem.traction.models import Rock, Todo

NOW = dt.datetime(2026, 12, 6, 9, 0, tzinfo=dt.UTC)
IN = {"workspace_id": 1, "partnership_id": 2}


def _deal(**values: Any) -> Opportunity:
    deal = Opportunity(pk=7, **IN, **values)
    deal.stage = Stage(pk=3, workspace_id=1, name="Proposal")
    return deal


CASES: list[tuple[str, models.Model, dict[str, Any] | None, str | None]] = [
    ("a to-do added", Todo(pk=1, **IN), None, "todo.created"),
    ("a to-do ticked", Todo(pk=1, **IN, done_at=NOW), {"done_at": None}, "todo.completed"),
    ("a to-do renamed", Todo(pk=1, **IN), {"title": "Old"}, None),
    (
        "a rock off track",
        Rock(pk=1, **IN, status="off_track"),
        {"status": "on_track"},
        "rock.status_changed",
    ),
    ("a rock renamed", Rock(pk=1, **IN), {"title": "Old"}, None),
    ("an issue solved", Issue(pk=1, **IN, solved_at=NOW), {"solved_at": None}, "issue.solved"),
    ("an issue added", Issue(pk=1, **IN), None, None),
    (
        "a partnership moved on",
        Partnership(pk=2, workspace_id=1, stage="active"),
        {"stage": "diligence"},
        "partnership.stage_changed",
    ),
    ("a deal registered", _deal(registration="pending"), None, "deal.registered"),
    ("a deal entered by a member", _deal(registration=""), None, None),
    ("a deal moved", _deal(), {"stage": 2}, "deal.moved"),
    ("an ask made", Ask(pk=1, **IN), None, "ask.created"),
    ("an ask answered", Ask(pk=1, **IN, status="answered"), {"status": "open"}, "ask.answered"),
    ("an ask declined", Ask(pk=1, **IN, status="declined"), {"status": "open"}, None),
    (
        "a value entry confirmed",
        Entry(pk=1, **IN, confirmation="confirmed"),
        {"confirmation": "pending"},
        "value_entry.confirmed",
    ),
    (
        "a value entry disputed",
        Entry(pk=1, **IN, confirmation="disputed"),
        {"confirmation": "pending"},
        "value_entry.disputed",
    ),
]


@pytest.mark.parametrize(
    ("item", "before", "expected"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_write_is_news_when_it_says_so(
    item: models.Model, before: dict[str, Any] | None, expected: str | None
) -> None:
    event = classify(item._meta.label_lower, item, before)
    assert (event.type if event else None) == expected
    if event is not None:
        assert event.type in EVENT_TYPES
        assert (event.workspace_id, event.partnership_id, event.item_id) == (1, 2, item.pk)


def test_a_moved_deal_and_a_changed_rock_say_what_changed() -> None:
    moved = classify("pipeline.opportunity", _deal(), {"stage": "Qualified"})
    assert moved is not None and moved.changes == {"stage": ["Qualified", "Proposal"]}
    rock = classify("traction.rock", Rock(pk=1, **IN, status="off_track"), {"status": "on_track"})
    assert rock is not None and rock.changes == {"status": ["on_track", "off_track"]}
