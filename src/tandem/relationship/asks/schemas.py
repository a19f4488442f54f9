from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, StringConstraints

from tandem.core.api.schemas import PersonOut, Version

SideValue = Literal["ours", "partner"]
StatusValue = Literal["open", "answered", "declined", "withdrawn"]
AnswerText = Annotated[str, StringConstraints(strip_whitespace=True, max_length=5000)]
# A span of time, read from a timedelta, sent as whole seconds.
Seconds = Annotated[
    int | None, BeforeValidator(lambda span: None if span is None else int(span.total_seconds()))
]


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
    response_seconds: Seconds = Field(
        alias="response_time",
        description="Answered (or declined) minus asked, once it has been.",
    )
    visibility: str
    version: int


class AnswerIn(Schema):
    version: Version
    answer: AnswerText = ""
    decline: StrictBool = Field(False, description="Decline the ask instead of answering it.")


class SideFiguresOut(Schema):
    open: int
    overdue: int
    oldest_asked_at: datetime | None
    oldest_age_seconds: Seconds = Field(alias="oldest_age")
    responded: int = Field(description="Asks of this side responded to in the last 90 days.")
    median_response_seconds: Seconds = Field(
        alias="median_response",
        description="How long the other side took to respond, median of the last 90 days.",
    )


class AskSummaryOut(Schema):
    ours: SideFiguresOut = Field(description="The asks the workspace made.")
    partner: SideFiguresOut = Field(description="The asks the partner made.")
