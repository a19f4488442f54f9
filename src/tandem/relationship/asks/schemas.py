from datetime import date, datetime
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StrictBool, StringConstraints

from tandem.core.api.schemas import PersonOut, Version

SideValue = Literal["ours", "partner"]
StatusValue = Literal["open", "answered", "declined", "withdrawn"]
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]


class AskOut(Schema):
    id: int
    side: SideValue = Field(description="Who asked: `ours` (the workspace) or `partner`.")
    title: str
    details: str
    owner: PersonOut | None = Field(description="Who should answer, on the other side.")
    needed_by: date | None
    status: StatusValue
    answer: str
    answered_by: PersonOut | None
    asked_by: PersonOut | None = Field(alias="created_by")
    asked_at: datetime
    answered_at: datetime | None
    response_seconds: int | None = Field(
        description="Answered (or declined) minus asked, once it has been."
    )
    visibility: str
    version: int

    @staticmethod
    def resolve_response_seconds(obj: Any) -> int | None:
        span = obj.response_time
        return int(span.total_seconds()) if span is not None else None


class AnswerIn(Schema):
    version: Version
    answer: AnswerText = ""
    decline: StrictBool = Field(False, description="Decline the ask instead of answering it.")


class SideFiguresOut(Schema):
    open: int
    overdue: int
    oldest_asked_at: datetime | None
    oldest_age_seconds: int | None
    responded: int = Field(description="Asks of this side responded to in the last 90 days.")
    median_response_seconds: int | None = Field(
        description="How long the other side took to respond, median of the last 90 days."
    )


class AskSummaryOut(Schema):
    ours: SideFiguresOut = Field(description="The asks the workspace made.")
    partner: SideFiguresOut = Field(description="The asks the partner made.")
