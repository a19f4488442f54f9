from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.accounts.models import User
from tandem.core.api.derive import schemas
from tandem.core.api.schemas import PersonOut, Version
from tandem.relationship.way.models import Step
from tandem.relationship.way.selectors import StepRow
from tandem.relationship.way.services import PROCESSES

Note = Annotated[str, StringConstraints(max_length=300)]


class WayStepOut(Schema):
    id: int
    process_id: int
    position: int
    title: str
    guidance: str
    version: int


class WayProcessOut(Schema):
    id: int
    name: str
    purpose: str
    position: int
    visibility: str
    version: int
    steps: list[WayStepOut]


# What a create and a change take, read from the models' versioned fields (no Out: the
# answers above carry the order and the steps).
_, ProcessIn, ProcessPatch = schemas(PROCESSES)
_, StepIn, StepPatch = schemas(Step)


class WayMoveIn(Schema):
    version: Version
    direction: Literal["up", "down"]


class WayCheckIn(Schema):
    followed: StrictBool
    note: Note | None = Field(None, description="Leave out to keep the note as it is.")
    version: Version | None = Field(
        None, description="The version of the step's check you read; leave out for the first."
    )


# Read from a StepRow: the step and its check in the partnership, if any.
class WayStepFollowedOut(Schema):
    id: int = Field(validation_alias="step.pk")
    position: int = Field(validation_alias="step.position")
    title: str = Field(validation_alias="step.title")
    guidance: str = Field(validation_alias="step.guidance")
    followed: bool
    note: str
    checked_by: PersonOut | None
    checked_at: datetime | None
    check_version: int | None = Field(
        description="Send it back when you tick this step again; null before the first tick."
    )

    @staticmethod
    def resolve_note(row: StepRow) -> str:
        return row.check.note if row.check else ""

    @staticmethod
    def resolve_checked_by(row: StepRow) -> User | None:
        return row.check.checked_by if row.check else None

    @staticmethod
    def resolve_checked_at(row: StepRow) -> datetime | None:
        return row.check.checked_at if row.check else None

    @staticmethod
    def resolve_check_version(row: StepRow) -> int | None:
        return row.check.version if row.check else None


# Read from a ProcessProgress (and the whole from a WayProgress).
class WayProcessFollowedOut(Schema):
    id: int = Field(validation_alias="process.pk")
    name: str = Field(validation_alias="process.name")
    purpose: str = Field(validation_alias="process.purpose")
    visibility: str = Field(validation_alias="process.visibility")
    followed: int
    total: int
    percent: int | None
    steps: list[WayStepFollowedOut] = Field(validation_alias="rows")


class WayFollowedOut(Schema):
    followed: int
    total: int
    percent: int | None = Field(description="Whole per cent of steps followed; null if none.")
    processes: list[WayProcessFollowedOut]
