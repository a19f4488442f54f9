"""The event catalogue: which writes are news to other tools, in one place.

Every write goes through core's one write path, which sends ``tandem.core.services.written``
with the item, the actor and ``before`` (the changed fields' old values; None on create).
``classify`` maps (the item's model, before/after) to an event type; a meeting's end does
not write through that path, so the meetings app's ``ON_ENDED`` hook brings it. ``view``
is the small JSON view of an item an event carries, cut for one reader: a partner-side
reader's recap holds only what they may see now.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse

from tandem.core.access import Actor
from tandem.notifications.services import url_of

# Every event type, with what a person choosing them reads.
EVENT_TYPES: dict[str, str] = {
    "todo.created": "A to-do was created",
    "todo.completed": "A to-do was completed",
    "rock.status_changed": "A rock's status changed",
    "issue.solved": "An issue was solved",
    "meeting.ended": "A meeting ended (with its recap)",
    "partnership.stage_changed": "A partnership's stage changed",
    "deal.registered": "A deal was registered",
    "deal.moved": "A deal moved to another stage",
    "ask.created": "An ask was made",
    "ask.answered": "An ask was answered",
    "value_entry.confirmed": "A value exchange entry was confirmed",
    "value_entry.disputed": "A value exchange entry was disputed",
}

# The fields of each item model an event shows: its own plain values only (a related item,
# such as a rock's goal, may be one the reader must not see).
VIEW_FIELDS: dict[str, tuple[str, ...]] = {
    "traction.todo": ("title", "details", "due_on", "done_at", "visibility"),
    "traction.rock": ("title", "year", "quarter", "due_on", "status", "visibility"),
    "issues.issue": ("title", "term", "solved_at", "decision", "visibility"),
    "meetings.meeting": ("kind", "started_at", "ended_at", "rating_average"),
    "partners.partnership": ("name", "website", "stage"),
    "pipeline.opportunity": (
        "account_name",
        "account_domain",
        "amount",
        "currency",
        "expected_close",
        "registration",
        "visibility",
    ),
    "asks.ask": ("title", "side", "status", "answer", "needed_by", "answered_at", "visibility"),
    "ledger.entry": (
        "title",
        "direction",
        "occurred_on",
        "amount",
        "currency",
        "confirmation",
        "confirmation_note",
        "visibility",
    ),
}


@dataclass(frozen=True)
class Event:
    """One piece of news, as it was when the write committed. ``changes``: the field that
    made it news, as [before, after] in words."""

    type: str
    model: str
    item_id: int
    workspace_id: int
    partnership_id: int | None
    occurred_at: dt.datetime
    changes: dict[str, list[Any]] = field(default_factory=dict)


def new_id() -> str:
    """A message id, as Standard Webhooks names them (``msg_…``): one per event and
    endpoint, kept across retries so that a receiver can tell a repeat."""
    return "msg_" + secrets.token_urlsafe(18)


def classify(model: str, item: models.Model, before: dict[str, Any] | None) -> Event | None:
    """The event a write of ``item`` (``model``: its label, "traction.todo") is, or None."""
    kind = _kind(model, item, before)
    if kind is None:
        return None
    partnership_id = item.pk if model == "partners.partnership" else item.partnership_id  # type: ignore[attr-defined]
    changed = {"rock.status_changed": "status", "partnership.stage_changed": "stage"}.get(kind)
    if kind == "deal.moved":
        changed = "stage"
    changes = (
        {changed: [_word((before or {}).get(changed)), _word(getattr(item, changed))]}
        if changed
        else {}
    )
    return Event(
        type=kind,
        model=model,
        item_id=item.pk,
        workspace_id=item.workspace_id,  # type: ignore[attr-defined]
        partnership_id=partnership_id,
        occurred_at=dt.datetime.now(dt.UTC),
        changes=changes,
    )


def _kind(model: str, item: Any, before: dict[str, Any] | None) -> str | None:
    created = before is None
    was = before or {}
    if model == "traction.todo":
        if created:
            return "todo.created"
        if "done_at" in was and was["done_at"] is None and item.done_at is not None:
            return "todo.completed"
    elif model == "traction.rock":
        if "status" in was:
            return "rock.status_changed"
    elif model == "issues.issue":
        if "solved_at" in was and was["solved_at"] is None and item.solved_at is not None:
            return "issue.solved"
    elif model == "partners.partnership":
        if "stage" in was:
            return "partnership.stage_changed"
    elif model == "pipeline.opportunity":
        if created:
            return "deal.registered" if item.registration == "pending" else None
        if "stage" in was:
            return "deal.moved"
    elif model == "asks.ask":
        if created:
            return "ask.created"
        if "status" in was and item.status == "answered":
            return "ask.answered"
    elif model == "ledger.entry" and "confirmation" in was:
        return {"confirmed": "value_entry.confirmed", "disputed": "value_entry.disputed"}.get(
            item.confirmation
        )
    return None


def meeting_ended(meeting: Any) -> Event:
    """The event of a meeting's end (its recap is stored on the meeting)."""
    return Event(
        type="meeting.ended",
        model="meetings.meeting",
        item_id=meeting.pk,
        workspace_id=meeting.workspace_id,
        partnership_id=meeting.partnership_id,
        occurred_at=dt.datetime.now(dt.UTC),
    )


def view(event: Event, item: models.Model, reader: Actor | None) -> dict[str, Any]:
    """The small JSON view of ``item`` that ``event`` carries; ``reader``: the partner-side
    person it is cut for (None: a member, who sees the whole recap)."""
    data: dict[str, Any] = {"id": item.pk, "label": str(item)}
    for name in VIEW_FIELDS.get(event.model, ()):
        data[name] = _json(getattr(item, name))
    if event.model == "pipeline.opportunity":
        data["stage"] = _word(item.stage)  # type: ignore[attr-defined]
    if event.type == "meeting.ended":
        from tandem.meetings import recap

        seen = None if reader is None else recap.seen_by(reader, item.partnership)  # type: ignore[attr-defined]
        data["recap"] = _json(recap.for_reader(item.recap, seen))  # type: ignore[attr-defined]
    return data


def link(item: models.Model) -> str:
    """The item's page, as an absolute address."""
    if item._meta.label_lower == "partners.partnership":
        path = reverse("partnership_detail", args=[item.pk])
    else:
        path = url_of(item)
    return settings.SITE_URL + path


def _word(value: Any) -> Any:
    """A value as words: a related row by its name, a choice by its value."""
    if value is None or isinstance(value, str | int | bool):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return _json(value)


def _json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _json(inner) for key, inner in value.items()}
    if isinstance(value, list | tuple):
        return [_json(inner) for inner in value]
    if isinstance(value, models.Model):
        return str(value)
    return value
