"""Events heard from core's write path and from the meetings' end, queued for the webhooks
once the write has committed (never inside the writer's transaction)."""

from __future__ import annotations

from typing import Any

from django.db import models, transaction

from tandem.core.access import Actor
from tandem.integrations import events
from tandem.integrations.webhooks import services


def on_written(
    sender: type[models.Model],
    *,
    item: models.Model,
    actor: Actor,
    before: dict[str, Any] | None,
    **kwargs: Any,
) -> None:
    event = events.classify(sender._meta.label_lower, item, before)
    if event is not None:
        transaction.on_commit(lambda: services.queue(event), robust=True)


def on_meeting_ended(meeting: Any, actor: Actor) -> None:
    event = events.meeting_ended(meeting)
    transaction.on_commit(lambda: services.queue(event), robust=True)
