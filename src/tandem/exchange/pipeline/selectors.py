"""Reading the pipeline, always through the requesting actor: the deals of a partnership by
stage with amounts per currency, the stalled ones, a deal's history, and — for members only —
which deal a flagged registration matched. Each in a fixed number of queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Sum, Value, When
from django.utils import timezone

from tandem.core.access import Actor
from tandem.core.scope import Scope
from tandem.exchange.pipeline.models import Opportunity, Outcome, Registration, Stage, StageChange
from tandem.exchange.pipeline.services import stages_of, stall_days_of


def stalled_since(workspace_id: int, now: datetime | None = None) -> datetime:
    """Open deals whose stage was entered before this are stalled."""
    return (now or timezone.now()) - timedelta(days=stall_days_of(workspace_id))


def opportunities_for(
    actor: Actor, scope: Scope, *, since: datetime | None = None
) -> QuerySet[Opportunity]:
    """The deals the actor sees in ``scope``, with stage and people joined and ``stalled``
    annotated (an open, live deal with no stage change since ``since``)."""
    rows = (
        Opportunity.objects.visible_to(actor)
        .in_scope(scope)
        .select_related("stage", "owner", "created_by", "decided_by")
    )
    if since is None:
        return rows.annotate(stalled=Value(False, output_field=BooleanField()))
    return rows.annotate(
        stalled=Case(
            When(
                Q(stage__outcome=Outcome.OPEN, stage_entered_at__lt=since)
                & ~Q(registration__in=[Registration.PENDING, Registration.REJECTED]),
                then=Value(True),
            ),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


@dataclass
class StageColumn:
    stage: Stage
    count: int = 0
    stalled: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Board:
    columns: list[StageColumn]
    pending: int
    rejected: int
    totals: dict[str, Decimal]  # open deals, per currency
    stall_days: int


def board(actor: Actor, scope: Scope, *, now: datetime | None = None) -> Board:
    """Counts, stalled counts and amounts per currency for each stage (live deals: pending
    and rejected registrations are counted apart). Three queries whatever the number of deals."""
    stages = stages_of(scope.workspace_id)
    stall_days = stall_days_of(scope.workspace_id)
    since = (now or timezone.now()) - timedelta(days=stall_days)
    live = Opportunity.objects.visible_to(actor).in_scope(scope)
    rows = (
        live.exclude(registration__in=[Registration.PENDING, Registration.REJECTED])
        .values("stage_id", "currency")
        .annotate(
            n=Count("id"),
            stalled=Count("id", filter=Q(stage_entered_at__lt=since, stage__outcome=Outcome.OPEN)),
            total=Sum("amount"),
        )
        .order_by()
    )
    by_stage: dict[int, StageColumn] = {s.pk: StageColumn(s) for s in stages}
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        column = by_stage.get(row["stage_id"])
        if column is None:
            continue
        column.count += row["n"]
        column.stalled += row["stalled"]
        if row["total"] is not None and row["currency"]:
            column.amounts[row["currency"]] = (
                column.amounts.get(row["currency"], Decimal(0)) + row["total"]
            )
            if column.stage.outcome == Outcome.OPEN:
                totals[row["currency"]] += row["total"]
    pending = live.aggregate(
        pending=Count("id", filter=Q(registration=Registration.PENDING)),
        rejected=Count("id", filter=Q(registration=Registration.REJECTED)),
    )
    columns = [c for c in by_stage.values() if not c.stage.archived or c.count]
    for column in columns:
        column.amounts = dict(sorted(column.amounts.items()))
    return Board(
        columns=columns,
        pending=pending["pending"],
        rejected=pending["rejected"],
        totals=dict(sorted(totals.items())),
        stall_days=stall_days,
    )


def history(item: Opportunity) -> list[StageChange]:
    return list(
        StageChange.objects.filter(opportunity=item)
        .select_related("from_stage", "to_stage", "changed_by")
        .order_by("changed_at", "id")
    )


def matches(actor: Actor, items: list[Opportunity]) -> dict[int, list[Opportunity]]:
    """For members only: the other deals of the workspace with the same account as each
    flagged registration (any partnership), in one query. Everyone else: nothing."""
    flagged = [o for o in items if o.already_registered]
    if not flagged or not actor.is_member(flagged[0].workspace_id):
        return {}
    keys = {o.account_key for o in flagged}
    found = list(
        Opportunity.objects.visible_to(actor)
        .filter(workspace_id=flagged[0].workspace_id, account_key__in=keys)
        .exclude(registration=Registration.REJECTED)
        .select_related("partnership", "stage")
        .order_by("created_at", "id")
    )
    result: dict[int, list[Opportunity]] = {}
    for item in flagged:
        result[item.pk] = [
            o for o in found if o.account_key == item.account_key and o.pk != item.pk
        ]
    return result


def pending_registrations(actor: Actor, scope: Scope) -> list[Opportunity]:
    return list(
        opportunities_for(actor, scope)
        .filter(registration=Registration.PENDING)
        .order_by("created_at", "id")[:100]
    )


def amounts_per_currency(rows: Any) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row.amount is not None and row.currency:
            totals[row.currency] += row.amount
    return dict(sorted(totals.items()))
