"""What a workspace's stall alerts are judged with: how many days of silence from the partner
side count as quiet (the other rules take their figures from the partnership's schedule, the
to-dos' due dates and the pipeline's stall days)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tandem.core.access import Visibility
from tandem.core.models import Versioned

QUIET_DAYS = 14  # the default: two weeks without an action by the partner's people
MAX_QUIET_DAYS = 365


class AlertSettings(Versioned):
    """A workspace's alert rules; a workspace without a row uses the defaults."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    partner_quiet_days = models.PositiveSmallIntegerField(
        "days without an action by the partner side",
        default=QUIET_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUIET_DAYS)],
        help_text="A partnership is flagged when nobody from the partner has acted for this long.",
    )

    concurrency_fields = ("partner_quiet_days",)
    # The workspace's own setting: its changes are internal activity.
    activity_visibility = Visibility.INTERNAL

    class Meta:
        verbose_name = "alert settings"
        verbose_name_plural = "alert settings"

    def __str__(self) -> str:
        return "Alert settings"


class Standing(models.Model):
    """A partnership's health score and stall alerts for ``day``, read with a member's eyes
    (everything in the workspace): what lists of many partnerships (the dashboard, the
    workspace's alerts) sort, filter and page by in SQL, so a program of a thousand
    partnerships does not compute a thousand healths on every visit.

    Not a cached page: it holds exactly what ``health_of`` and ``alerts_of`` return for its
    day, and ``standing.bring_up_to_date`` recomputes it before it is read when its day is
    over, when the partnership's data version has moved on (any change in it), or when the
    workspace's health, alert or pipeline settings changed since ``refreshed_at``."""

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
