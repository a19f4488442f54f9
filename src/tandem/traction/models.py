"""The lists a partnership runs on (seed 000, the Traction component)."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

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
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        return self.done_at is None and self.due_on < timezone.localdate()

    def next_due(self) -> date | None:
        steps = {"weekly": 7, "biweekly": 14}
        if self.repeat in steps:
            return self.due_on + timedelta(days=steps[self.repeat])
        if self.repeat == "monthly":
            month = self.due_on.month % 12 + 1
            year = self.due_on.year + (self.due_on.month == 12)
            for day in (self.due_on.day, 30, 29, 28):
                try:
                    return self.due_on.replace(year=year, month=month, day=day)
                except ValueError:
                    continue
        return None
