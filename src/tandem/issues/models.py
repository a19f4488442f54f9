"""Issues: whatever stands in the way, ranked and solved in the meeting (seed 000, IDS)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tandem.core.models import PartnershipItem

VOTES_PER_PERSON = 3  # "each attendee votes for their top three"


class Term(models.TextChoices):
    SHORT = "short", "Short-term (this week)"
    LONG = "long", "Long-term (quarterly meeting)"


class Issue(PartnershipItem):
    """One issue on a partnership's short- or long-term list, in rank order, until it is
    solved: then it keeps its decision and the to-dos that came of it."""

    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    term = models.CharField(max_length=8, choices=Term.choices, default=Term.SHORT)
    rank = models.PositiveIntegerField(default=0, editable=False)
    solved_at = models.DateTimeField(null=True, blank=True, editable=False)
    solved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decision = models.TextField(blank=True, max_length=5000)
    todos = models.ManyToManyField("traction.Todo", blank=True, related_name="issues")

    concurrency_fields = ("title", "details", "owner", "term", "visibility")

    class Meta:
        ordering = ["rank", "id"]
        indexes = [
            models.Index(fields=["partnership", "solved_at", "term", "rank"]),
            models.Index(fields=["workspace", "solved_at", "term", "rank"]),
            models.Index(fields=["partnership", "-solved_at"]),
            models.Index(fields=["owner", "solved_at"]),  # one person's open issues (My week)
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_solved(self) -> bool:
        return self.solved_at is not None


class Vote(models.Model):
    """One person's vote for one open issue: each person has three per list."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "voter"], name="one_vote_per_issue"),
        ]

    def __str__(self) -> str:
        return f"{self.voter_id} → {self.issue_id}"
