"""Partnerships and what hangs directly off them: contacts, notes and the stage history."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from tandem.core import markdown
from tandem.core.access import Actor, Visibility
from tandem.core.models import PartnershipItem, Versioned


class Kind(models.TextChoices):
    REFERRAL = "referral", "Referral"
    RESELLER = "reseller", "Reseller"
    TECHNOLOGY = "technology", "Technology"
    STRATEGIC_ALLIANCE = "alliance", "Strategic alliance"


class Horizon(models.TextChoices):
    TACTICAL = "tactical", "Short-term tactical"
    STRATEGIC = "strategic", "Long-term strategic"


class Stage(models.TextChoices):
    PROSPECT = "prospect", "Prospect"
    DILIGENCE = "diligence", "Due diligence"
    ACTIVE = "active", "Active"
    PAUSED = "paused", "Paused"
    ENDED = "ended", "Ended"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every two weeks"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"


class PartnershipQuerySet(models.QuerySet["Partnership"]):
    def visible_to(self, actor: Actor) -> PartnershipQuerySet:
        """Members see their workspaces' partnerships; partner-side users see the ones they
        were invited into."""
        if not actor.is_authenticated:
            return self.none()
        condition = Q(workspace_id__in=actor.workspace_ids)
        if actor.partner_partnerships:
            condition |= Q(pk__in=sorted(actor.partner_partnerships))
        return self.filter(condition)

    def current(self) -> PartnershipQuerySet:
        return self.filter(archived_at__isnull=True)


class Partnership(Versioned):
    workspace = models.ForeignKey(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="partnerships"
    )
    name = models.CharField("partner company", max_length=120)
    website = models.URLField(blank=True, max_length=200)
    summary = models.TextField(
        blank=True, max_length=2000, help_text="What the partnership is for, in a sentence or two."
    )
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.REFERRAL)
    horizon = models.CharField(max_length=16, choices=Horizon.choices, default=Horizon.TACTICAL)
    stage = models.CharField(max_length=16, choices=Stage.choices, default=Stage.PROSPECT)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="day-to-day owner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_partnerships",
    )
    sponsor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="executive sponsor",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sponsored_partnerships",
    )
    cadence = models.CharField(
        "meeting cadence", max_length=16, choices=Cadence.choices, default=Cadence.WEEKLY
    )
    hours_per_week = models.DecimalField(
        "hours per week committed",
        max_digits=4,
        decimal_places=1,
        default=Decimal("2.0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("80"))],
    )
    archived_at = models.DateTimeField(null=True, blank=True)
    # Moves on with every recorded change inside this partnership (tandem.core.services.record),
    # so its pages are rebuilt only when something in it changed.
    data_version = models.PositiveBigIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PartnershipQuerySet.as_manager()

    # The partnership record is the workspace's own: its changes are internal activity.
    activity_visibility = Visibility.INTERNAL
    concurrency_fields = (
        "name",
        "website",
        "summary",
        "kind",
        "horizon",
        "stage",
        "owner",
        "sponsor",
        "cadence",
        "hours_per_week",
    )

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["workspace", "archived_at", "name"]),
            models.Index(fields=["workspace", "stage"]),
        ]

    # A partnership is one of the two kinds of scope; the other is the program level
    # (tandem.core.scope.Program).
    is_program = False

    @property
    def zone(self) -> ZoneInfo:
        """The partnership's time zone: its meeting schedule's (UTC until it has one). No
        query when the partnership was loaded with ``select_related("schedule")``."""
        try:
            name = self.schedule.timezone
        except ObjectDoesNotExist:
            name = "UTC"
        try:
            return ZoneInfo(name or "UTC")
        except (ZoneInfoNotFoundError, ValueError):
            return ZoneInfo("UTC")

    def __str__(self) -> str:
        return self.name

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class StageChange(models.Model):
    """The recorded history of a partnership's stage."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="stage_changes"
    )
    from_stage = models.CharField(max_length=16, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=16, choices=Stage.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.from_stage or '—'} → {self.to_stage}"


class Contact(PartnershipItem):
    """A person at the partner company."""

    name = models.CharField(max_length=120)
    email = models.EmailField(blank=True)
    title = models.CharField("job title", max_length=120, blank=True)
    phone = models.CharField(max_length=40, blank=True)

    concurrency_fields = ("name", "email", "title", "phone", "visibility")

    class Meta:
        ordering = ["name"]
        verbose_name = "partner contact"

    def __str__(self) -> str:
        return self.name


class Note(PartnershipItem):
    """A note on a partnership: shared with the partner or kept internal."""

    title = models.CharField(max_length=160)
    body = models.TextField(blank=True, max_length=markdown.MAX_LENGTH)
    # The services render it before their transaction opens (see tandem.core.markdown).
    body_html = models.TextField(blank=True, editable=False)

    concurrency_fields = ("title", "body", "visibility")

    class Meta:
        ordering = ["-updated_at", "-id"]
        # The overview shows a partnership's latest notes: read from the index in order,
        # not by sorting every note it ever had.
        indexes = [models.Index(fields=["partnership", "-updated_at", "-id"])]

    def __str__(self) -> str:
        return self.title
