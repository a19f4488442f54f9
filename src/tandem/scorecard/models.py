"""The scorecard: the handful of numbers both sides look at every week (seed 000, step 2 of
the weekly pulse: "use your scorecard to highlight what you've accomplished and where you're
tracking for the quarter and/or year").

A measurable has one owner (on either side), a unit, a goal with a comparator and a rhythm
(weekly or monthly). Its values are ``Entry`` rows, one per period, reached through it. A
measurable may instead be a formula of others: its values are computed, never entered.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models

from tandem.core.models import PartnershipItem, Versioned

PERIODS_SHOWN = 13  # "a 13-week scorecard" — the trailing quarter, period by period


class Unit(models.TextChoices):
    NUMBER = "number", "Number"
    CURRENCY = "currency", "Currency"
    PERCENT = "percent", "Percent"
    YES_NO = "yesno", "Yes / no"
    DURATION = "duration", "Duration (hours)"


class Comparator(models.TextChoices):
    AT_LEAST = "gte", "At least"
    AT_MOST = "lte", "At most"
    EQUAL = "eq", "Equal to"
    BETWEEN = "between", "Within range"


class Frequency(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    MONTHLY = "monthly", "Monthly"


class Aggregate(models.TextChoices):
    TOTAL = "total", "Total"
    AVERAGE = "average", "Average"


class Source(models.TextChoices):
    """Where a measurable's values come from: typed by hand, or computed from the value
    exchange ledger or the pipeline, period by period (never typed)."""

    MANUAL = "manual", "Entered by hand"
    PIPELINE_AMOUNT = "pipeline_amount", "Pipeline created (amount of new opportunities)"
    PIPELINE_COUNT = "pipeline_count", "Pipeline created (number of new opportunities)"
    WON_COUNT = "won_count", "Deals won (number closed won)"
    WON_AMOUNT = "won_amount", "Deals won (amount closed won)"
    VALUE_GIVEN = "value_given", "Value given by us (ledger)"
    VALUE_RECEIVED = "value_received", "Value received from the partner (ledger)"
    REGISTRATIONS = "registrations", "Deal registrations (number registered)"


# The computed sources that are amounts of money (in the workspace's base currency); the
# others are counts.
MONEY_SOURCES = frozenset(
    {Source.PIPELINE_AMOUNT, Source.WON_AMOUNT, Source.VALUE_GIVEN, Source.VALUE_RECEIVED}
)


def default_aggregate(unit: str, *, formula: str = "") -> str:
    """Rates and yes/no answers are averaged; counts, money and hours add up."""
    if formula or unit in {Unit.PERCENT, Unit.YES_NO}:
        return Aggregate.AVERAGE
    return Aggregate.TOTAL


# --- Periods: weeks start on Monday, months on the 1st ----------------------------------


def period_of(day: date, frequency: str) -> date:
    if frequency == Frequency.MONTHLY:
        return day.replace(day=1)
    return day - timedelta(days=day.weekday())


def shift(start: date, frequency: str, steps: int) -> date:
    if frequency == Frequency.MONTHLY:
        index = start.year * 12 + start.month - 1 + steps
        return date(index // 12, index % 12 + 1, 1)
    return start + timedelta(weeks=steps)


def period_end(start: date, frequency: str) -> date:
    return shift(start, frequency, 1) - timedelta(days=1)


def is_period_start(day: date, frequency: str) -> bool:
    return period_of(day, frequency) == day


def trailing(end: date, frequency: str, count: int = PERIODS_SHOWN) -> list[date]:
    """The ``count`` periods ending with the one that holds ``end``, oldest first."""
    last = period_of(end, frequency)
    return [shift(last, frequency, step) for step in range(1 - count, 1)]


def period_label(start: date, frequency: str) -> str:
    if frequency == Frequency.MONTHLY:
        return f"{calendar.month_abbr[start.month]} {start.year}"
    return f"{start.day} {calendar.month_abbr[start.month]}"


class Measurable(PartnershipItem):
    """One number on the scorecard, with one owner on either side."""

    title = models.CharField(max_length=120)
    description = models.TextField(blank=True, max_length=2000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.CharField(max_length=12, choices=Unit.choices, default=Unit.NUMBER)
    currency = models.CharField(max_length=3, default="USD", blank=True)
    comparator = models.CharField(
        max_length=8, choices=Comparator.choices, default=Comparator.AT_LEAST
    )
    goal = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    # The upper bound when the comparator is "within range" (``goal`` is the lower one).
    goal_high = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    frequency = models.CharField(max_length=8, choices=Frequency.choices, default=Frequency.WEEKLY)
    aggregate = models.CharField(max_length=8, choices=Aggregate.choices, default=Aggregate.TOTAL)
    # Canonical form, other measurables by id: "{#12} / {#13} * 100". Shown with titles.
    formula = models.CharField(max_length=500, blank=True, default="")
    source = models.CharField(
        "values",
        max_length=20,
        choices=Source.choices,
        default=Source.MANUAL,
        help_text="Entered by hand, or computed from the ledger or the pipeline in each period.",
    )
    position = models.PositiveIntegerField(default=0)

    concurrency_fields = (
        "title", "owner", "unit", "currency", "comparator", "goal", "goal_high", "frequency",
        "aggregate", "formula", "description", "visibility", "source",
    )  # fmt: skip

    class Meta:
        ordering = ["frequency", "position", "id"]
        indexes = [models.Index(fields=["partnership", "frequency", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_formula(self) -> bool:
        return bool(self.formula)

    @property
    def is_computed(self) -> bool:
        """Computed from the ledger or the pipeline (not a formula of other measurables)."""
        return bool(self.source) and self.source != Source.MANUAL

    @property
    def takes_no_values(self) -> bool:
        return self.is_formula or self.is_computed


class Entry(Versioned):
    """The value of a measurable for one period, and, for that period only, a temporary goal
    with a note. A missing value is no row, or a row whose value is null (cleared, or only a
    temporary goal set): never zero."""

    measurable = models.ForeignKey(Measurable, on_delete=models.CASCADE, related_name="entries")
    period_start = models.DateField()
    value = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    goal = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    goal_high = models.DecimalField(max_digits=18, decimal_places=4, null=True, blank=True)
    goal_note = models.CharField(max_length=200, blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    concurrency_fields = ("value", "goal", "goal_high", "goal_note")

    class Meta:
        verbose_name = "scorecard value"
        ordering = ["period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["measurable", "period_start"], name="scorecard_entry_one_per_period"
            )
        ]

    def __str__(self) -> str:
        measurable = self.measurable
        word = "month of" if measurable.frequency == Frequency.MONTHLY else "week of"
        return f"{measurable.title}, {word} {self.period_start:%d %b %Y}"

    @property
    def has_period_goal(self) -> bool:
        return self.goal is not None


def goal_met(
    value: Decimal | None, comparator: str, goal: Decimal | None, goal_high: Decimal | None
) -> bool | None:
    """On track (True), off track (False), or nothing to say (None: no value or no goal)."""
    if value is None or goal is None:
        return None
    if comparator == Comparator.AT_MOST:
        return value <= goal
    if comparator == Comparator.EQUAL:
        return value == goal
    if comparator == Comparator.BETWEEN:
        return goal <= value <= (goal_high if goal_high is not None else goal)
    return value >= goal


def as_dict(measurable: Measurable) -> dict[str, Any]:
    return {name: getattr(measurable, name) for name in Measurable.concurrency_fields}
