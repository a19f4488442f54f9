"""Asks and requests, both ways (seed 002: "make those asks and listen to those requests
from your partner"). Who asked is set from who files it; the person who should answer is on
the other side; the time to respond is what both sides are judged on."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.core.models import PartnershipItem


class Side(models.TextChoices):
    OURS = "ours", "Our ask"
    PARTNER = "partner", "The partner's ask"


class AskStatus(models.TextChoices):
    OPEN = "open", "Open"
    ANSWERED = "answered", "Answered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"


# A response is an answer or a refusal: either way the asker heard back.
RESPONDED = (AskStatus.ANSWERED, AskStatus.DECLINED)


class Ask(PartnershipItem):
    side = models.CharField("asked by", max_length=8, choices=Side.choices, editable=False)
    title = models.CharField(max_length=200)
    details = models.TextField(blank=True, max_length=5000)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name="who should answer",
    )
    needed_by = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=AskStatus.choices, default=AskStatus.OPEN)
    answer = models.TextField(blank=True, max_length=5000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    asked_at = models.DateTimeField(default=timezone.now, editable=False)
    answered_at = models.DateTimeField(null=True, blank=True, editable=False)

    concurrency_fields = ("title", "details", "owner", "needed_by", "visibility")

    class Meta:
        ordering = ["-asked_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "status", "asked_at"]),
            models.Index(fields=["partnership", "answered_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == AskStatus.OPEN

    @property
    def response_time(self) -> timedelta | None:
        """Answered (or declined) minus asked."""
        if self.answered_at is None or self.status not in RESPONDED:
            return None
        return self.answered_at - self.asked_at
