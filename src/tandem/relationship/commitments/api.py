"""Roles and expectations over HTTP: the same services as the pages."""

from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.access import Actor
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import partnership_from
from tandem.core.scope import NOT_FOUND, item_for
from tandem.relationship.commitments import selectors, services
from tandem.relationship.commitments.models import Commitment, Side
from tandem.relationship.commitments.schemas import (
    CommitmentIn,
    CommitmentOut,
    CommitmentPatch,
    ReviewIn,
    ReviewOut,
    TrustOut,
)

router = Router(tags=["Roles and expectations"])
ACCESS = {"x-access": "partnership"}
BASE = "/partnerships/{partnership_id}/commitments"


def _commitment(
    request: HttpRequest, partnership_id: int, commitment_id: int
) -> tuple[Actor, Commitment]:
    actor, partnership = partnership_from(request, partnership_id)
    return actor, item_for(
        Commitment.objects.select_related("owner"), actor, partnership, commitment_id
    )


@router.get(
    BASE,
    response=list[CommitmentOut],
    openapi_extra=ACCESS,
    summary="List what each side promised (side=ours or partner)",
)
@paginate(Pages)
def list_commitments(request: HttpRequest, partnership_id: Id, side: Side | None = None) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    commitments = selectors.commitments_for(actor, partnership)
    return commitments.filter(side=side) if side else commitments


@router.get(
    f"{BASE}/trust",
    response=TrustOut,
    openapi_extra=ACCESS,
    summary="The trust record: of the periods reviewed, how many each side kept",
)
def trust_record(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    record = selectors.trust_record(actor, partnership)
    return {
        side: {"kept": row.kept, "reviewed": row.reviewed, "percent": row.percent}
        for side, row in record.items()
    }


@router.post(
    BASE,
    response={201: CommitmentOut},
    openapi_extra=ACCESS,
    summary="Add a commitment (partner-side people add their own side's)",
)
def create_commitment(request: HttpRequest, partnership_id: Id, payload: CommitmentIn) -> Any:
    actor, partnership = partnership_from(request, partnership_id)
    commitment = services.commitment_create(
        actor=actor, partnership=partnership, **person_from(payload.dict())
    )
    return Status(201, commitment)


@router.get(
    f"{BASE}/{{commitment_id}}",
    response=CommitmentOut,
    openapi_extra=ACCESS,
    summary="One commitment",
)
def get_commitment(request: HttpRequest, partnership_id: Id, commitment_id: Id) -> Any:
    return _commitment(request, partnership_id, commitment_id)[1]


@router.patch(
    f"{BASE}/{{commitment_id}}",
    response=CommitmentOut,
    openapi_extra=ACCESS,
    summary="Change a commitment (send the version you read)",
)
def update_commitment(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, payload: CommitmentPatch
) -> Any:
    actor, commitment = _commitment(request, partnership_id, commitment_id)
    values = person_from(payload.dict(exclude={"version"}, exclude_unset=True))
    required = ("description", "target", "side", "kind", "period", "visibility")
    refuse_nulls(values, required)
    return services.commitment_update(commitment, actor=actor, version=payload.version, **values)


@router.delete(
    f"{BASE}/{{commitment_id}}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Delete a commitment and its reviews",
)
def delete_commitment(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, version: Version
) -> Any:
    actor, commitment = _commitment(request, partnership_id, commitment_id)
    services.commitment_delete(commitment, actor=actor, version=version)
    return Status(204, None)


@router.get(
    f"{BASE}/{{commitment_id}}/reviews",
    response=list[ReviewOut],
    openapi_extra=ACCESS,
    summary="A commitment's reviews, latest period first",
)
@paginate(Pages)
def list_reviews(request: HttpRequest, partnership_id: Id, commitment_id: Id) -> Any:
    actor, commitment = _commitment(request, partnership_id, commitment_id)
    return selectors.reviews_for(actor, commitment)


@router.post(
    f"{BASE}/{{commitment_id}}/reviews",
    response={201: ReviewOut},
    openapi_extra=ACCESS,
    summary="Mark a commitment kept or missed for a period (to replace a verdict, send `seen`)",
)
def review_commitment(
    request: HttpRequest, partnership_id: Id, commitment_id: Id, payload: ReviewIn
) -> Any:
    actor, commitment = _commitment(request, partnership_id, commitment_id)
    review = services.commitment_review(commitment, actor=actor, **payload.dict())
    return Status(201, review)


@router.delete(
    f"{BASE}/{{commitment_id}}/reviews/{{review_id}}",
    response={204: None},
    openapi_extra=ACCESS,
    summary="Clear one period's verdict (the period is unreviewed again)",
)
def clear_review(
    request: HttpRequest,
    partnership_id: Id,
    commitment_id: Id,
    review_id: Id,
    seen: Literal["kept", "missed"],
) -> Any:
    """``seen``: the verdict you mean to clear; one changed since is kept (400)."""
    actor, commitment = _commitment(request, partnership_id, commitment_id)
    review = commitment.reviews.filter(pk=review_id).first()
    if review is None:
        raise Http404(NOT_FOUND)
    review.commitment = commitment
    services.review_delete(review, actor=actor, seen=seen)
    return Status(204, None)
