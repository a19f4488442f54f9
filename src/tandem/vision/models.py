"""Goals: where a partnership (or the program) means to be in one year or three, each with a
measurable target (seed 000: the Vision component). Rocks link to a 1-year goal."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.core.models import PartnershipItem


class Horizon(models.TextChoices):
    ONE_YEAR = "1y", "1-year goal"
    THREE_YEARS = "3y", "3-year picture"


def a_year_from_now() -> date:
    return timezone.localdate() + timedelta(days=365)


class Goal(PartnershipItem):
    title = models.CharField(max_length=200)
    target = models.CharField(
        "measurable target",
        max_length=200,
        help_text="How both sides will know it is reached: a number and a date.",
    )
    horizon = models.CharField(max_length=2, choices=Horizon.choices, default=Horizon.ONE_YEAR)
    due_on = models.DateField("by", default=a_year_from_now)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concurrency_fields = ("title", "target", "horizon", "due_on", "owner", "visibility")

    class Meta:
        ordering = ["horizon", "due_on", "id"]
        indexes = [models.Index(fields=["partnership", "horizon", "due_on"])]

    def __str__(self) -> str:
        return self.title
