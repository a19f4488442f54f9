"""The Vision component (seed 000) and alignment (seed 004).

Goals: where a partnership (or the program) means to be in one year or three, each with a
measurable target; rocks link to a 1-year goal. Company goals: what the company as a whole is
after; each program goal says which one it serves. Values: the program's own and, in each
partnership, the partner's stated values, each pointing at the program value it matches."""

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
    # Program goals only: the company goal this one serves (seed 004).
    company_goal = models.ForeignKey(
        "CompanyGoal",
        verbose_name="serves company goal",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="program_goals",
    )

    concurrency_fields = (
        "title",
        "target",
        "horizon",
        "due_on",
        "owner",
        "company_goal",
        "visibility",
    )

    class Meta:
        ordering = ["horizon", "due_on", "id"]
        indexes = [models.Index(fields=["partnership", "horizon", "due_on"])]

    def __str__(self) -> str:
        return self.title


class CompanyGoal(PartnershipItem):
    """A goal of the company as a whole (program level only, internal): the partner program
    shows how it serves each one."""

    title = models.CharField(max_length=200)
    target = models.CharField(
        "measurable target", max_length=200, blank=True, help_text="Optional: how it is measured."
    )

    concurrency_fields = ("title", "target")

    class Meta:
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title


class Value(PartnershipItem):
    """A value: the program's own (no partnership) or one a partner stated (in its
    partnership). A partner's value that matches one of the program's makes it shared.

    The program states its values to its partners: a shared program value is seen on the
    partner side of each of the workspace's partnerships, an internal one by members only."""

    program_items_shared_with_partners = True

    name = models.CharField(max_length=80)
    meaning = models.CharField(
        "what it looks like in practice",
        max_length=300,
        blank=True,
    )
    matches = models.ForeignKey(
        "self",
        verbose_name="matches our value",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="matched_by",
    )

    concurrency_fields = ("name", "meaning", "matches", "visibility")

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["workspace", "partnership", "name"])]

    def __str__(self) -> str:
        return self.name
