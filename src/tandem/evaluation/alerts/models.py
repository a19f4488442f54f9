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
