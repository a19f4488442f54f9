"""Schema pieces every router uses."""

from __future__ import annotations

from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

from tandem.core.ids import Id

Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version you last read.")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class PersonOut(Schema):
    id: int
    name: str
    email: str


class VersionIn(Schema):
    version: Version


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str


__all__ = ["Id", "PersonOut", "Problem", "ShortText", "Version", "VersionIn"]
