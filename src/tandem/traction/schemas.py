from datetime import date, datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, StrictBool

from tandem.core.api.schemas import Details, Id, PersonOut, Title, Version, VisibilityValue
from tandem.core.params import Day


class TodoOut(Schema):
    id: int
    title: str
    details: str
    owner: PersonOut | None
    due_on: date
    repeat: str
    done: bool
    done_at: datetime | None
    overdue: bool
    visibility: str
    version: int

    @staticmethod
    def resolve_done(obj: object) -> bool:
        return obj.is_done  # type: ignore[attr-defined]

    @staticmethod
    def resolve_overdue(obj: object) -> bool:
        return obj.is_overdue  # type: ignore[attr-defined]


class TodoDoneIn(Schema):
    version: Version
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

    @staticmethod
    def resolve_milestones(obj: object) -> list[object]:
        return list(obj.milestones.all())  # type: ignore[attr-defined]


StatusValue = Literal["on_track", "off_track", "done", "dropped"]


class RockIn(Schema):
    title: Title
    details: Details = ""
    owner_id: Id | None = None
    year: int | None = None
    quarter: Literal[1, 2, 3, 4] | None = None
    due_on: Day | None = None
    goal_id: Id | None = None
    visibility: VisibilityValue = "shared"


class RockPatch(Schema):
    version: Version
    title: Title | None = None
    details: Details | None = None
    owner_id: Id | None = None
    due_on: Day | None = None
    status: StatusValue | None = None
    goal_id: Id | None = None
    visibility: VisibilityValue | None = None


class MilestoneIn(Schema):
    title: Title
    due_on: Day
