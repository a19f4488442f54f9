"""Roles and expectations (seed 003): what each side promised the other — marketing support,
leads, territory, exclusivity on ours; dedicated resources, presentations, communication with
their clients on theirs — each with a measurable target and a period. At review each promise
is marked kept or missed for a period; the kept ratio per side is the partnership's trust
record (seed 002: "do what you say you're going to do")."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models

from tandem.core.models import PartnershipItem


class Side(models.TextChoices):
    OURS = "ours", "We provide"
    PARTNER = "partner", "The partner provides"


class Kind(models.TextChoices):
    MARKETING = "marketing", "Marketing support"
    LEADS = "leads", "Lead sharing"
    TERRITORY = "territory", "Territory"
    EXCLUSIVITY = "exclusivity", "Exclusivity"
    RESOURCES = "resources", "Dedicated resources"
    PRESENTATIONS = "presentations", "Presentations per quarter"
    CLIENT_COMMUNICATION = "client_communication", "Communication with clients"
    OTHER = "other", "Other"


class Period(models.TextChoices):
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    YEARLY = "yearly", "Yearly"
    ONE_OFF = "one_off", "One-off"


# What each side usually promises (seed 003), offered when a side has none yet: the kind,
# a description and a target to adjust, and the period it is reviewed over.
SUGGESTIONS: dict[str, list[tuple[str, str, str, str]]] = {
    Side.OURS: [
        (
            Kind.MARKETING,
            "Co-marketing for the partner's campaigns",
            "2 joint campaigns",
            Period.QUARTERLY,
        ),
        (
            Kind.LEADS,
            "Pass qualified leads in the partner's territory",
            "5 qualified leads",
            Period.MONTHLY,
        ),
        (
            Kind.TERRITORY,
            "Respect the agreed territory",
            "No direct deals in the territory",
            Period.QUARTERLY,
        ),
        (
            Kind.EXCLUSIVITY,
            "No other partner of this kind in the region",
            "Exclusive for the year",
            Period.YEARLY,
        ),
    ],
    Side.PARTNER: [
        (
            Kind.RESOURCES,
            "A named, trained person for our product",
            "1 certified seller",
            Period.QUARTERLY,
        ),
        (
            Kind.PRESENTATIONS,
            "Present our product to prospects",
            "6 presentations",
            Period.QUARTERLY,
        ),
        (
            Kind.CLIENT_COMMUNICATION,
            "Mention us in their client newsletter",
            "1 newsletter feature",
            Period.QUARTERLY,
        ),
    ],
}


class Commitment(PartnershipItem):
    side = models.CharField(max_length=8, choices=Side.choices, default=Side.OURS)
    kind = models.CharField(max_length=24, choices=Kind.choices, default=Kind.OTHER)
    description = models.CharField(max_length=200)
    target = models.CharField(
        "measurable target",
        max_length=200,
        help_text="How both sides will know it was kept, e.g. “2 joint webinars”.",
    )
    target_number = models.DecimalField(
        "target number", max_digits=12, decimal_places=2, null=True, blank=True
    )
    period = models.CharField(max_length=10, choices=Period.choices, default=Period.QUARTERLY)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concurrency_fields = (
        "side",
        "kind",
        "description",
        "target",
        "target_number",
        "period",
        "owner",
        "visibility",
    )

    class Meta:
        ordering = ["side", "kind", "id"]
        indexes = [models.Index(fields=["partnership", "side"])]

    def __str__(self) -> str:
        return self.description


def period_start(period: str, day: date, *, one_off: date | None = None) -> date:
    """The first day of the period ``day`` falls in; a one-off promise has one period."""
    if period == Period.MONTHLY:
        return day.replace(day=1)
    if period == Period.QUARTERLY:
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == Period.YEARLY:
        return date(day.year, 1, 1)
    return one_off or day


def period_label(period: str, start: date) -> str:
    if period == Period.MONTHLY:
        return start.strftime("%b %Y")
    if period == Period.QUARTERLY:
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if period == Period.YEARLY:
        return str(start.year)
    return "One-off"


class CommitmentReview(models.Model):
    """The verdict on one commitment for one period: kept or missed. Marking a period again
    replaces its verdict (the activity log keeps both); every period's verdict stays."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="reviews")
    period_start = models.DateField()
    kept = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "period_start"], name="commitment_review_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.commitment} · {self.period_label}: {'kept' if self.kept else 'missed'}"

    @property
    def period_label(self) -> str:
        return period_label(self.commitment.period, self.period_start)
