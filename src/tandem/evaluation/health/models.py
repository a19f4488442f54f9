"""What the health of a partnership is weighed with (per workspace) and what it was, week by
week (snapshots taken by the task worker)."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tandem.core.access import Visibility
from tandem.core.models import Versioned

# The parts of the health score, in the order pages show them, with their default weight
# (0–10). Meetings and the partner's own activity weigh most: seed 001 says partnerships
# stall between the kick-off and the next meeting; seed 003 that commitment is buy-in from
# both sides.
DEFAULT_WEIGHTS: dict[str, int] = {
    "meetings": 3,
    "recaps": 1,
    "todos": 2,
    "rocks": 2,
    "scorecard": 2,
    "commitments": 2,
    "asks": 1,
    "checkins": 1,
    "value": 1,
    "pipeline": 1,
    "partner_activity": 2,
}
MAX_WEIGHT = 10


def _weight(key: str, label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        default=DEFAULT_WEIGHTS[key],
        validators=[MinValueValidator(0), MaxValueValidator(MAX_WEIGHT)],
    )


class HealthSettings(Versioned):
    """A workspace's weights of the health parts, 0–10 each (0 leaves a part out of the
    total); a workspace without a row uses ``DEFAULT_WEIGHTS``."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    weight_meetings = _weight("meetings", "meetings held at the cadence")
    weight_recaps = _weight("recaps", "recaps sent")
    weight_todos = _weight("todos", "to-dos done on time")
    weight_rocks = _weight("rocks", "rocks on track")
    weight_scorecard = _weight("scorecard", "scorecard on track")
    weight_commitments = _weight("commitments", "commitments kept")
    weight_asks = _weight("asks", "asks answered on time")
    weight_checkins = _weight("checkins", "check-in rhythm")
    weight_value = _weight("value", "value balance")
    weight_pipeline = _weight("pipeline", "pipeline movement")
    weight_partner_activity = _weight("partner_activity", "partner side's activity")

    concurrency_fields = tuple(f"weight_{key}" for key in DEFAULT_WEIGHTS)
    # The workspace's own setting: its changes are internal activity.
    activity_visibility = Visibility.INTERNAL

    class Meta:
        verbose_name = "health weights"
        verbose_name_plural = "health weights"

    def __str__(self) -> str:
        return "Health weights"

    @property
    def weights(self) -> dict[str, int]:
        return {key: getattr(self, f"weight_{key}") for key in DEFAULT_WEIGHTS}


class View(models.TextChoices):
    ALL = "all", "As a member sees it"
    SHARED = "shared", "As the partner side sees it (shared items only)"


class HealthSnapshot(models.Model):
    """The health of one partnership in one week (its Monday), in one view: everything (a
    member's) or shared items only (a partner-side person's). Taking a week again replaces
    its snapshot."""

    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    week = models.DateField(help_text="The Monday of the week.")
    view = models.CharField(max_length=8, choices=View.choices)
    score = models.PositiveSmallIntegerField(null=True, blank=True)
    # [{"key", "label", "score", "evidence", "url", "weight"}, …] as Part.as_json writes them.
    parts = models.JSONField(default=list)
    taken_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-week", "view"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "week", "view"], name="one_health_snapshot_per_week"
            )
        ]
        indexes = [models.Index(fields=["partnership", "view", "-week"])]

    def __str__(self) -> str:
        return f"Health of {self.partnership_id} in the week of {self.week} ({self.view})"
