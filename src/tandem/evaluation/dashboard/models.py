"""Where each partnership stands today, as a member sees it: what the dashboard sorts, filters
and pages by in SQL, so a program of a thousand partnerships does not compute a thousand
healths on every visit.

A standing is not a cached page: it holds exactly what ``health_of`` and ``alerts_of`` return
for its day, and it is recomputed before it is read whenever anything it depends on may have
changed (see ``standing.bring_up_to_date``)."""

from __future__ import annotations

from datetime import date

from django.db import models

from tandem.evaluation.alerts.selectors import Alert


class Standing(models.Model):
    """A partnership's health score and stall alerts for ``day``, read with a member's eyes
    (everything in the workspace). Recomputed when its day is over, when the partnership's
    data version has moved on (any change in it), or when the workspace's health, alert or
    pipeline settings changed since ``refreshed_at``."""

    partnership = models.OneToOneField(
        "partners.Partnership", on_delete=models.CASCADE, related_name="standing"
    )
    day = models.DateField()
    # The partnership's data version it was computed from (every change in it moves it on).
    data_version = models.PositiveBigIntegerField(default=0)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    alert_count = models.PositiveSmallIntegerField(default=0)
    # [{"kind", "partnership_id", "partnership_name", "text", "next_step", "url", "since"}, …]
    alerts = models.JSONField(default=list)
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["score"]), models.Index(fields=["alert_count"])]

    def __str__(self) -> str:
        return f"Standing of {self.partnership_id} on {self.day}"

    def alert_list(self) -> list[Alert]:
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
            for row in self.alerts
        ]
