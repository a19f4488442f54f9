"""The ideas backlog (seed 001): "categorize your thoughts into two groupings — short-term
tactical and longer-term strategic. Assign different owners to each category. List the ideas
in priority order and only commit to a few at a time."
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tandem.core.access import Visibility
from tandem.core.models import PartnershipItem, Versioned
from tandem.partners.models import Horizon

if TYPE_CHECKING:
    from tandem.accounts.models import User

DEFAULT_COMMIT_LIMIT = 3  # "only commit to a few at a time"
MAX_COMMIT_LIMIT = 20


class IdeaStatus(models.TextChoices):
    BACKLOG = "backlog", "In the backlog"
    COMMITTED = "committed", "Committed"
    DONE = "done", "Done"
    CONVERTED = "converted", "Became a rock or to-do"


# The statuses that hold a place in a group's priority order.
OPEN_STATUSES = (IdeaStatus.BACKLOG, IdeaStatus.COMMITTED)


class IdeaBoard(Versioned):
    """The backlog's settings for one partnership (or, without one, the program): how many
    ideas may be committed at once and who owns each group. Created on first change; until
    then the defaults apply."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    commit_limit = models.PositiveSmallIntegerField(
        "committed ideas at a time",
        default=DEFAULT_COMMIT_LIMIT,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_COMMIT_LIMIT)],
    )
    tactical_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="owner of the tactical ideas",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    strategic_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="owner of the strategic ideas",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    # Both sides see the limit and the group owners of their partnership.
    activity_visibility = Visibility.SHARED
    concurrency_fields = ("commit_limit", "tactical_owner", "strategic_owner")

    class Meta:
        verbose_name = "ideas board"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(partnership__isnull=False),
                name="ideas_one_board_per_partnership",
            ),
            models.UniqueConstraint(
                fields=["workspace"],
                condition=Q(partnership__isnull=True),
                name="ideas_one_board_per_program",
            ),
        ]

    def __str__(self) -> str:
        return "ideas backlog settings"

    def owner_of(self, horizon: str) -> User | None:
        return self.strategic_owner if horizon == Horizon.STRATEGIC else self.tactical_owner


class Idea(PartnershipItem):
    """One idea, captured in a line, sorted into a group and ranked within it."""

    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=5000)
    horizon = models.CharField(
        "group", max_length=16, choices=Horizon.choices, default=Horizon.TACTICAL
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=16, choices=IdeaStatus.choices, default=IdeaStatus.BACKLOG)
    # Priority within the group: lower comes first. Not user-editable: moved up and down.
    position = models.PositiveIntegerField(default=0, editable=False)
    committed_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # What the idea became: the link back from the backlog to the work.
    todo = models.ForeignKey(
        "traction.Todo", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rock = models.ForeignKey(
        "traction.Rock", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concurrency_fields = ("title", "details", "horizon", "owner", "visibility")

    class Meta:
        ordering = ["horizon", "position", "id"]
        indexes = [
            models.Index(fields=["partnership", "horizon", "status", "position"]),
            models.Index(fields=["workspace", "partnership", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_committed(self) -> bool:
        return self.status == IdeaStatus.COMMITTED
