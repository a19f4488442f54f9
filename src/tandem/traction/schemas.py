from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool

from tandem.core.api.schemas import Details, Id, PersonOut, Title, VersionIn, VisibilityValue
from tandem.core.params import Day


class TodoOut(Schema):
    id: int
    title: str
    details: str
    owner: PersonOut | None
    due_on: date
    repeat: str
    done: bool = Field(validation_alias="is_done")
    done_at: datetime | None
    overdue: bool = Field(validation_alias="is_overdue")
    visibility: str
    version: int


class TodoDoneIn(VersionIn):
    done: StrictBool = True


class MilestoneOut(Schema):
    id: int
    title: str
    due_on: date
    done_at: datetime | None


class RockOut(Schema):
    id: int
    title: str
    details: str
    owner: PersonOut | None
    year: int
    quarter: int
    due_on: date
    status: str
    goal_id: int | None = Field(None, description="The 1-year goal this rock serves.")
    visibility: str
    milestones: list[MilestoneOut]
    version: int


class RockIn(Schema):
    title: Title
    details: Details = ""
    owner_id: Id | None = None
    year: int | None = None
    quarter: Literal[1, 2, 3, 4] | None = None
    due_on: Day | None = None
    goal_id: Id | None = None
    visibility: VisibilityValue = "shared"


class MilestoneIn(Schema):
    title: Title
    due_on: Day
