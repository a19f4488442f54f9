from datetime import datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.schemas import Id, PersonOut, Version

CriterionName = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)
]
Guidance = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
Weight = Annotated[int, Field(ge=1, le=10, description="1–10, relative to the other criteria.")]
ScoreValue = Annotated[int, Field(ge=1, le=5)]
Evidence = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
Rationale = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
DecisionValue = Literal["go", "no_go"]


class CriterionOut(Schema):
    id: int
    name: str
    guidance: str
    weight: int
    position: int
    retired_at: datetime | None
    version: int


class CriterionIn(Schema):
    name: CriterionName
    guidance: Guidance = ""
    weight: Weight = 1


class CriterionPatch(Schema):
    version: Version
    name: CriterionName | None = None
    guidance: Guidance | None = None
    weight: Weight | None = None
    retired: StrictBool | None = Field(None, description="true retires it; false brings it back.")
    move: Literal["up", "down"] | None = None


class ScoreOut(Schema):
    id: int
    criterion_id: int | None
    name: str
    guidance: str
    weight: int
    score: int | None
    evidence: str


class AssessmentOut(Schema):
    id: int
    partnership_id: int
    created_at: datetime
    created_by: PersonOut | None
    score_percent: int | None = Field(
        None, description="Weighted total of the scored criteria, as a % of their maximum."
    )
    decision: str = Field(description='"go", "no_go", or "" while open.')
    rationale: str
    decided_by: PersonOut | None
    decided_at: datetime | None
    scores: list[ScoreOut]
    version: int


class ScoreIn(Schema):
    id: Id = Field(description="The score row's id (from the assessment's scores).")
    score: ScoreValue | None = None
    evidence: Evidence | None = None


class AssessmentPatch(Schema):
    version: Version
    scores: list[ScoreIn] = Field(default_factory=list, max_length=100)


class DecisionIn(Schema):
    version: Version
    decision: DecisionValue
    rationale: Rationale
