"""The dashboard API's schemas (names prefixed Dashboard: unique across the whole API)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Schema

from tandem.core.ids import Id
from tandem.evaluation.alerts.schemas import AlertOut


class DashboardPointOut(Schema):
    week: date = Field(description="The Monday of the week.")
    score: int | None


class DashboardAmountOut(Schema):
    currency: str
    net: Decimal = Field(
        description="What the partner gave minus what we gave in the last 12 months."
    )


class DashboardPipelineOut(Schema):
    currency: str
    amount: Decimal


class DashboardEntriesOut(Schema):
    partner_gave: int
    we_gave: int


class DashboardRowOut(Schema):
    partnership_id: int
    name: str
    stage: str
    horizon: str
    owner: str | None
    owner_id: int | None
    owner_over_capacity: bool
    health: int | None = Field(description="Today's health score; null: not enough data.")
    health_band: str = Field(description="healthy, watch, at_risk or no_data.")
    health_last_week: int | None = Field(description="Last week's snapshot score.")
    health_delta: int | None = Field(description="Today's score minus last week's.")
    trend: list[DashboardPointOut] = Field(description="13 weeks of snapshots, oldest first.")
    value_balance: list[DashboardAmountOut]
    value_balance_in_base: DashboardAmountOut | None = Field(
        description="The balance in the base currency at this quarter's rates, when entered."
    )
    value_entries: DashboardEntriesOut
    open_pipeline: list[DashboardPipelineOut]
    open_deals: int
    alerts: list[AlertOut]
    new_alerts: int = Field(description="Alerts that began in the last seven days.")


class DashboardFilters(Schema):
    stage: str = ""
    owner: Id | None = Field(None, description="Only the partnerships this member owns.")
    band: str = Field("", description="healthy, watch, at_risk or no_data.")
    has_alerts: bool = False
    sort: str = Field("health", description="health, -health, name or alerts.")
    page: int = Field(1, ge=1, le=1_000_000, description="50 rows a page; past the end: the last.")


class DashboardOut(Schema):
    """One page of rows, as every paginated answer of the API."""

    items: list[DashboardRowOut]
    count: int = Field(description="Partnerships that pass the filters.")
    page: int
    pages: int
