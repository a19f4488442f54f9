from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.schemas import PersonOut
from tandem.core.params import Day

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class TouchOut(Schema):
    planned_on: date
    happened: bool
    note: str
    marked_by: PersonOut | None
    marked_at: datetime


class PlannedOut(Schema):
    planned_on: date = Field(alias="day")
    state: Literal["happened", "missed", "open"]


class EntryOut(Schema):
    id: int
    topic: str
    channel: str
    cadence: str
    audience: str
    owner: PersonOut | None
    starts_on: date
    visibility: str
    version: int


class EntryRowOut(EntryOut):
    recent: list[PlannedOut] = Field(description="The latest planned touches due, earliest first.")
    planned: int = Field(description="Touches planned in the last 90 days.")
    happened: int
    missed: int
    overdue: int = Field(description="Planned in the last 90 days and not marked yet.")
    percent: int | None
    next_due: date


class TouchIn(Schema):
    planned_on: Day = Field(description="One of the entry's planned days, not in the future.")
    happened: StrictBool
    note: Note = ""
    seen: Literal["none", "happened", "missed"] | None = Field(
        None,
        description="The state you last read for that touch (`none` if unmarked): if"
        " someone marked it otherwise since, nothing is overwritten (400). Required to"
        " change a mark already given; without it only an unmarked touch, or the same mark"
        " again, is taken.",
    )


class HealthOut(Schema):
    entries: int
    planned: int
    happened: int
    missed: int
    overdue: int
    percent: int | None
