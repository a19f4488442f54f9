"""Rows the health tests need, made directly in the tables (each part's rule is tested on
small data of its own)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from tandem.core.access import Visibility
from tandem.core.models import ActivityEntry
from tandem.exchange.ledger.models import Entry as LedgerEntry
from tandem.exchange.ledger.models import Kind as LedgerKind
from tandem.exchange.ledger.services import ensure_kinds
from tandem.exchange.pipeline.models import Opportunity, Stage
from tandem.meetings.models import Meeting, Schedule
from tandem.relationship.asks.models import Ask
from tandem.relationship.checkins.models import CheckIn
from tandem.relationship.commitments.models import Commitment, CommitmentReview
from tandem.scorecard.models import Entry as ScoreEntry
from tandem.traction.models import Rock, Todo

TODAY = date(2026, 11, 25)  # a Wednesday of Q4 2026


def at(day: date, hour: int = 12) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def schedule(partnership: Any, **values: Any) -> Schedule:
    """Weekly on Tuesdays at 10:00 UTC since January, no quarterly meeting."""
    return Schedule.objects.create(
        partnership=partnership,
        **{"weekday": 1, "starts_on": date(2026, 1, 6), "quarterly": False, **values},
    )


def meeting(partnership: Any, day: date, *, recap: bool = False) -> Meeting:
    return Meeting.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        started_at=at(day, 10),
        ended_at=at(day, 11),
        recap_sent_at=at(day, 12) if recap else None,
    )


def todo(partnership: Any, due: date, *, done: date | None = None, **values: Any) -> Todo:
    return Todo.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        title=values.pop("title", "A to-do"),
        due_on=due,
        done_at=at(done) if done else None,
        **values,
    )


def rock(partnership: Any, status: str = "on_track", **values: Any) -> Rock:
    return Rock.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        status=status,
        **{"title": "A rock", "year": 2026, "quarter": 4, "due_on": date(2026, 12, 31), **values},
    )


def score(measurable: Any, period: date, value: Any, **values: Any) -> ScoreEntry:
    return ScoreEntry.objects.create(
        measurable=measurable, period_start=period, value=value, **values
    )


def review(partnership: Any, side: str, kept: bool, period: date, **values: Any) -> Any:
    promise = Commitment.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        side=side,
        description=f"Promise {side}",
        target="Something",
        **values,
    )
    return CommitmentReview.objects.create(commitment=promise, period_start=period, kept=kept)


def ask(partnership: Any, asked: date, **values: Any) -> Ask:
    return Ask.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        side=values.pop("side", "ours"),
        title=values.pop("title", "An ask"),
        asked_at=at(asked),
        **values,
    )


def checkin(partnership: Any, kind: str, held: date, **values: Any) -> CheckIn:
    return CheckIn.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        kind=kind,
        title=f"{kind} check-in",
        held_on=held,
        **values,
    )


def given(partnership: Any, direction: str, day: date, **values: Any) -> LedgerEntry:
    ensure_kinds(partnership.workspace_id)
    kind = LedgerKind.objects.filter(workspace_id=partnership.workspace_id).first()
    return LedgerEntry.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        kind=kind,
        direction=direction,
        occurred_on=day,
        title="Given",
        logged_by_side=direction,
        **values,
    )


def deal(partnership: Any, entered: date, *, outcome: str = "open", **values: Any) -> Opportunity:
    stage, _ = Stage.objects.get_or_create(
        workspace_id=partnership.workspace_id,
        name=f"Test {outcome}",
        defaults={"probability": 10, "outcome": outcome},
    )
    return Opportunity.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        account_name="Contoso",
        account_key="contoso",
        stage=stage,
        stage_entered_at=at(entered),
        **values,
    )


def acted(partnership: Any, user: Any, day: date, item: Any) -> ActivityEntry:
    """An activity entry by ``user`` about ``item`` on ``day``."""
    entry = ActivityEntry.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        actor=user,
        verb="updated",
        target_type="to-do",
        target_model=item._meta.label_lower,
        target_id=item.pk,
        target_label=str(item),
        visibility=Visibility.SHARED,
    )
    ActivityEntry.objects.filter(pk=entry.pk).update(created_at=at(day))
    return entry
