from datetime import date
from typing import Literal

from ninja import Field, Schema

KindValue = Literal["monthly", "quarterly", "event"]


class KindFiguresOut(Schema):
    kind: KindValue
    last_held: date | None
    next_planned: date | None
    days_since: int | None
    lapsed: bool = Field(description="No monthly in 35 days / quarterly in 100 days, or none.")


class CheckInSummaryOut(Schema):
    kinds: list[KindFiguresOut]
    warnings: list[str]
