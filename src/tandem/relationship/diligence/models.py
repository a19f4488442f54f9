"""Due diligence (seed 002: "failing to conduct thorough due diligence on potential partners
will cost you time and energy"): a workspace's weighted criteria, and assessments of a
partnership that score each criterion with evidence and end in a go / no-go decision.

An assessment keeps its own copy of each criterion's name, guidance and weight, so renaming,
reweighting or retiring a criterion later never rewrites a past assessment.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.functions import Lower

from tandem.core.access import Actor, Visibility
from tandem.core.models import PartnershipItem, Versioned
from tandem.core.numbers import percent

SCORE_MIN, SCORE_MAX = 1, 5
WEIGHT_MIN, WEIGHT_MAX = 1, 10


class Decision(models.TextChoices):
    GO = "go", "Go"
    NO_GO = "no_go", "No-go"


class CriterionQuerySet(models.QuerySet["Criterion"]):
    def visible_to(self, actor: Actor) -> CriterionQuerySet:
        """The workspace's own configuration: its members only, never the partner side."""
        if not actor.is_authenticated:
            return self.none()
        return self.filter(workspace_id__in=actor.workspace_ids)

    def current(self) -> CriterionQuerySet:
        return self.filter(retired_at__isnull=True)


NAME_TAKEN = "The workspace already has a criterion with this name."


class Criterion(Versioned):
    """One thing a workspace weighs before chasing a partner."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=80)
    guidance = models.CharField(
        max_length=200, blank=True, help_text="What to look for, in a line."
    )
    weight = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(WEIGHT_MIN), MaxValueValidator(WEIGHT_MAX)],
        help_text=f"{WEIGHT_MIN} to {WEIGHT_MAX}: how much it counts against the others.",
    )
    position = models.PositiveIntegerField(default=0)
    retired_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CriterionQuerySet.as_manager()

    activity_visibility = Visibility.INTERNAL
    concurrency_fields = ("name", "guidance", "weight")

    class Meta:
        ordering = ["position", "id"]
        verbose_name = "due diligence criterion"
        verbose_name_plural = "due diligence criteria"
        indexes = [models.Index(fields=["workspace", "position"])]
        constraints = [
            models.UniqueConstraint(
                "workspace",
                Lower("name"),
                name="criterion_name_once_per_workspace",
                violation_error_message=NAME_TAKEN,
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class Assessment(PartnershipItem):
    """One due diligence pass over a partnership. Internal to the workspace: the partner
    never sees how it was weighed. The latest decided assessment is the one that counts."""

    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    rationale = models.TextField(blank=True, max_length=4000)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # The weighted total of the scored criteria as a % of their maximum (derived).
    score_percent = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    activity_visibility = Visibility.INTERNAL
    concurrency_fields = ("decision", "rationale")

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "due diligence assessment"
        indexes = [
            models.Index(fields=["partnership", "-created_at"]),
            models.Index(fields=["partnership", "-decided_at"]),
        ]

    def __str__(self) -> str:
        when = self.created_at.strftime("%-d %b %Y") if self.created_at else "new"
        return f"due diligence of {when}"

    @property
    def is_decided(self) -> bool:
        return bool(self.decision)

    @property
    def is_go(self) -> bool:
        return self.decision == Decision.GO


class Score(models.Model):
    """One criterion of one assessment, as the criterion was when the assessment began."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(
        Criterion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=80)
    guidance = models.CharField(max_length=200, blank=True)
    weight = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(WEIGHT_MIN), MaxValueValidator(WEIGHT_MAX)]
    )
    position = models.PositiveIntegerField(default=0)
    score = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(SCORE_MIN), MaxValueValidator(SCORE_MAX)],
    )
    evidence = models.TextField(blank=True, max_length=2000)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.score or '—'}"


def weighted_percent(scores: Any) -> int | None:
    """The weighted total of the scored criteria, as a % of the most they could score."""
    scored = [s for s in scores if s.score is not None]
    if not scored:
        return None
    got = sum(s.score * s.weight for s in scored)
    most = sum(SCORE_MAX * s.weight for s in scored)
    return percent(got, most)
