"""The partnerships that meet soonest, read in SQL from each one's stored next meeting
(``NextMeeting``), brought up to date first: a partnership's is read again when it changed
(its data version), when its meeting has started, or when its row was computed for a later
moment than the one asked about. Usually none is; after a meeting, that partnership."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django_tasks import task

from tandem.meetings.models import NextMeeting
from tandem.meetings.schedule.dates import NOT_MEETING, next_occurrence, schedule_of
from tandem.partners.models import Partnership

# A partnership with no meeting within the horizon is looked at again a day later.
NONE_FOR = timedelta(days=1)


def bring_up_to_date(partnerships: QuerySet[Partnership], now: datetime) -> int:
    """Compute and store the next meeting after ``now`` of the stale ones among
    ``partnerships`` (loaded with their schedules); returns how many were."""
    fresh = NextMeeting.objects.filter(
        Q(start__gte=now) | Q(start__isnull=True, after__gt=now - NONE_FOR),
        data_version=F("partnership__data_version"),
        after__lte=now,
    )
    stale = list(partnerships.exclude(pk__in=fresh.values("partnership_id")).order_by("pk"))
    if not stale:
        return 0
    rows = []
    for partnership in stale:
        found = next_occurrence(partnership, schedule_of(partnership), now)
        rows.append(
            NextMeeting(
                partnership_id=partnership.pk,
                start=found.start if found else None,
                after=now,
                data_version=partnership.data_version,
            )
        )
    # Two readers at once store the same row (an upsert).
    NextMeeting.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["partnership"],
        update_fields=["start", "after", "data_version"],
    )
    return len(rows)


def soonest(partnerships: QuerySet[Partnership], now: datetime, limit: int) -> list[Partnership]:
    """The ``limit`` partnerships among ``partnerships`` whose next meeting after ``now`` is
    soonest (then by id, an order Python and every database agree on): every meeting among
    the soonest ``limit`` of all of theirs, in that order, is one of these partnerships'.
    Two queries when nothing is stale."""
    bring_up_to_date(partnerships, now)
    return list(
        partnerships.filter(next_meeting__start__isnull=False).order_by(
            "next_meeting__start", "pk"
        )[:limit]
    )


@task()
def refresh_next_meetings(period_start: str) -> str:
    """Every hour: the next meeting of every partnership that meets, so that the first home
    page after a busy hour of meetings (the default schedule's are all at once) does not
    compute them all."""
    now = timezone.now()
    meeting = (
        Partnership.objects.filter(archived_at__isnull=True)
        .exclude(stage__in=NOT_MEETING)
        .select_related("schedule")
    )
    workspaces = meeting.order_by("workspace_id").values_list("workspace_id", flat=True)
    counted = sum(
        bring_up_to_date(meeting.filter(workspace_id=workspace_id), now)
        for workspace_id in sorted(set(workspaces))
    )
    return f"{period_start}: {counted} next meetings"
