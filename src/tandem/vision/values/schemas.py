from typing import Annotated

from ninja import Schema
from pydantic import StringConstraints

from tandem.core.api.schemas import Id, Title, Version, VisibilityValue

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Meaning = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
OptionalTarget = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class CoreValueOut(Schema):
    id: int
    name: str
    meaning: str
    matches_id: int | None
    visibility: str
    version: int


class CoreValueIn(Schema):
    name: Name
    meaning: Meaning = ""
    matches_id: Id | None = None
    visibility: VisibilityValue = "shared"


class CoreValuePatch(Schema):
    version: Version
    name: Name | None = None
    meaning: Meaning | None = None
    matches_id: Id | None = None
    visibility: VisibilityValue | None = None


class AlignmentOut(Schema):
    ours: list[CoreValueOut]
    theirs: list[CoreValueOut]
    shared: list[str]
    aligned: bool


class CompanyGoalOut(Schema):
    id: int
    title: str
    target: str
    version: int


class CompanyGoalIn(Schema):
    title: Title
    target: OptionalTarget = ""


class CompanyGoalPatch(Schema):
    version: Version
    title: Title | None = None
    target: OptionalTarget | None = None
