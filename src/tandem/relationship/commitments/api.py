"""Roles and expectations over HTTP: the item type's operations, the trust record, and
each commitment's reviews (kept or missed per period)."""

from typing import Any, Literal

from django.http import Http404
from ninja import Router, Status

from tandem.core.api.items import item_api, operation
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import NOT_FOUND, Scope
from tandem.relationship.commitments import schemas, selectors, services
from tandem.relationship.commitments.models import Commitment
from tandem.relationship.commitments.services import COMMITMENTS

router = Router(tags=["Roles and expectations"])
BASE = "/partnerships/{partnership_id}/commitments"
ONE = f"{BASE}/{{commitment_id}}"
ONE_COMMITMENT: dict[str, Any] = {"level": "partnership", "item": COMMITMENTS}


@operation(router, "get", f"{BASE}/trust", level="partnership", response=schemas.TrustOut)
def trust_record(request: TandemRequest, partnership: Scope) -> Any:
    """The trust record: of the periods reviewed, how many each side kept"""
    return selectors.trust_record(request.actor, partnership)


item_api(
    COMMITMENTS,
    router,
    BASE,
    out_fields={"side": str, "kind": str, "period": str, "target_number": float | None},
    fields={"target_number": (schemas.Number | None, None)},
    filters=("side",),
    order=("side", "kind", "id"),
    related=("owner",),
    nullable=("owner", "target_number"),
    summaries={
        "list": "List what each side promised (side=ours or partner)",
        "create": "Add a commitment (partner-side people add their own side's)",
        "delete": "Delete a commitment and its reviews",
    },
)


@operation(
    router,
    "get",
    f"{ONE}/reviews",
    **ONE_COMMITMENT,
    paginated=True,
    response=list[schemas.ReviewOut],
)
def list_reviews(request: TandemRequest, partnership: Scope, item: Commitment) -> Any:
    """A commitment's reviews, latest period first"""
    return selectors.reviews_for(request.actor, item)


@operation(router, "post", f"{ONE}/reviews", **ONE_COMMITMENT, response={201: schemas.ReviewOut})
def review_commitment(
    request: TandemRequest, partnership: Scope, item: Commitment, payload: schemas.ReviewIn
) -> Any:
    """Mark a commitment kept or missed for a period (to replace a verdict, send `seen`)"""
    return Status(201, services.commitment_review(item, actor=request.actor, **payload.dict()))


@operation(
    router,
    "delete",
    f"{ONE}/reviews/{{review_id}}",
    **ONE_COMMITMENT,
    response={204: None},
    summary="Clear one period's verdict (the period is unreviewed again)",
)
def clear_review(
    request: TandemRequest,
    partnership: Scope,
    item: Commitment,
    review_id: Id,
    seen: Literal["kept", "missed"],
) -> Any:
    """``seen``: the verdict you mean to clear; one changed since is kept (400)."""
    review = item.reviews.filter(pk=review_id).first()
    if review is None:
        raise Http404(NOT_FOUND)
    review.commitment = item
    services.review_delete(review, actor=request.actor, seen=seen)
    return Status(204, None)
