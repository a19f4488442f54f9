"""Schema pieces every router uses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import (
    AfterValidator,
    Field,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    StringConstraints,
    WithJsonSchema,
)
from pydantic_core import core_schema

from tandem.core.ids import Id

Version = Annotated[int, Field(ge=1, le=2**31 - 1, description="The version you last read.")]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]


class PersonOut(Schema):
    id: int
    name: str
    email: str


class VersionIn(Schema):
    version: Version


class Difference(Schema):
    field: str
    yours: str = Field(description="What you sent, as a person reads it.")
    theirs: str = Field(description="What is saved now.")


class Problem(Schema):
    """A refusal, as RFC 9457 writes it (``application/problem+json``)."""

    type: str = Field(examples=["about:blank"])
    title: str
    status: int = Field(ge=400, le=599)
    detail: str = Field(description="What went wrong and what to do about it.")
    errors: dict[str, list[str]] | None = Field(
        default=None, description="The refusals per field (`request` for the whole request)."
    )
    current: dict[str, Any] | None = Field(
        default=None, description="On an edit conflict (409): the record as it is saved now."
    )
    differences: list[Difference] | None = Field(
        default=None, description="On an edit conflict (409): each field the two edits differ on."
    )


def _whole_seconds(value: dt.time) -> dt.time:
    if value.microsecond:
        raise ValueError("Send hours and minutes (HH:MM), without fractions of a second.")
    return value


# A time of day on the wall clock of a time zone named elsewhere: no offset, because the
# offset changes with daylight saving time while the meeting stays at 16:00. JSON Schema's
# ``time`` format is RFC 3339's full-time, which requires an offset, so the schema says
# HH:MM[:SS] with a pattern instead.
WallTime = Annotated[
    dt.time,
    AfterValidator(_whole_seconds),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$",
            "examples": ["16:00"],
        }
    ),
]


@dataclass(frozen=True)
class Amount:
    """``Annotated[Decimal, Amount(places=1, most=Decimal(80))]``: a number from 0 to ``most``,
    kept to ``places`` decimal places. A JSON number with more places is rounded, as a form's
    field with a step is, so the schema's ``number`` with its bounds is all a client needs to
    know (a decimal's own ``max_digits`` would refuse 59.25 for hours kept to one place). A
    string such as "2.5", the form the API answers with, is still read."""

    places: int
    most: Decimal

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        step = Decimal(1).scaleb(-self.places)
        return core_schema.no_info_after_validator_function(
            lambda value: value.quantize(step, rounding=ROUND_HALF_UP),
            core_schema.decimal_schema(ge=Decimal(0), le=self.most, allow_inf_nan=False),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> dict[str, Any]:
        return {"type": "number", "minimum": 0, "maximum": float(self.most)}


# Hours a week someone commits, to one decimal place.
Hours = Annotated[Decimal, Amount(places=1, most=Decimal(80))]


__all__ = [
    "VISIBLE",
    "Amount",
    "Hours",
    "Id",
    "PersonOut",
    "Problem",
    "ShortText",
    "Version",
    "VersionIn",
    "WallTime",
]


# A character the trimming keeps. Texts are trimmed of Unicode's white space, which holds
# U+0085 (next line); JSON Schema's \s (ECMAScript's) does not, so a bare \S would let the
# document accept "\x85" that the operation refuses as empty.
VISIBLE = r"[^\s\x85]"

# A title of spaces is a missing title: the schema says so (a visible character), so what
# the document accepts is what the operation takes.
Title = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=VISIBLE)
]


Details = Annotated[str, StringConstraints(max_length=5000)]


VisibilityValue = Literal["shared", "internal"]
