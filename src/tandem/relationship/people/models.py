"""Seats: who sits where in a partnership, on both sides (seed 001: evaluate your
resources). The day-to-day owner and the executive sponsor live on the partnership itself
and are shown as our side's first two seats."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tandem.core.models import PartnershipItem


class Side(models.TextChoices):
    OURS = "ours", "Our side"
    PARTNER = "partner", "Partner side"


class Seat(PartnershipItem):
    side = models.CharField(max_length=8, choices=Side.choices, default=Side.OURS)
    role = models.CharField(max_length=80)
    accountability = models.CharField(
        "accountable for",
        max_length=300,
        blank=True,
        help_text="What this seat answers for, in a line.",
    )
    # Our side: a member of the workspace. The partner side: one of their contacts or a
    # partner-side user. Nobody: an empty seat to fill.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="person",
    )
    contact = models.ForeignKey(
        "partners.Contact",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="partner contact",
    )
    position = models.PositiveIntegerField(default=0)

    concurrency_fields = ("role", "accountability", "user", "contact", "position", "visibility")

    class Meta:
        ordering = ["side", "position", "id"]
        indexes = [models.Index(fields=["partnership", "side", "position"])]

    def __str__(self) -> str:
        return self.role

    @property
    def person(self) -> object | None:
        return self.user or self.contact

    @property
    def is_empty(self) -> bool:
        return self.user_id is None and self.contact_id is None
