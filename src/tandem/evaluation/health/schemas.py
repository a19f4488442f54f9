"""The health API's schemas (names prefixed Health: unique across the whole API)."""

from datetime import date

from ninja import Field, Schema


class HealthPartOut(Schema):
    key: str = Field(description="The part: meetings, recaps, todos, rocks, scorecard, …")
    label: str
    score: int | None = Field(description="0–100; null when the part has no data.")
    evidence: str = Field(description="What the score rests on, in plain words.")
    url: str = Field(description="The page the part comes from.")
    weight: int = Field(description="The workspace's weight of the part (0–10).")


class HealthOut(Schema):
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

    meetings: int = Field(ge=0, le=10)
    recaps: int = Field(ge=0, le=10)
    todos: int = Field(ge=0, le=10)
    rocks: int = Field(ge=0, le=10)
    scorecard: int = Field(ge=0, le=10)
    commitments: int = Field(ge=0, le=10)
    asks: int = Field(ge=0, le=10)
    checkins: int = Field(ge=0, le=10)
    value: int = Field(ge=0, le=10)
    pipeline: int = Field(ge=0, le=10)
    partner_activity: int = Field(ge=0, le=10)
    version: int | None = Field(None, description="The version you read (null: any).")
