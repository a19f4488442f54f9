from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema


class EndpointIn(Schema):
    url: str = Field(description="Where each event is POSTed: an https:// address.")
    description: str = Field("", description="What it feeds (up to 200 characters).")
    events: list[str] | None = Field(
        None, description="The event types it receives (see the catalogue); omitted: all."
    )


class EndpointPatch(Schema):
    url: str | None = None
    description: str | None = None
    events: list[str] | None = None
    active: bool | None = Field(None, description="Switch it on (its failures forgotten) or off.")


class EndpointOut(Schema):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    switched_off_reason: str
    consecutive_failures: int
    failing_since: datetime | None
    partnership_id: int | None
    created_at: datetime


class EndpointSecretOut(EndpointOut):
    secret: str = Field(description="The signing secret (whsec_…): verify each delivery with it.")


class DeliveryOut(Schema):
    id: int
    event_id: str = Field(description="The webhook-id header: the same on every attempt.")
    event_type: str
    status: str = Field(description="pending, succeeded or failed")
    attempts: int
    last_status_code: int | None
    last_error: str
    next_attempt_at: datetime | None
    last_attempt_at: datetime | None
    created_at: datetime
    payload: dict[str, Any]
