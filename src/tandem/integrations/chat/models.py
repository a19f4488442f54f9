"""A partnership's chat channels and the days their to-dos summary was posted.

The channel is the partnership's shared one (a Slack Connect or Teams channel both sides
read), so only shared items are posted to it; its incoming-webhook address is a secret that
only the workspace's members see and change.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models

from tandem.core.access import Actor


class Kind(models.TextChoices):
    SLACK = "slack", "Slack"
    TEAMS = "teams", "Microsoft Teams"


# What a channel may be sent, in the order the pages list it, with what a person reads.
POSTS: dict[str, str] = {
    "meeting.ended": "The recap when a meeting ends",
    "ask.created": "A new ask",
    "todos.due_tomorrow": "To-dos due tomorrow (each morning at 9, the partnership's time)",
    "deal.registered": "A deal registered",
}


def all_posts() -> list[str]:
    return list(POSTS)


class ChannelQuerySet(models.QuerySet["ChatChannel"]):
    def visible_to(self, actor: Actor) -> Self:
        """The channels of the workspaces the actor is a member of. Partner-side people read
        the channel itself, in Slack or Teams, never its address: here, none."""
        if not actor.is_authenticated:
            return self.none()
        return self.filter(workspace_id__in=actor.workspace_ids)


class ChatChannel(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="chat_channels"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=100, blank=True)
    url = models.URLField("incoming-webhook address", max_length=500)
    posts = models.JSONField(default=all_posts)
    active = models.BooleanField(default=True)
    last_error = models.CharField(max_length=500, blank=True)
    last_error_at = models.DateTimeField(null=True, blank=True)
    last_posted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChannelQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["partnership", "active"])]

    def __str__(self) -> str:
        return self.name or f"{self.get_kind_display()} channel"


class DailyPost(models.Model):
    """The to-dos summary of one channel on one day of its partnership: the unique row is
    what keeps it to once a day, however often the hourly task runs."""

    channel = models.ForeignKey(ChatChannel, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["channel", "day"], name="chat_daily_post_once")
        ]

    def __str__(self) -> str:
        return f"{self.channel_id} {self.day}"
