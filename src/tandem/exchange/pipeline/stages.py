"""A workspace's stages (the defaults made on first use) and its stall rule: read by the
forms, the services and the selectors alike."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from tandem.core.errors import InvalidInput
from tandem.exchange.pipeline.models import (
    DEFAULT_STAGES,
    STALL_DAYS,
    Outcome,
    PipelineSettings,
    Stage,
)


def stages_of(workspace_id: int) -> list[Stage]:
    """The workspace's stages in order (archived ones too); the defaults on first use."""
    stages = list(Stage.objects.filter(workspace_id=workspace_id))
    if stages:
        return stages
    try:
        with transaction.atomic():
            Stage.objects.bulk_create(
                Stage(
                    workspace_id=workspace_id,
                    name=name,
                    probability=probability,
                    outcome=outcome,
                    position=index,
                )
                for index, (name, probability, outcome) in enumerate(DEFAULT_STAGES)
            )
    except IntegrityError:  # another request made them first
        pass
    return list(Stage.objects.filter(workspace_id=workspace_id))


def first_open_stage(workspace_id: int) -> Stage:
    for stage in stages_of(workspace_id):
        if not stage.archived and stage.outcome == Outcome.OPEN:
            return stage
    raise InvalidInput("The pipeline has no open stage: add one under Pipeline stages.")


def stall_days_of(workspace_id: int) -> int:
    found = PipelineSettings.objects.filter(workspace_id=workspace_id).first()
    return found.stall_days if found else STALL_DAYS
