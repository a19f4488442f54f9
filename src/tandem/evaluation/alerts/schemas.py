"""The alerts API's schemas (names prefixed Alert: unique across the whole API)."""

from datetime import date

from ninja import Field, Schema

from tandem.core.api.schemas import Version


class AlertOut(Schema):
    kind: str = Field(
        description="no_meeting, partner_quiet, commitment_missed, todos_overdue, deal_stalled"
        " or recap_not_sent."
    )
    title: str
    partnership_id: int
    partnership_name: str
    text: str = Field(description="What stalls, in plain words.")
    next_step: str = Field(description="What to do next.")
    url: str = Field(description="The page where the next step is done.")
    since: date = Field(description="The day the condition began.")


class AlertSettingsOut(Schema):
    partner_quiet_days: int = Field(
        description="Days without an action by the partner side before it is flagged."
    )
    version: int | None = Field(description="Send it back to change it; null: the default.")


class AlertSettingsIn(Schema):
    partner_quiet_days: int = Field(ge=1, le=365)
    version: Version | None = None
