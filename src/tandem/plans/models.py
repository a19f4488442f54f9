"""The joint quarterly plan (seed 003: commitment is buy-in from both sides): each side signs
the quarter's plan, and what was signed is kept word for word, so a later change shows as a
change since signing and both sides are asked to sign again."""

from __future__ import annotations

from typing import Any, Self

from django.conf import settings
from django.db import models

from tandem.core.access import Actor, Visibility

OURS, PARTNER = "ours", "partner"


class PlanQuerySet(models.QuerySet[Any]):
    def visible_to(self, actor: Actor) -> Self:
        """A plan holds shared items only, so both sides see all of its records: the
        workspace's members, and the partner-side people of that partnership."""
        if not actor.is_authenticated:
            return self.none()
        return self.filter(
            models.Q(workspace_id__in=actor.workspace_ids)
            | models.Q(partnership_id__in=sorted(actor.partner_partnerships))
        )


class PlanSignature(models.Model):
    """One person's signature of a quarter's plan for their side, with the content they
    agreed to and its hash. Never changed nor deleted: the plan's history."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)])
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Kept as written when signing: the history still names the signer if the account goes.
    signer_name = models.CharField(max_length=200)
    side = models.CharField(max_length=8, choices=[(OURS, "Our side"), (PARTNER, "Partner side")])
    signed_at = models.DateTimeField(auto_now_add=True)
    content = models.JSONField()
    content_hash = models.CharField(max_length=64)

    # Both sides see every signature (a plan is shared): its activity entries too.
    activity_visibility = "shared"
    visibility = Visibility.SHARED

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-signed_at", "-id"]
        verbose_name = "quarterly plan signature"
        indexes = [
            models.Index(fields=["partnership", "year", "quarter", "-signed_at"]),
        ]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.year} plan"

    @property
    def quarter_label(self) -> str:
        return f"Q{self.quarter} {self.year}"


class PlanReminder(models.Model):
    """That the people of a partnership were asked to sign a quarter's plan (after a change
    since a signature, or at the end of a quarterly meeting): what their notifications are
    about, and how a change is told once, not at every later edit."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField()
    content_hash = models.CharField(max_length=64)
    reason = models.CharField(max_length=16)
    sent_at = models.DateTimeField(auto_now_add=True)

    # As the plan: both sides see it (and the notifications about it).
    activity_visibility = "shared"
    visibility = Visibility.SHARED

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["partnership", "year", "quarter", "-sent_at"])]

    def __str__(self) -> str:
        return f"Q{self.quarter} {self.year} plan to sign"
