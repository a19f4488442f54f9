"""The communication plan (seed 003: "develop a communication plan to facilitate regular
communications with your partners"): who hears what from whom, over which channel, how
often. Each entry's cadence plans its touches; each due touch is marked happened or missed."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.core.models import PartnershipItem
from tandem.partners.models import Cadence


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    CALL = "call", "Call"
    MEETING = "meeting", "Meeting"
    NEWSLETTER = "newsletter", "Newsletter"
    WEBINAR = "webinar", "Webinar"
    CHAT = "chat", "Chat"
    OTHER = "other", "Other"


class PlanEntry(PartnershipItem):
    topic = models.CharField(
        "topic", max_length=200, help_text="What it is for, e.g. “product updates”."
    )
    channel = models.CharField(max_length=12, choices=Channel.choices, default=Channel.EMAIL)
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY)
    audience = models.CharField(max_length=200, blank=True, help_text="e.g. partner sales team")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    starts_on = models.DateField("first touch on", default=timezone.localdate)

    concurrency_fields = (
        "topic",
        "channel",
        "cadence",
        "audience",
        "owner",
        "starts_on",
        "visibility",
    )

    class Meta:
        ordering = ["starts_on", "id"]
        verbose_name = "plan entry"
        verbose_name_plural = "plan entries"
        indexes = [models.Index(fields=["partnership", "starts_on"])]

    def __str__(self) -> str:
        return self.topic


class Touch(models.Model):
    """Whether one planned touch of an entry happened. Marking it again replaces the mark."""

    entry = models.ForeignKey(PlanEntry, on_delete=models.CASCADE, related_name="touches")
    planned_on = models.DateField()
    happened = models.BooleanField()
    note = models.CharField(max_length=500, blank=True)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    marked_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-planned_on"]
        verbose_name_plural = "touches"
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "planned_on"], name="one_touch_per_planned_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry} · {self.planned_on}: {'happened' if self.happened else 'missed'}"
