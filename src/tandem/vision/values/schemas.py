from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

from tandem.core.api.derive import schemas
from tandem.vision.values.services import COMPANY_GOALS, VALUES


class CoreValueOut(Schema):
    id: int
    name: str
    meaning: str
    matches_id: int | None
    visibility: str
    version: int


class AlignmentOut(Schema):
    ours: list[CoreValueOut]
    theirs: list[CoreValueOut]
    shared: list[str]
    aligned: bool


# What a create and a change take, read from the models (and company goals' Out); a
# meaning states no least length.
Meaning = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
_, CoreValueIn, CoreValuePatch = schemas(
    VALUES, name="CoreValue", out=CoreValueOut, fields={"meaning": (Meaning, "")}
)
CompanyGoalOut, CompanyGoalIn, CompanyGoalPatch = schemas(COMPANY_GOALS)
