"""Webhook endpoints and the log of what was sent to them.

An endpoint is a workspace's (registered by its owners and admins: every event of the
workspace) or one partnership's (registered by a partner-side person of it: only the events
whose item that person may see now). Each event becomes one delivery per endpoint that chose
its type; a delivery keeps its ``msg_…`` id through every attempt, as Standard Webhooks asks.
"""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q

from tandem.core.access import Actor


class EndpointQuerySet(models.QuerySet["Endpoint"]):
    def visible_to(self, actor: Actor) -> Self:
        """The workspace endpoints of the workspaces the actor is an owner or admin of, and
        the partnership endpoints the actor registered while they still sit on the
        partner's side of that partnership. Everyone else: not there."""
        if not actor.is_authenticated or actor.user is None:
            return self.none()
        admin_of = [pk for pk in actor.workspace_ids if actor.is_admin(pk)]
        condition = Q(partnership__isnull=True, workspace_id__in=admin_of)
        if actor.partner_partnerships:
            condition |= Q(
                partnership_id__in=sorted(actor.partner_partnerships), created_by=actor.user
            )
        return self.filter(condition)


class Endpoint(models.Model):
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    # Set: a partner-side person's endpoint for this partnership (shared events only).
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    url = models.URLField("address", max_length=500)
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, editable=False)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    switched_off_reason = models.CharField(max_length=300, blank=True)
    consecutive_failures = models.PositiveIntegerField(default=0)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EndpointQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["workspace", "active"])]

    def __str__(self) -> str:
        return self.description or self.url


class Status(models.TextChoices):
    PENDING = "pending", "Pending"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


class Delivery(models.Model):
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_id = models.CharField(max_length=40, unique=True)
    event_type = models.CharField(max_length=40)
    # The item the event is about ("traction.todo" and its id): asked again before each
    # attempt, so an item made internal meanwhile never reaches a partner's endpoint.
    item_model = models.CharField(max_length=100)
    item_id = models.PositiveBigIntegerField()
    payload = models.JSONField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    # Every attempt made; ``tries``: those since it was last queued (the backoff's step).
    attempts = models.PositiveIntegerField(default=0)
    tries = models.PositiveIntegerField(default=0)
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["endpoint", "-created_at"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id}"
