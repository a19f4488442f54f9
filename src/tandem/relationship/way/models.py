"""The Way: the program's few core processes, each a short list of steps, documented once
for the whole workspace and followed in every partnership (seed 000: the Process component).

A process is shared (both sides follow it together, e.g. the joint lead hand-off) or
internal (ours alone). Per partnership, a StepCheck records whether a step is followed;
a step added later simply has no check yet (not followed), a deleted step takes its checks
with it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from tandem.core.models import PartnershipItem, Versioned


class Process(PartnershipItem):
    """A core process of the program. Workspace-level: ``partnership`` is always empty."""

    name = models.CharField(max_length=120)
    purpose = models.TextField(
        blank=True,
        max_length=1000,
        help_text="Why this process exists and when it starts, in a sentence or two.",
    )
    position = models.PositiveIntegerField(default=0, editable=False)

    concurrency_fields = ("name", "purpose", "visibility")
    # Partner-side people follow the shared processes in their partnerships (core.policy).
    program_items_shared_with_partners = True

    class Meta:
        ordering = ["position", "id"]
        verbose_name_plural = "processes"
        indexes = [models.Index(fields=["workspace", "position"])]

    def __str__(self) -> str:
        return self.name


class Step(Versioned):
    """One step of a process, in order. It is as visible as its process."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(default=0, editable=False)
    title = models.CharField(max_length=200)
    guidance = models.TextField(
        blank=True, max_length=2000, help_text="What good looks like: who does it, with what."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    concurrency_fields = ("title", "guidance")

    class Meta:
        ordering = ["position", "id"]
        indexes = [models.Index(fields=["process", "position"])]

    def __str__(self) -> str:
        return self.title

    @property
    def activity_visibility(self) -> str:
        return self.process.visibility


class StepCheck(PartnershipItem):
    """Whether a partnership follows one step of the Way. Its visibility is its process's
    (kept in step when the process's visibility changes), so a partner-side user never sees
    the checks of an internal process."""

    step = models.ForeignKey(Step, on_delete=models.CASCADE, related_name="checks")
    followed = models.BooleanField(default=False)
    note = models.CharField(max_length=300, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    concurrency_fields = ("followed", "note")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["partnership", "step"], name="way_one_check_per_step")
        ]

    def __str__(self) -> str:
        return str(self.step)
