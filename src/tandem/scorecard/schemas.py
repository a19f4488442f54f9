from datetime import date
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictFloat, StringConstraints

from tandem.core.api.schemas import Id, PersonOut, Version, VisibilityValue

Title = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
Description = Annotated[str, StringConstraints(max_length=2000)]
Formula = Annotated[str, StringConstraints(max_length=500)]
# A JSON number or the figure as text; never a boolean (lax parsing would read false as 0).
Number = Annotated[str, StringConstraints(max_length=40)] | StrictFloat | None
UnitValue = Literal["number", "currency", "percent", "yesno", "duration"]
ComparatorValue = Literal["gte", "lte", "eq", "between"]
FrequencyValue = Literal["weekly", "monthly"]
AggregateValue = Literal["", "total", "average"]


class FigureOut(Schema):
    value: float | None
    shown: str
    status: str = Field(description="on, off, missing (no value) or plain (no goal)")


class PeriodOut(Schema):
    period_start: date
    value: float | None = Field(description="null when missing (never 0)")
    shown: str
    status: str = Field(description="on, off, missing, plain (no goal) or ahead (future)")
    goal: float | None
    goal_high: float | None
    goal_note: str = Field(description="set when this period has a goal of its own")
    version: int | None = Field(description="send it back when you change this period")


class MeasurableOut(Schema):
    id: int
    title: str
    description: str
    owner: PersonOut | None
    unit: str
    currency: str
    comparator: str
    goal: float | None
    goal_high: float | None
    frequency: str
    aggregate: str
    formula: str = Field(description="with ids: {#12} / {#13} * 100; empty for entered values")
    visibility: str
    position: int
    version: int
    periods: list[PeriodOut] = Field(default=[], description="the 13 periods up to `to`")
    trailing: FigureOut | None = None
    quarter: FigureOut | None = None
    year: FigureOut | None = None


class MeasurablePage(Schema):
    items: list[MeasurableOut]
    count: int
    page: int
    pages: int


class MeasurableIn(Schema):
    title: Title
    description: Description = ""
    owner_id: Id | None = None
    unit: UnitValue = "number"
    currency: Annotated[str, StringConstraints(max_length=3)] = "USD"
    comparator: ComparatorValue = "gte"
    goal: Number = None
    goal_high: Number = None
    frequency: FrequencyValue = "weekly"
    aggregate: AggregateValue = ""
    formula: Formula = Field(
        "", description="other measurables in braces, by name or #id: {Won} / {Leads} * 100"
    )
    visibility: VisibilityValue = "shared"


class MeasurablePatch(Schema):
    version: Version
    title: Title | None = None
    description: Description | None = None
    owner_id: Id | None = None
    unit: UnitValue | None = None
    currency: Annotated[str, StringConstraints(max_length=3)] | None = None
    comparator: ComparatorValue | None = None
    goal: Number = None
    goal_high: Number = None
    frequency: FrequencyValue | None = None
    aggregate: AggregateValue | None = None
    formula: Formula | None = None
    visibility: VisibilityValue | None = None


class ValueIn(Schema):
    value: Number = Field(description="in the unit: 12, 45%, 1200, yes, 1:30; null clears it")
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = Field(
        None, description="the period's version you read; null if it had none"
    )


class PeriodGoalIn(Schema):
    goal: Number = Field(description="null goes back to the measurable's goal")
    goal_high: Number = None
    note: Annotated[str, StringConstraints(max_length=200)] = ""
    version: Annotated[int, Field(ge=1, le=2**31 - 1)] | None = None


class EntryOut(Schema):
    period_start: date
    value: float | None
    goal: float | None
    goal_high: float | None
    goal_note: str
    version: int
