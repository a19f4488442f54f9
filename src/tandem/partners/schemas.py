from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from tandem.accounts.schemas import InvitationOut as InvitationOut  # the partner invite's answer
from tandem.core.api.schemas import Hours, Id, PersonOut, Version

KindValue = Literal["referral", "reseller", "technology", "alliance"]
HorizonValue = Literal["tactical", "strategic"]
StageValue = Literal["prospect", "diligence", "active", "paused", "ended"]
CadenceValue = Literal["weekly", "biweekly", "monthly", "quarterly"]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]


class PartnershipOut(Schema):
    id: int
    workspace_id: int
    name: str
    website: str
    summary: str
    kind: str
    horizon: str
    stage: str
    owner: PersonOut | None
    sponsor: PersonOut | None
    cadence: str
    hours_per_week: Decimal | None = Field(
        description="Hours per week the workspace commits. Internal: null for partner-side people."
    )
    archived: bool = Field(validation_alias="is_archived")
    version: int
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_hours_per_week(obj: Any, context: dict[str, Any]) -> Decimal | None:
        member = context["request"].actor.is_member(obj.workspace_id)
        return obj.hours_per_week if member else None


class PartnershipIn(Schema):
    workspace_id: Id | None = Field(
        None, description="Defaults to your workspace when you belong to exactly one."
    )
    name: Name
    website: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] = ""
    summary: Annotated[str, StringConstraints(max_length=2000)] = ""
    kind: KindValue = "referral"
    horizon: HorizonValue = "tactical"
    stage: StageValue = "prospect"
    owner_id: Id | None = None
    sponsor_id: Id | None = None
    cadence: CadenceValue = "weekly"
    hours_per_week: Hours = Decimal("2.0")


class PartnershipPatch(Schema):
    version: Version
    name: Name | None = None
    website: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)] | None = None
    summary: Annotated[str, StringConstraints(max_length=2000)] | None = None
    kind: KindValue | None = None
    horizon: HorizonValue | None = None
    stage: StageValue | None = None
    owner_id: Id | None = None
    sponsor_id: Id | None = None
    cadence: CadenceValue | None = None
    hours_per_week: Hours | None = None


class StageChangeOut(Schema):
    from_stage: str
    to_stage: str
    changed_by: PersonOut | None
    changed_at: datetime


class ActivityOut(Schema):
    id: int
    actor: PersonOut | None
    verb: str
    target_type: str
    target_id: int | None
    target_label: str
    changes: dict[str, list[str]]
    created_at: datetime


class NoteOut(Schema):
    id: int
    title: str
    body: str
    visibility: str
    created_by: PersonOut | None
    version: int
    created_at: datetime
    updated_at: datetime


class PartnerInviteIn(Schema):
    email: Annotated[str, StringConstraints(strip_whitespace=True, min_length=3, max_length=254)]
