from datetime import date
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

KindValue = Literal["monthly", "quarterly", "event"]
Participants = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]


class KindFiguresOut(Schema):
    kind: KindValue
    last_held: date | None
    next_planned: date | None
    days_since: int | None
    lapsed: bool = Field(description="No monthly in 35 days / quarterly in 100 days, or none.")


class CheckInSummaryOut(Schema):
    kinds: list[KindFiguresOut]
    warnings: list[str]
