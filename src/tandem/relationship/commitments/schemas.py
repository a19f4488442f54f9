from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictBool, StringConstraints

from tandem.core.api.schemas import Amount, PersonOut
from tandem.core.params import Day

Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Number = Annotated[Decimal, Amount(places=2, most=Decimal("9999999999.99"))]


class ReviewIn(Schema):
    kept: StrictBool
    on: Day | None = Field(
        None, description="Any day of the period reviewed; today's period if left out."
    )
    note: Note = ""
    seen: Literal["none", "kept", "missed"] | None = Field(
        None,
        description="The verdict you last read for that period (`none` if unreviewed): if"
        " someone marked it otherwise since, nothing is overwritten (400). Required to"
        " change a verdict already given; without it only an unreviewed period, or the same"
        " verdict again, is taken.",
    )


class ReviewOut(Schema):
    id: int
    period_start: date
    period: str
    kept: bool
    note: str
    reviewed_by: PersonOut | None
    reviewed_at: datetime

    @staticmethod
    def resolve_period(obj: object) -> str:
        return obj.period_label  # type: ignore[attr-defined]


class SideRecord(Schema):
    kept: int
    reviewed: int
    percent: int | None


class TrustOut(Schema):
    ours: SideRecord
    partner: SideRecord
