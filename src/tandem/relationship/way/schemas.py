from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.schemas import PersonOut, Title, Version, VisibilityValue

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Purpose = Annotated[str, StringConstraints(max_length=1000)]
Guidance = Annotated[str, StringConstraints(max_length=2000)]
Note = Annotated[str, StringConstraints(max_length=300)]
Direction = Literal["up", "down"]


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

    @staticmethod
    def resolve_steps(obj: object) -> list[object]:
        return list(obj.steps.all())  # type: ignore[attr-defined]


class WayProcessIn(Schema):
    name: Name
    purpose: Purpose = ""
    visibility: VisibilityValue = "shared"


class WayProcessPatch(Schema):
    version: Version
    name: Name | None = None
    purpose: Purpose | None = None
    visibility: VisibilityValue | None = None


class WayStepIn(Schema):
    title: Title
    guidance: Guidance = ""


class WayStepPatch(Schema):
    version: Version
    title: Title | None = None
    guidance: Guidance | None = None


class WayMoveIn(Schema):
    version: Version
    direction: Direction


class WayCheckIn(Schema):
    followed: StrictBool
    note: Note | None = Field(None, description="Leave out to keep the note as it is.")
    version: Version | None = Field(
        None, description="The version of the step's check you read; leave out for the first."
    )


class WayStepFollowedOut(Schema):
    id: int
    position: int
    title: str
    guidance: str
    followed: bool
    note: str
    checked_by: PersonOut | None
    checked_at: datetime | None
    check_version: int | None = Field(
        description="Send it back when you tick this step again; null before the first tick."
    )


class WayProcessFollowedOut(Schema):
    id: int
    name: str
    purpose: str
    visibility: str
    followed: int
    total: int
    percent: int | None
    steps: list[WayStepFollowedOut]


class WayFollowedOut(Schema):
    followed: int
    total: int
    percent: int | None = Field(description="Whole per cent of steps followed; null if none.")
    processes: list[WayProcessFollowedOut]
