"""Roles and expectations over HTTP: the item type's operations, the trust record, and
each commitment's reviews (kept or missed per period)."""

from typing import Any, Literal

from django.http import Http404
from ninja import Router, Schema, Status

from tandem.core.api.items import item_api, operation
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import NOT_FOUND, Scope, item_for
from tandem.relationship.commitments import selectors, services
from tandem.relationship.commitments.models import Commitment
from tandem.relationship.commitments.schemas import (
    CommitmentOut,
    Number,
    ReviewIn,
    ReviewOut,
    SideValue,
    TrustOut,
)
from tandem.relationship.commitments.services import COMMITMENTS

router = Router(tags=["Roles and expectations"])
BASE = "/partnerships/{partnership_id}/commitments"
ONE = f"{BASE}/{{commitment_id}}"


class Filters(Schema):
    side: SideValue | None = None


def _commitment(request: TandemRequest, partnership: Scope, commitment_id: int) -> Commitment:
    queryset = Commitment.objects.select_related("owner")
    return item_for(queryset, request.actor, partnership, commitment_id)


@operation(
    router,
    "get",
    f"{BASE}/trust",
    level="partnership",
    response=TrustOut,
    summary="The trust record: of the periods reviewed, how many each side kept",
)
def trust_record(request: TandemRequest, partnership: Scope) -> Any:
    record = selectors.trust_record(request.actor, partnership)
    return {
        side: {"kept": row.kept, "reviewed": row.reviewed, "percent": row.percent}
        for side, row in record.items()
    }


item_api(
    COMMITMENTS,
    router,
    BASE,
    out=CommitmentOut,
    fields={"target_number": (Number | None, None)},
    filters=Filters,
    order=("side", "kind", "id"),
    related=("owner",),
    nullable=("owner", "target_number"),
    summaries={
        "list": "List what each side promised (side=ours or partner)",
        "create": "Add a commitment (partner-side people add their own side's)",
        "get": "One commitment",
        "patch": "Change a commitment (send the version you read)",
        "delete": "Delete a commitment and its reviews",
    },
)


@operation(
    router,
    "get",
    f"{ONE}/reviews",
    level="partnership",
    item="commitment_id",
    paginated=True,
    response=list[ReviewOut],
    summary="A commitment's reviews, latest period first",
)
def list_reviews(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    commitment = _commitment(request, partnership, item_id)
    return selectors.reviews_for(request.actor, commitment)


@operation(
    router,
    "post",
    f"{ONE}/reviews",
    level="partnership",
    item="commitment_id",
    response={201: ReviewOut},
    summary="Mark a commitment kept or missed for a period (to replace a verdict, send `seen`)",
)
def review_commitment(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: ReviewIn
) -> Any:
    commitment = _commitment(request, partnership, item_id)
    review = services.commitment_review(commitment, actor=request.actor, **payload.dict())
    return Status(201, review)


@operation(
    router,
    "delete",
    f"{ONE}/reviews/{{review_id}}",
    level="partnership",
    item="commitment_id",
    response={204: None},
    summary="Clear one period's verdict (the period is unreviewed again)",
)
def clear_review(
    request: TandemRequest,
    partnership: Scope,
    item_id: Id,
    review_id: Id,
    seen: Literal["kept", "missed"],
) -> Any:
    """``seen``: the verdict you mean to clear; one changed since is kept (400)."""
    commitment = _commitment(request, partnership, item_id)
    review = commitment.reviews.filter(pk=review_id).first()
    if review is None:
        raise Http404(NOT_FOUND)
    review.commitment = commitment
    services.review_delete(review, actor=request.actor, seen=seen)
    return Status(204, None)
