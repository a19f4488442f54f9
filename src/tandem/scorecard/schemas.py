from datetime import date
from typing import Annotated, Literal

from ninja import Schema
from pydantic import Field, StrictFloat, StringConstraints

from tandem.core.api.derive import schemas
from tandem.core.api.schemas import PersonOut
from tandem.scorecard.models import Measurable

Formula = Annotated[str, StringConstraints(max_length=500)]
FORMULA = "other measurables in braces, by name or #id: {Won} / {Leads} * 100"
# A JSON number or the figure as text; never a boolean (lax parsing would read false as 0).
Number = Annotated[str, StringConstraints(max_length=40)] | StrictFloat | None


class FigureOut(Schema):
    value: float | None
    shown: str
    status: str = Field(description="on, off, missing (no value) or plain (no goal)")
    note: str = ""


class PeriodOut(Schema):
    period_start: date
    value: float | None = Field(description="null when missing (never 0)")
    shown: str
    status: str = Field(description="on, off, missing, plain (no goal) or ahead (future)")
    goal: float | None
    goal_high: float | None
    goal_note: str = Field(description="set when this period has a goal of its own")
    version: int | None = Field(description="send it back when you change this period")
    computed: bool = Field(False, description="computed from the ledger or the pipeline")
    note: str = Field("", description="why a computed period has no value (a missing rate)")


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
    source: str = Field(
        "manual",
        description="manual (typed), or computed: pipeline_amount, pipeline_count, won_count,"
        " won_amount, value_given, value_received, registrations",
    )
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


# What a create and a change take, read from the model's versioned fields; goals are typed
# in the unit (text or a number), and an empty aggregate means the unit's usual one.
_, MeasurableIn, MeasurablePatch = schemas(
    Measurable,
    out=MeasurableOut,
    fields={
        "currency": (Annotated[str, StringConstraints(max_length=3)], "USD"),
        "goal": (Number, None),
        "goal_high": (Number, None),
        "aggregate": (Literal["", "total", "average"], ""),
        "formula": (Annotated[Formula, Field(description=FORMULA)], ""),
    },
)


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


class MeasurableEntryOut(Schema):
    period_start: date
    value: float | None
    goal: float | None
    goal_high: float | None
    goal_note: str
    version: int
