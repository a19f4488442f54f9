"""Keeping each partnership's standing (its health and alerts today, as a member sees them)
up to date: before the dashboard reads the standings it recomputes the stale ones, and the
task worker recomputes them all every hour (so the first visit of a day is not the one that
pays, and alerts that follow the clock within a day, like a recap an hour late, appear)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import overload

from django.db.models import Exists, F, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone
from django_tasks import task

from tandem.core.models import ActivityEntry
from tandem.evaluation.alerts.models import Standing
from tandem.evaluation.alerts.selectors import Alert, alerts_of
from tandem.evaluation.health.selectors import health_of, member_view
from tandem.partners.models import Partnership

CHUNK = 500  # partnerships computed together: bounded queries, bounded memory

# Workspace settings a standing is computed with: a change to one makes every standing of
# the workspace stale. (Changes to a partnership, its schedule or its items are logged under
# the partnership.)
SETTINGS = ("health.healthsettings", "alerts.alertsettings", "pipeline.pipelinesettings")


def stale_ids(workspace_id: int, current: QuerySet[Partnership], today: date) -> list[int]:
    """The partnerships among ``current`` (a workspace's) whose standing is missing, of
    another day, of an older data version of the partnership (every change in it moves that
    on), or older than a change to the workspace's settings: two queries whatever the number
    of partnerships or the length of their history."""
    settings = ActivityEntry.objects.filter(
        workspace_id=workspace_id,
        partnership__isnull=True,
        target_model__in=SETTINGS,
        created_at__gte=OuterRef("refreshed_at"),
    )
    fresh = set(
        Standing.objects.filter(
            partnership__in=current, day=today, data_version=F("partnership__data_version")
        )
        .exclude(Exists(settings))
        .values_list("partnership_id", flat=True)
    )
    return [pk for pk in current.order_by("pk").values_list("pk", flat=True) if pk not in fresh]


def refresh(workspace_id: int, partnership_ids: Iterable[int], today: date) -> int:
    """Recompute and store the standing of ``partnership_ids`` (of one workspace) for
    ``today``; returns how many were stored. Two readers refreshing the same partnership at
    once both write the same values (an upsert)."""
    ids = sorted(set(partnership_ids))
    reader = member_view({workspace_id})
    stored = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        # Taken before reading: a change logged while we compute makes the row stale again.
        moment = timezone.now()
        loaded = list(
            Partnership.objects.filter(pk__in=chunk, workspace_id=workspace_id)
            .select_related("schedule", "workspace")
            .order_by("pk")
        )
        health = health_of(reader, loaded, today)
        alerts = alerts_of(reader, loaded, today)
        rows = [
            Standing(
                partnership_id=p.pk,
                day=today,
                score=health[p.pk].score if p.pk in health else None,
                alert_count=len(alerts.get(p.pk, [])),
                alerts=[
                    {**alert.as_json(), "since": alert.since.isoformat()}
                    for alert in alerts.get(p.pk, [])
                ],
                data_version=p.data_version,
                refreshed_at=moment,
            )
            for p in loaded
        ]
        Standing.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["partnership"],
            update_fields=["day", "data_version", "score", "alert_count", "alerts", "refreshed_at"],
        )
        stored += len(rows)
    return stored


def bring_up_to_date(workspace_id: int, current: QuerySet[Partnership], today: date) -> int:
    """Recompute the stale standings among ``current``; returns how many were."""
    stale = stale_ids(workspace_id, current, today)
    return refresh(workspace_id, stale, today) if stale else 0


@task()
def refresh_standings(period_start: str) -> str:
    """Every hour: the standing of every current partnership of every workspace, for today."""
    today = timezone.localdate()
    stored = 0
    by_workspace: dict[int, list[int]] = {}
    for pk, workspace_id in (
        Partnership.objects.filter(archived_at__isnull=True)
        .order_by("workspace_id", "pk")
        .values_list("pk", "workspace_id")
    ):
        by_workspace.setdefault(workspace_id, []).append(pk)
    for workspace_id, ids in by_workspace.items():
        stored += refresh(workspace_id, ids, today)
    return f"{period_start}: {stored} standings"


def stored_alerts(standing: Standing) -> list[Alert]:
    """The alerts a standing holds, as ``alerts_of`` returned them."""
    return [
        Alert(
            kind=row["kind"],
            partnership_id=row["partnership_id"],
            partnership_name=row["partnership_name"],
            text=row["text"],
            next_step=row["next_step"],
            url=row["url"],
            since=date.fromisoformat(row["since"]),
        )
        for row in standing.alerts
    ]


class WorkspaceAlerts(Sequence[Alert]):
    """Every alert of a workspace's current partnerships, partnership by partnership (by
    name), each partnership's in ``KINDS`` order, read from their standings (bring them up to
    date first). A sequence a Paginator can page: its length and a page's partnerships are
    read without the alerts themselves, then only that page's alerts are loaded — two queries
    whatever the number of partnerships."""

    def __init__(self, current: QuerySet[Partnership]) -> None:
        self.standings = Standing.objects.filter(
            partnership__in=current, alert_count__gt=0
        ).order_by(Lower("partnership__name"), "partnership_id")
        self.counts = list(self.standings.values_list("pk", "alert_count"))

    def __len__(self) -> int:
        return sum(count for _pk, count in self.counts)

    @property
    def partnership_count(self) -> int:
        return len(self.counts)

    @overload
    def __getitem__(self, index: int) -> Alert: ...

    @overload
    def __getitem__(self, index: slice) -> list[Alert]: ...

    def __getitem__(self, index: int | slice) -> Alert | list[Alert]:
        if isinstance(index, int):
            return self[index : index + 1 or None][0] if index >= 0 else list(self)[index]
        start, stop, step = index.indices(len(self))
        wanted, offset, first = [], 0, None
        for pk, count in self.counts:
            if offset + count > start and offset < stop:
                wanted.append(pk)
                first = offset if first is None else first
            offset += count
        if not wanted:
            return []
        by_pk = {row.pk: row for row in Standing.objects.filter(pk__in=wanted)}
        alerts = [alert for pk in wanted for alert in stored_alerts(by_pk[pk])]
        assert first is not None
        return alerts[start - first : stop - first : step]
