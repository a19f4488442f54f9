"""The health API's schemas (names prefixed Health: unique across the whole API)."""

from datetime import date
from typing import Annotated

from ninja import Field, Schema

from tandem.core.api.schemas import Version

# A part's weight: a whole number 0–10.
Weight = Annotated[int, Field(ge=0, le=10)]


class HealthPartOut(Schema):
    key: str = Field(description="The part: meetings, recaps, todos, rocks, scorecard, …")
    label: str
    score: int | None = Field(description="0–100; null when the part has no data.")
    evidence: str = Field(description="What the score rests on, in plain words.")
    url: str = Field(description="The page the part comes from.")
    weight: int = Field(description="The workspace's weight of the part (0–10).")


class PartnershipHealthOut(Schema):
    partnership_id: int
    score: int | None = Field(
        description="The weighted mean of the parts with data; null: not enough data."
    )
    view: str = Field(description='"all" (a member\'s view) or "shared" (shared items only).')
    parts: list[HealthPartOut]


class HealthSnapshotOut(Schema):
    week: date = Field(description="The Monday of the week.")
    view: str
    score: int | None
    parts: list[HealthPartOut]


class HealthWeightsOut(Schema):
    meetings: int
    recaps: int
    todos: int
    rocks: int
    scorecard: int
    commitments: int
    asks: int
    checkins: int
    value: int
    pipeline: int
    partner_activity: int
    version: int | None = Field(description="Send it back to change them; null: defaults.")


class HealthWeightsIn(Schema):
    """Every part's weight, 0–10 (at least one above 0)."""

    meetings: Weight
    recaps: Weight
    todos: Weight
    rocks: Weight
    scorecard: Weight
    commitments: Weight
    asks: Weight
    checkins: Weight
    value: Weight
    pipeline: Weight
    partner_activity: Weight
    version: Version | None = None
