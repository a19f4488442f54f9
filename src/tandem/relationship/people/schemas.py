from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from tandem.core.api.schemas import Id, PersonOut, Version, VisibilityValue

Role = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80)]
Accountability = Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)]
SideValue = Literal["ours", "partner"]


class SeatContactOut(Schema):
    id: int
    name: str
    title: str


class SeatOut(Schema):
    id: int
    side: str
    role: str
    accountability: str
    user: PersonOut | None
    contact: SeatContactOut | None
    position: int
    visibility: str
    version: int


class SeatIn(Schema):
    side: SideValue = "partner"
    role: Role
    accountability: Accountability = ""
    user_id: Id | None = None
    contact_id: Id | None = None
    position: int | None = None
    visibility: VisibilityValue = "shared"


class SeatPatch(Schema):
    version: Version
    role: Role | None = None
    accountability: Accountability | None = None
    user_id: Id | None = None
    contact_id: Id | None = None
    position: int | None = None
    visibility: VisibilityValue | None = None


class SeatsOut(Schema):
    """Our side leads with the partnership's owner and sponsor (read-only here: change them
    on the partnership)."""

    owner: PersonOut | None
    sponsor: PersonOut | None
    seats: list[SeatOut]
    warnings: list[str]


class FocusPartnershipOut(Schema):
    id: int
    name: str
    horizon: str
    owner: PersonOut | None
    hours_per_week: Decimal


# Read from selectors.focus_for (a Focus and its OwnerLoads).
class FocusPersonOut(Schema):
    membership_id: int = Field(validation_alias="membership.pk")
    user: PersonOut
    level: str = Field(validation_alias="membership.level")
    committed_hours: Decimal = Field(validation_alias="committed")
    capacity_hours: Decimal = Field(validation_alias="capacity")
    over_capacity: bool = Field(validation_alias="over")
    partnership_ids: list[int]

    @staticmethod
    def resolve_partnership_ids(load: Any) -> list[int]:
        return [partnership.pk for partnership in load.partnerships]


class FocusOut(Schema):
    workspace_id: int = Field(validation_alias="workspace.pk")
    active_count: int
    active_partnership_limit: int = Field(validation_alias="limit")
    over_limit: bool
    strategic: list[FocusPartnershipOut]
    tactical: list[FocusPartnershipOut]
    people: list[FocusPersonOut] = Field(validation_alias="owners")
    warnings: list[str]
