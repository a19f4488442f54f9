"""The partner pipeline: opportunities for a customer account, their stage (configurable per
workspace, each with a win probability), the stage history with dates, and the deals a
partner's people register for a member to accept or reject."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tandem.core.models import PartnershipItem, Versioned

STALL_DAYS = 30


class Outcome(models.TextChoices):
    OPEN = "open", "Open"
    WON = "won", "Won"
    LOST = "lost", "Lost"


# The stages a workspace starts with: (name, win probability %, outcome).
DEFAULT_STAGES = (
    ("Registered", 10, Outcome.OPEN),
    ("Qualified", 25, Outcome.OPEN),
    ("Proposal", 50, Outcome.OPEN),
    ("Negotiation", 75, Outcome.OPEN),
    ("Won", 100, Outcome.WON),
    ("Lost", 0, Outcome.LOST),
)


class Stage(Versioned):
    """One stage of a workspace's pipeline, in order. A won or lost stage closes a deal."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=60)
    probability = models.PositiveSmallIntegerField(
        "win probability",
        validators=[MaxValueValidator(100)],
        help_text="Per cent: how likely a deal at this stage is won (weights the forecast).",
    )
    outcome = models.CharField(max_length=4, choices=Outcome.choices, default=Outcome.OPEN)
    position = models.PositiveIntegerField(default=0, editable=False)
    archived = models.BooleanField(default=False)

    concurrency_fields = ("name", "probability", "outcome", "archived")

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["workspace", "name"], name="one_stage_of_a_name")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_closed(self) -> bool:
        return self.outcome != Outcome.OPEN


class PipelineSettings(Versioned):
    """A workspace's pipeline rules: when a deal counts as stalled."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    stall_days = models.PositiveSmallIntegerField(
        "days without a stage change",
        default=STALL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="An open deal whose stage has not changed for this long is flagged as stalled.",
    )

    concurrency_fields = ("stall_days",)


class Attribution(models.TextChoices):
    PARTNER_SOURCED = "partner_sourced", "Partner-sourced"
    PARTNER_INFLUENCED = "partner_influenced", "Partner-influenced"
    SOURCED_FOR_PARTNER = "sourced_for_partner", "Sourced by us for the partner"


class Registration(models.TextChoices):
    NONE = "", "Not registered"
    PENDING = "pending", "Awaiting a decision"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"


class Opportunity(PartnershipItem):
    account_name = models.CharField("customer account", max_length=200)
    account_domain = models.CharField(
        "web domain", max_length=253, blank=True, help_text="e.g. contoso.com"
    )
    # The normalised domain, or else the normalised name: what "already registered" matches.
    account_key = models.CharField(max_length=253, editable=False, db_index=True)
    attribution = models.CharField(
        max_length=20, choices=Attribution.choices, default=Attribution.PARTNER_SOURCED
    )
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(
        max_digits=14, decimal_places=2, null=True, blank=True, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(max_length=3, blank=True)
    expected_close = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    next_step = models.CharField(max_length=300, blank=True)
    lost_reason = models.CharField(max_length=300, blank=True, editable=False)
    stage_entered_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_on = models.DateField(null=True, blank=True, editable=False)
    registration = models.CharField(
        max_length=8, choices=Registration.choices, blank=True, default="", editable=False
    )
    # Set when the registration arrived for an account the workspace already had: members see
    # which deal it matched; the partner only that the account is taken.
    already_registered = models.BooleanField(default=False, editable=False)
    decision_reason = models.TextField(blank=True, max_length=2000, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    decided_at = models.DateTimeField(null=True, blank=True, editable=False)

    concurrency_fields = (
        "account_name",
        "account_domain",
        "attribution",
        "amount",
        "currency",
        "expected_close",
        "owner",
        "next_step",
        "visibility",
    )

    class Meta:
        ordering = ["-stage_entered_at", "-id"]
        verbose_name_plural = "opportunities"
        indexes = [
            models.Index(fields=["workspace", "account_key"]),
            models.Index(fields=["partnership", "stage"]),
            models.Index(fields=["partnership", "stage_entered_at"]),
            models.Index(fields=["workspace", "closed_on"]),
            # One person's stalled deals across the program (My week), oldest change first.
            models.Index(fields=["owner", "stage_entered_at"]),
            # The program's stalled deals: counted and the oldest found in the index alone.
            models.Index(fields=["stage", "stage_entered_at", "workspace", "partnership"]),
        ]

    def __str__(self) -> str:
        return self.account_name


class StageChange(models.Model):
    """One move of an opportunity from a stage to the next (the first: into its first stage).
    As visible as its opportunity."""

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="history")
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    from_stage = models.ForeignKey(
        Stage, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [
            models.Index(fields=["opportunity", "changed_at"]),
            models.Index(fields=["workspace", "changed_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.from_stage or 'new'} → {self.to_stage}"


class TallyKind(models.TextChoices):
    FURTHEST = "furthest"  # deals by the furthest stage they reached (lost ones: before lost)
    OPEN = "open"  # open deals by their stage now
    DIED = "died"  # lost deals by the stage they left for lost (0: none before lost)
    EXPECTED = "expected"  # open deals by stage and the quarter they are expected to close
    WON = "won"  # won deals by the quarter they closed


class Counted(models.Model):
    """A tally's key (``kind`` and, where it has them, stage, quarter and currency; absent
    ones 0 or "", so that one row per key is unique in SQL) and its counts."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=8, choices=TallyKind.choices)
    stage_key = models.PositiveBigIntegerField(default=0)
    year = models.PositiveSmallIntegerField(default=0)
    quarter = models.PositiveSmallIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True, default="")
    deals = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    won = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=20, decimal_places=2, null=True, blank=True)

    class Meta:
        abstract = True


class FunnelTally(Counted):
    """One partnership's deals counted one way (``kind``), for the program funnel: what it
    sums in SQL across a thousand partnerships instead of reading every deal of the program.

    Not a cached page: exactly the counts ``funnel`` and ``forecast`` compute for the
    partnership's deals, as a member sees them, recomputed (``tallies.bring_up_to_date``)
    when the partnership's data version moved on or the workspace's stages changed. Keys
    that may be absent are 0 or "" (``stage_key`` 0: no stage), so that one row per key is
    unique in SQL."""

    partnership = models.ForeignKey(
        "partners.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    refreshed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "kind", "stage_key", "year", "quarter", "currency"],
                name="pipeline_tally_unique",
            )
        ]
        indexes = [models.Index(fields=["workspace", "kind", "year", "quarter"])]

    def __str__(self) -> str:
        return f"{self.kind} tally of {self.partnership_id}"


class Tallied(models.Model):
    """When a partnership's tallies were computed, and from which of its data versions; with
    its deals counted (all, open, won, lost): the program's table by partnership reads one
    row per partnership, not its tallies summed."""

    partnership = models.OneToOneField(
        "partners.Partnership", on_delete=models.CASCADE, related_name="+"
    )
    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    data_version = models.PositiveBigIntegerField(default=0)
    # The workspace's stages (order and outcome) counted under: ``tallies.stages_key``.
    stages_key = models.CharField(max_length=32, blank=True, default="")
    refreshed_at = models.DateTimeField()
    deals = models.PositiveIntegerField(default=0)
    open = models.PositiveIntegerField(default=0)
    won = models.PositiveIntegerField(default=0)
    lost = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Tallies of {self.partnership_id}"


class ProgramStays(models.Model):
    """How long the program's deals sat in each stage (``stays.program_stays``): the stays
    completed among those begun in the year before ``counted_at``, per stage — how many,
    median and mean days. Counted once a day (a median needs every stay: ninety thousand
    in a program of a thousand partnerships), and again when the stages change."""

    workspace = models.OneToOneField(
        "accounts.Workspace", on_delete=models.CASCADE, related_name="+"
    )
    counted_at = models.DateTimeField()
    stages_key = models.CharField(max_length=32)
    # {stage id: [stays, median days, mean days]}, the days as text ("12.5") or null.
    figures = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"Stays of workspace {self.workspace_id}"


class ProgramTally(Counted):
    """The program's funnel tallies: every partnership's ``FunnelTally`` rows of one key
    summed (``tallies.program_rows``), so the program page reads a few hundred rows, not
    fifty thousand. Summed again whenever a partnership's tallies were counted again or
    one was removed (``source``: the partnerships' tallies they were summed from)."""

    source = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["workspace", "kind", "stage_key", "year", "quarter", "currency"],
                name="pipeline_program_tally_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} program tally of {self.workspace_id}"
