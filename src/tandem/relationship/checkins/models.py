"""Check-ins and events: relationship cultivation (seed 002: "look forward to seeing your
partners on monthly/quarterly check-ins, and at conferences/events"). A date still to come
is a plan; a date that has passed is one that was held."""

from __future__ import annotations

from django.db import models

from tandem.core.models import PartnershipItem


class CheckInKind(models.TextChoices):
    MONTHLY = "monthly", "Monthly check-in"
    QUARTERLY = "quarterly", "Quarterly check-in"
    EVENT = "event", "Event"


class CheckIn(PartnershipItem):
    kind = models.CharField(max_length=10, choices=CheckInKind.choices, default=CheckInKind.MONTHLY)
    title = models.CharField(max_length=200)
    held_on = models.DateField("date")
    notes = models.TextField(blank=True, max_length=5000)
    participants = models.CharField("who took part", max_length=500, blank=True)

    concurrency_fields = ("kind", "title", "held_on", "participants", "notes", "visibility")

    class Meta:
        verbose_name = "check-in"
        ordering = ["-held_on", "-id"]
        indexes = [models.Index(fields=["partnership", "kind", "held_on"])]

    def __str__(self) -> str:
        return self.title
