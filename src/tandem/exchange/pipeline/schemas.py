from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StringConstraints

from tandem.core.api.schemas import PersonOut, Version
from tandem.core.ids import Id

OutcomeValue = Literal["open", "won", "lost"]
AttributionValue = Literal["partner_sourced", "partner_influenced", "sourced_for_partner"]
RegistrationValue = Literal["", "pending", "accepted", "rejected"]
# Wide enough that the service, not the parser, says what is wrong with a code or an amount.
CurrencyText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=12)]
Reason = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class StageOut(Schema):
    id: int
    name: str
    probability: int = Field(description="Win probability, per cent.")
    outcome: OutcomeValue
    archived: bool
    position: int
    version: int


class StageIn(Schema):
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)]
    probability: int = Field(ge=0, le=100)
    outcome: OutcomeValue = "open"


class StagePatch(Schema):
    version: Version
    name: Annotated[str, StringConstraints(strip_whitespace=True, max_length=60)] | None = None
    probability: int | None = Field(None, ge=0, le=100)
    outcome: OutcomeValue | None = None
    archived: StrictBool | None = None
    move: Literal["up", "down"] | None = Field(None, description="Swap with a neighbour.")


class SettingsOut(Schema):
    stall_days: int = Field(description="Days without a stage change that flag an open deal.")


class SettingsIn(Schema):
    stall_days: int = Field(ge=1, le=365)


class StageBrief(Schema):
    id: int
    name: str
    outcome: OutcomeValue
    probability: int


class OpportunityOut(Schema):
    id: int
    account_name: str
    account_domain: str
    attribution: str
    stage: StageBrief
    amount: Decimal | None
    currency: str
    expected_close: date | None
    owner: PersonOut | None
    next_step: str
    lost_reason: str
    stage_entered_at: datetime
    closed_on: date | None
    registration: RegistrationValue
    already_registered: bool = Field(
        description="The workspace already had a deal for this account (not said which)."
    )
    decision_reason: str
    decided_at: datetime | None
    registered_by: PersonOut | None = Field(alias="created_by")
    visibility: str
    version: int


class DealMoveOut(Schema):
    from_stage: StageBrief | None
    to_stage: StageBrief
    changed_at: datetime
    changed_by: PersonOut | None


class DealMoveIn(Schema):
    version: Version
    stage_id: Id
    lost_reason: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class RegistrationDecisionIn(Schema):
    version: Version
    accept: StrictBool
    reason: Reason = ""


class MatchOut(Schema):
    id: int
    partnership_id: int
    partnership: str = Field(alias="partnership.name")
    account_name: str
    stage: str = Field(alias="stage.name")


class OpportunityFilters(Schema):
    stage_id: Id | None = None
    registration: RegistrationValue | None = None
    attribution: AttributionValue | None = None
