"""What a person is told in the app (the bell) and, by their choice, by e-mail.

A notification names the item it is about the way the activity log does (its model's label
and id), so a reader's list follows the item's visibility now, not as it was when the
notification was written: an item made internal later drops out of a partner-side reader's
list and count (``NotificationQuerySet.visible_to``).
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from tandem.core.access import Actor
from tandem.core.models import items_visible_to


class Kind(models.TextChoices):
    ASSIGNED = "assigned", "Something assigned to you"
    ASK = "ask", "An ask waiting for you"
    MENTION = "mention", "A mention of you"
    MEETING_STARTED = "meeting_started", "A meeting started in your partnership"
    PLAN_TO_SIGN = "plan_to_sign", "A plan to sign"


# What also comes by e-mail until a person chooses otherwise: what waits for their answer
# (an ask, a plan to sign). The rest is news the bell carries well enough.
MAILED_BY_DEFAULT = frozenset({Kind.ASK, Kind.PLAN_TO_SIGN})

TEXT_LENGTH = 200


class NotificationQuerySet(models.QuerySet["Notification"]):
    def visible_to(self, actor: Actor) -> Self:
        """The actor's own notifications that they may still read: of a workspace they are
        a member of, or of a partnership they sit in on the partner's side while the item it
        is about is visible to them now (one query, whatever the item models)."""
        if not actor.is_authenticated or actor.user is None:
            return self.none()
        condition = Q(workspace_id__in=actor.workspace_ids)
        if actor.partner_partnerships:
            condition |= Q(
                Q(target_model="") | items_visible_to(actor),
                partnership_id__in=sorted(actor.partner_partnerships),
            )
        return self.filter(condition, recipient_id=actor.user.pk)

    def unread(self) -> Self:
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The item it is about: its model ("traction.todo") and id, as the activity log keys it.
    target_model = models.CharField(max_length=100, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    text = models.CharField(max_length=TEXT_LENGTH)
    url = models.CharField(max_length=500)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"]),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Preference(models.Model):
    """Whether a person also wants one kind of notification by e-mail. No row: the default
    (``MAILED_BY_DEFAULT``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    by_email = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="notification_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {'e-mail' if self.by_email else 'app'}"
