from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from tandem.api.schemas import Version
from tandem.core.params import Day
from tandem.traction.schemas import Details, Title, VisibilityValue

KindValue = Literal["monthly", "quarterly", "event"]
Participants = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class CheckInOut(Schema):
    id: int
    kind: KindValue
    title: str
    held_on: date = Field(description="A date to come is planned; a past date was held.")
    participants: str
    notes: str
    visibility: str
    version: int


class CheckInIn(Schema):
    kind: KindValue = "monthly"
    title: Title
    held_on: Day
    participants: Participants = ""
    notes: Details = ""
    visibility: VisibilityValue = "shared"


class CheckInPatch(Schema):
    version: Version
    kind: KindValue | None = None
    title: Title | None = None
    held_on: Day | None = None
    participants: Participants | None = None
    notes: Details | None = None
    visibility: VisibilityValue | None = None


class KindFiguresOut(Schema):
    kind: KindValue
    last_held: date | None
    next_planned: date | None
    days_since: int | None
    lapsed: bool = Field(description="No monthly in 35 days / quarterly in 100 days, or none.")


class CheckInSummaryOut(Schema):
    kinds: list[KindFiguresOut]
    warnings: list[str]
