"""The weekly health snapshots, taken by the task worker (registered with the scheduler in
``apps.ready``)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import transaction
from django_tasks import task

from tandem.evaluation.health.models import HealthSnapshot, View
from tandem.evaluation.health.selectors import health_of, member_view, shared_view
from tandem.partners.models import Partnership, Stage

CHUNK = 500  # partnerships computed together: bounded queries, bounded memory


def week_of(period_start: str) -> date:
    """The Monday of the week ``period_start`` (an ISO 8601 date or datetime) falls in."""
    day = datetime.fromisoformat(period_start).date()
    return day - timedelta(days=day.weekday())


def snapshot_week(week: date) -> int:
    """Compute and store the health of every active partnership of every workspace for
    ``week`` (as of its Monday), in both views: "all" as a member sees it, "shared" as the
    partner side does. Taking a week again replaces its snapshots. Returns how many were
    stored."""
    ids = list(
        Partnership.objects.filter(stage=Stage.ACTIVE, archived_at__isnull=True)
        .order_by("pk")
        .values_list("pk", "workspace_id")
    )
    stored = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        pks = [pk for pk, _ in chunk]
        views = {
            View.ALL: health_of(member_view({ws for _, ws in chunk}), pks, week),
            View.SHARED: health_of(shared_view(pks), pks, week),
        }
        rows = [
            HealthSnapshot(
                partnership_id=pk,
                week=week,
                view=view,
                score=health.score,
                parts=[part.as_json() for part in health.parts],
            )
            for view, found in views.items()
            for pk, health in found.items()
        ]
        with transaction.atomic():
            HealthSnapshot.objects.filter(partnership_id__in=pks, week=week).delete()
            HealthSnapshot.objects.bulk_create(rows)
        stored += len(rows)
    return stored


@task()
def take_snapshots(period_start: str) -> str:
    """The week's snapshots (the scheduler calls it once per ISO week with the week's start;
    running it again for the same week replaces them)."""
    week = week_of(period_start)
    return f"week of {week}: {snapshot_week(week)} snapshots"
