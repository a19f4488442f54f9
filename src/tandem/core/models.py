"""Shared building blocks: scoped querysets, versioned rows, items with a visibility, and
the activity log."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q

from tandem.core.access import Actor, Visibility


class ScopedQuerySet(models.QuerySet):
    """Items that belong to a workspace and, optionally, to one of its partnerships.

    ``visible_to`` is the only way views and API endpoints reach these rows: members see
    everything in their workspaces; partner-side users see the shared items of the
    partnerships they were invited into, and nothing at the workspace (program) level.
    """

    def visible_to(self, actor: Actor) -> ScopedQuerySet:
        if not actor.is_authenticated:
            return self.none()
        condition = Q(workspace_id__in=actor.workspace_ids)
        if actor.partner_partnerships:
            condition |= Q(
                partnership_id__in=sorted(actor.partner_partnerships),
                visibility=Visibility.SHARED,
            )
        return self.filter(condition)

    def in_scope(self, scope: Any) -> ScopedQuerySet:
        """The items of one partnership or, for the program stand-in (id None), the
        workspace's program-level items."""
        return self.filter(workspace_id=scope.workspace_id, partnership_id=scope.id)


class Versioned(models.Model):
    """A row that carries a version: every update names the version it was based on, and an
    update based on a stale version is refused (see ``tandem.core.services.update``)."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    # Fields shown when an edit collides with another person's change.
    concurrency_fields: tuple[str, ...] = ()


class PartnershipItem(Versioned):
    """Anything that lives inside a workspace or one of its partnerships and has a
    visibility. Later components (rocks, to-dos, issues …) build on this."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visibility = models.CharField(
        max_length=8,
        choices=[(Visibility.SHARED, "Shared with partner"), (Visibility.INTERNAL, "Internal")],
        default=Visibility.SHARED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL


class ActivityEntry(models.Model):
    """Who changed what, when, from what to what. Filtered by the same visibility rule as
    the items themselves: a partner-side user never sees an internal item's activity."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visibility = models.CharField(max_length=8, default=Visibility.INTERNAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32)
    target_type = models.CharField(max_length=64)
    target_id = models.PositiveBigIntegerField(null=True)
    target_label = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"]),
            models.Index(fields=["workspace", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type} {self.target_label}"

    @property
    def action(self) -> str:
        """The words between the person and the item: "created note", "invited"."""
        if self.verb in {
            "created",
            "updated",
            "deleted",
            "archived",
            "restored",
            "completed",
            "reopened",
        }:
            return f"{self.verb} {self.target_type}"
        return self.verb

    def change_rows(self) -> list[dict[str, Any]]:
        return [
            {"field": name.replace("_", " "), "old": pair[0], "new": pair[1]}
            for name, pair in self.changes.items()
        ]
