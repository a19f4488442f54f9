from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import StringConstraints

from tandem.core.api.schemas import PersonOut, Version

DirectionValue = Literal["ours", "partner"]
ConfirmationValue = Literal["pending", "confirmed", "disputed"]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]


class KindOut(Schema):
    id: int
    name: str
    position: int
    archived: bool
    version: int


class KindIn(Schema):
    name: str


class KindPatch(Schema):
    version: Version
    name: str | None = None
    archived: bool | None = None
    move: Literal["up", "down"] | None = Field(None, description="Swap with the kind above/below.")


class LedgerEntryOut(Schema):
    id: int
    kind_id: int = Field(description="One of the workspace's ledger kinds (see .../ledger/kinds).")
    kind_name: str = Field(description="The kind's name, as the workspace calls it.")
    direction: DirectionValue = Field(
        description="`ours`: given by the workspace; `partner`: given by the partner."
    )
    occurred_on: date
    title: str
    amount: Decimal | None
    currency: str
    estimated: bool
    notes: str
    owner: PersonOut | None
    opportunity_id: int | None
    logged_by_side: DirectionValue = Field(description="The side that logged it.")
    confirmation: ConfirmationValue
    confirmation_note: str
    confirmed_by: PersonOut | None
    confirmed_at: datetime | None
    created_by: PersonOut | None
    visibility: str
    version: int

    @staticmethod
    def resolve_kind_name(entry: Any) -> str:
        return str(entry.kind.name)


class EntryAnswerIn(Schema):
    version: Version
    note: Note = Field("", description="Required to dispute: what is wrong.")


class AmountsOut(Schema):
    currency: str
    gave: Decimal
    received: Decimal


class FlowOut(Schema):
    label: str
    gave_count: int
    received_count: int
    amounts: list[AmountsOut]


class BalanceOut(Schema):
    side: DirectionValue = Field(description='Whose "gave" the figures are: the caller\'s side.')
    total: FlowOut
    by_kind: list[FlowOut]
    by_quarter: list[FlowOut]
    pending: int
    confirmed: int
    disputed: int


class PortfolioRowOut(Schema):
    partnership_id: int
    name: str
    leaning: Literal["gives", "gets", "even", "mixed"] = Field(
        description="`gives`: the partner gives more than it gets; `gets`: the reverse."
    )
    partner_count: int
    our_count: int
    amounts: list[AmountsOut] = Field(
        description="Per currency: `gave` what we gave, `received` what the partner gave us."
    )
