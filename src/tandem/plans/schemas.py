"""The joint quarterly plan over HTTP: names prefixed ``Plan`` (schema names are unique
across the API)."""

from datetime import datetime
from typing import Annotated, Any, Literal

from ninja import Schema
from pydantic import Field, StringConstraints

from tandem.core.api.schemas import PersonOut

PlanQuarter = Annotated[
    str,
    StringConstraints(pattern=r"^20[0-9]{2}-Q[1-4]$"),
    Field(description="The plan's quarter, written `2026-Q4`.", examples=["2026-Q4"]),
]
ContentHash = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=64),
    Field(
        description="The `content_hash` of the plan as you read it (SHA-256, hex): any"
        " other value is a plan changed since (409)."
    ),
]


class PlanRockOut(Schema):
    id: int
    title: str
    owner: str = Field(description="The owner's name as signed; empty for none.")
    due_on: str
    goal: int | None = Field(description="The id of the 1-year goal it serves, if shared.")


class PlanCommitmentOut(Schema):
    id: int
    side: Literal["ours", "partner"]
    description: str
    target: str
    period: str
    owner: str


class PlanGoalOut(Schema):
    id: int
    title: str
    target: str
    due_on: str


class PlanContentOut(Schema):
    quarter: str
    rocks: list[PlanRockOut]
    commitments: list[PlanCommitmentOut]
    goals: list[PlanGoalOut]


class PlanSignatureOut(Schema):
    id: int
    quarter: str
    side: Literal["ours", "partner"]
    signer: PersonOut | None = Field(description="None once the account is gone.")
    signer_name: str
    signed_at: datetime
    content_hash: str
    content: PlanContentOut = Field(description="What was signed, word for word.")

    @staticmethod
    def resolve_quarter(obj: Any) -> str:
        return f"{obj.year}-Q{obj.quarter}"

    @staticmethod
    def resolve_signer(obj: Any) -> Any:
        return obj.user


class PlanFieldChangeOut(Schema):
    field: str
    before: str
    after: str


class PlanChangeOut(Schema):
    section: Literal["rocks", "commitments", "goals"]
    kind: Literal["added", "removed", "changed"]
    title: str
    changes: list[PlanFieldChangeOut]


class PlanSideOut(Schema):
    side: Literal["ours", "partner"]
    name: str
    signed_current: bool = Field(description="Its latest signature is of the current version.")
    latest: PlanSignatureOut | None
    changes_since_signing: list[PlanChangeOut] = Field(
        description="From the version this side last signed to the current one."
    )


class PlanOut(Schema):
    quarter: str
    status: Literal["signed", "to_sign_again", "waiting", "not_signed"]
    content_hash: str
    content: PlanContentOut
    sides: list[PlanSideOut]


class PlanSignIn(Schema):
    content_hash: ContentHash
