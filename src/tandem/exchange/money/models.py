"""Money is never mixed silently: amounts are decimals with their currency, totals are per
currency, and a figure in the workspace's base currency needs a rate an admin entered for its
quarter (shown with the figure)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from tandem.core.models import Versioned

DEFAULT_BASE = "USD"


class Currencies(Versioned):
    """A workspace's base currency: what converted figures are shown in."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    base = models.CharField(
        "base currency",
        max_length=3,
        default=DEFAULT_BASE,
        help_text="Totals across currencies are shown in this one, at the rates you enter.",
    )

    concurrency_fields = ("base",)

    def __str__(self) -> str:
        return self.base


class Rate(Versioned):
    """How much one unit of ``currency`` is worth in the base currency, for one quarter."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    currency = models.CharField(max_length=3)
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)]
    )
    rate = models.DecimalField(
        max_digits=18,
        decimal_places=8,
        validators=[MinValueValidator(0)],
        help_text="One unit of the currency in the base currency.",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concurrency_fields = ("rate",)

    class Meta:
        ordering = ["-year", "-quarter", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "currency", "year", "quarter"], name="one_rate_a_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"1 {self.currency} = {self.rate} ({self.year} Q{self.quarter})"
