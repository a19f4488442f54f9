from datetime import date
from typing import Annotated, Literal

from ninja import Schema
from pydantic import StringConstraints

from tandem.core.api.schemas import Id, PersonOut, Title, Version, VisibilityValue
from tandem.core.params import Day

Target = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
HorizonValue = Literal["1y", "3y"]


class GoalOut(Schema):
    id: int
    title: str
    target: str
    horizon: str
    due_on: date
    owner: PersonOut | None
    company_goal_id: int | None
    visibility: str
    version: int


class GoalIn(Schema):
    title: Title
    target: Target
    horizon: HorizonValue = "1y"
    due_on: Day | None = None
    owner_id: Id | None = None
    company_goal_id: Id | None = None
    visibility: VisibilityValue = "shared"


class GoalPatch(Schema):
    version: Version
    title: Title | None = None
    target: Target | None = None
    horizon: HorizonValue | None = None
    due_on: Day | None = None
    owner_id: Id | None = None
    company_goal_id: Id | None = None
    visibility: VisibilityValue | None = None
