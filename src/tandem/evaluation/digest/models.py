"""The weekly digest: each person's choice of day and hour, a row per person and week sent
(so nobody gets a week's digest twice), and the single-use links a digest carries.

A link's secret is never stored: only its SHA-256 digest, as with API tokens and calendar
addresses. The row says who may use it, for what, on which item, until when, and whether
it was used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from tandem.meetings.models import Weekday

DEFAULT_WEEKDAY = Weekday.MONDAY
DEFAULT_HOUR = 8


class DigestPreference(models.Model):
    """A person's digest: on or off, and the day and hour (in their own time zone,
    ``User.timezone``) it comes. No row: on, Monday at 8."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_preference"
    )
    enabled = models.BooleanField(default=True)
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=DEFAULT_WEEKDAY)
    hour = models.PositiveSmallIntegerField(default=DEFAULT_HOUR)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="digest_weekday_valid"),
            models.CheckConstraint(condition=Q(hour__lte=23), name="digest_hour_valid"),
        ]

    def __str__(self) -> str:
        state = f"{self.get_weekday_display()} {self.hour:02d}:00" if self.enabled else "off"
        return f"{self.user_id}: {state}"


class DigestStatus(models.TextChoices):
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    EMPTY = "empty", "Nothing waiting: not sent"


class WeeklyDigest(models.Model):
    """One person's digest of one week (the Monday of the week in their time zone). Its
    unique row is taken before the mail is built, so reruns and two workers never send a
    week twice; a failed send gives the row back for the next hourly run."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="weekly_digests"
    )
    week = models.DateField()
    status = models.CharField(max_length=8, choices=DigestStatus.choices)
    items = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "week"], name="weekly_digest_once"),
        ]
        indexes = [models.Index(fields=["week"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.week}: {self.status}"


class Action(models.TextChoices):
    TODO_DONE = "todo_done", "Mark a to-do done"
    ASK_ANSWER = "ask_answer", "Answer an ask"
    PLAN_SIGN = "plan_sign", "Sign a plan"


class ActionLink(models.Model):
    """A one-click link in a digest: single-use, for one person, one action on one item."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_links"
    )
    digest = models.ForeignKey(
        WeeklyDigest, null=True, blank=True, on_delete=models.SET_NULL, related_name="links"
    )
    action = models.CharField(max_length=16, choices=Action.choices)
    # The item, as the activity log names it ("traction.todo", 42); a plan by its
    # partnership and quarter key ("2026-Q4").
    target_model = models.CharField(max_length=100)
    target_id = models.PositiveBigIntegerField()
    target_key = models.CharField(max_length=16, blank=True)
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["expires_at"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_model}#{self.target_id} for {self.user_id}"
