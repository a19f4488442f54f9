"""How long deals sit in each stage: per open stage, the stays completed among those begun
in the last year — how many, and their median and mean length in days.

A partnership's are computed from its stage history on every view (one query, a row per
stay). The program's are the year's stays of every partnership — ninety thousand rows in a
program of a thousand partnerships, half a second — so they are counted once a day and
stored (``ProgramStays``): by the worker's hourly task when a new day began, or by the
first view of the day, and again whenever the workspace's stages change. A median moves
little in a day; the page says they are counted daily."""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django_tasks import task

from tandem.accounts.models import Workspace
from tandem.core.expressions import DaysBetween
from tandem.exchange.pipeline.models import Opportunity, Outcome, ProgramStays, StageChange
from tandem.exchange.pipeline.tallies import stages_key

# Stays counted: those that began in the last year. Every stay of every deal was read into
# Python before: 440,000 rows and four seconds for the program funnel of the large program
# (bench/large.py), more every year.
STAYS_DAYS = 365

Stays = dict[int, tuple[int, Decimal | None, Decimal | None]]  # stage id: (stays, median, mean)


def _days(spans: list[float]) -> tuple[Decimal | None, Decimal | None]:
    if not spans:
        return None, None
    median = Decimal(str(statistics.median(spans))).quantize(Decimal("0.1"))
    mean = Decimal(str(statistics.fmean(spans))).quantize(Decimal("0.1"))
    return median, mean


def stays_of(deals: QuerySet[Opportunity], now: datetime | None = None) -> Stays:
    """Per open stage, the completed stays of ``deals`` that began in the STAYS_DAYS before
    ``now``. One query; its rows are every such stay's length in days, computed by the
    database (a median needs them all)."""
    now = now or timezone.now()
    following = StageChange.objects.filter(opportunity_id=OuterRef("opportunity_id")).filter(
        Q(changed_at__gt=OuterRef("changed_at"))
        | Q(changed_at=OuterRef("changed_at"), pk__gt=OuterRef("pk"))
    )
    rows = (
        StageChange.objects.filter(
            opportunity__in=deals.values("pk"),
            to_stage__outcome=Outcome.OPEN,
            changed_at__gte=now - timedelta(days=STAYS_DAYS),
        )
        .annotate(left_at=Subquery(following.order_by("changed_at", "pk").values("changed_at")[:1]))
        .filter(left_at__isnull=False, left_at__lte=now)
        .annotate(days=DaysBetween("changed_at", "left_at"))
        .order_by()
        .values_list("to_stage_id", "days")
    )
    spans: dict[int, list[float]] = defaultdict(list)
    for stage_id, days in rows:
        spans[stage_id].append(days)
    return {stage_id: (len(found), *_days(found)) for stage_id, found in spans.items()}


def count_program(workspace_id: int, now: datetime | None = None) -> ProgramStays:
    """Count the program's stays (every deal of the workspace, as a member sees them) as of
    ``now`` and store them."""
    now = now or timezone.now()
    key = stages_key(workspace_id)
    # The program's deals, as the program funnel counts them: those of its partnerships.
    deals = Opportunity.objects.filter(workspace_id=workspace_id, partnership__isnull=False)
    found = stays_of(deals, now)
    figures = {
        str(stage_id): [count, _text(median), _text(mean)]
        for stage_id, (count, median, mean) in sorted(found.items())
    }
    stored, _created = ProgramStays.objects.update_or_create(
        workspace_id=workspace_id,
        defaults={"counted_at": now, "stages_key": key, "figures": figures},
    )
    return stored


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _fresh(stored: ProgramStays | None, workspace_id: int, now: datetime) -> bool:
    return (
        stored is not None
        and stored.counted_at.date() == now.date()
        and stored.counted_at <= now
        and stored.stages_key == stages_key(workspace_id)
    )


def program_stays(workspace_id: int, now: datetime | None = None) -> tuple[Stays, datetime]:
    """The program's stays as counted today (UTC), counted now if they were not yet, or
    under other stages; with the moment they were counted. Two queries when fresh."""
    now = now or timezone.now()
    stored = ProgramStays.objects.filter(workspace_id=workspace_id).first()
    if not _fresh(stored, workspace_id, now):
        stored = count_program(workspace_id, now)
    assert stored is not None
    return {
        int(stage_id): (count, _decimal(median), _decimal(mean))
        for stage_id, (count, median, mean) in stored.figures.items()
    }, stored.counted_at


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


@task()
def count_stays(period_start: str) -> str:
    """Every hour: count the stays of each workspace whose count is not of today, so that
    the first view of the program funnel in a new day is not the one that pays."""
    now = timezone.now()
    counted = 0
    for workspace_id in Workspace.objects.order_by("pk").values_list("pk", flat=True):
        if not _fresh(
            ProgramStays.objects.filter(workspace_id=workspace_id).first(), workspace_id, now
        ):
            count_program(workspace_id, now)
            counted += 1
    return f"{period_start}: stays of {counted} workspaces counted"
