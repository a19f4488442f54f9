"""The lists a partnership runs on (seed 000, the Traction component)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.core.dates import quarter_of as quarter_of  # where rocks' callers look
from tandem.core.models import PartnershipItem

TODO_DUE_IN = timedelta(days=7)  # "to-dos due in 7 days" — the weekly rhythm of seed 000
COMPLETION_TARGET = 0.9  # "90% of these should drop off every week" — seed 000


class Repeat(models.TextChoices):
    NEVER = "", "Does not repeat"
    WEEKLY = "weekly", "Every week"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Every month"


def default_due() -> date:
    return timezone.localdate() + TODO_DUE_IN


class Todo(PartnershipItem):
    """An action item with one owner, on either side, due within the week by default."""

    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField(default=default_due)
    repeat = models.CharField(max_length=16, choices=Repeat.choices, blank=True, default="")
    done_at = models.DateTimeField(null=True, blank=True)
    # The day of the month a monthly to-do keeps coming back on (31 → Feb 28 → Mar 31).
    repeat_day = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    repeated_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concurrency_fields = ("title", "details", "owner", "due_on", "repeat", "visibility")

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = "to-do"
        indexes = [
            models.Index(fields=["partnership", "done_at", "due_on"]),
            models.Index(fields=["partnership", "due_on"]),
            # One person's open to-dos across every partnership (My week, the digest).
            models.Index(fields=["owner", "done_at", "due_on"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()

    def next_due(self, *, after: date | None = None) -> date | None:
        """The next due date of a repeating to-do, moved past ``after`` (today) so a late
        tick-off does not bring it back already overdue."""
        if not self.repeat:
            return None
        after = after or timezone.localdate()
        due = self.due_on
        try:
            for _ in range(600):
                due = self._step(due)
                if due > after:
                    return due
        except (OverflowError, ValueError):
            return None
        return None

    def _step(self, due: date) -> date:
        if self.repeat == "weekly":
            return due + timedelta(days=7)
        if self.repeat == "biweekly":
            return due + timedelta(days=14)
        year, month = (due.year, due.month + 1) if due.month < 12 else (due.year + 1, 1)
        day = self.repeat_day or due.day
        last = calendar.monthrange(year, month)[1]
        return date(year, month, min(day, last))


class RockStatus(models.TextChoices):
    ON_TRACK = "on_track", "On track"
    OFF_TRACK = "off_track", "Off track"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


ROCKS_PER_PERSON = 7  # "three to seven rocks per person" — seed 000's 90-day world


def quarter_end(year: int, quarter: int) -> date:
    month = quarter * 3
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_start(year: int, quarter: int) -> date:
    return date(year, quarter * 3 - 2, 1)


class Rock(PartnershipItem):
    """A 90-day priority: one owner, on either side, due by the quarter's end."""

    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])
    due_on = models.DateField()
    status = models.CharField(
        max_length=16, choices=RockStatus.choices, default=RockStatus.ON_TRACK
    )
    goal = models.ForeignKey(
        "vision.Goal",
        verbose_name="1-year goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rocks",
    )

    concurrency_fields = ("title", "details", "owner", "due_on", "status", "goal", "visibility")

    class Meta:
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["partnership", "year", "quarter"]),
            # A quarter's rocks across the program (who carries more than seven): read by
            # quarter, not by walking every rock of the workspace's years.
            models.Index(fields=["workspace", "year", "quarter"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def quarter_label(self) -> str:
        return f"Q{self.quarter} {self.year}"


class Milestone(models.Model):
    """A dated step of a rock. Its owner sees it among their to-dos in the week it is due."""

    rock = models.ForeignKey(Rock, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.title
