"""The joint quarterly plan over HTTP: read a quarter's plan (content, status, each side's
signature and the changes since), sign it as read, and its signatures."""

from typing import Any

from ninja import Router, Status

from tandem.core.api.items import operation
from tandem.core.api.schemas import Problem
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.plans import schemas, selectors, services
from tandem.plans.models import PlanSignature
from tandem.plans.views import parse_quarter

router = Router(tags=["Quarterly plans"])
ONE = "/partnerships/{partnership_id}/plans/{plan_quarter}"


def _quarter(plan_quarter: str) -> tuple[int, int]:
    found = parse_quarter(plan_quarter)
    assert found is not None  # the path's pattern holds it
    return found


@operation(router, "get", ONE, level="partnership", response=schemas.PlanOut)
def plan_get(request: TandemRequest, partnership: Scope, plan_quarter: schemas.PlanQuarter) -> Any:
    """A quarter's plan: its content, whether both sides signed it, each side's latest
    signature and what changed since

    Read `content_hash` here and send it when signing."""
    state = selectors.plan_state(request.actor, partnership, *_quarter(plan_quarter))
    return {
        "quarter": state.key,
        "status": state.status,
        "content_hash": state.content_hash,
        "content": state.content,
        "sides": [
            {
                "side": side.side,
                "name": side.name.name if side.name else "",
                "signed_current": side.current,
                "latest": side.latest,
                "changes_since_signing": [
                    {
                        "section": item.section,
                        "kind": item.kind,
                        "title": item.title,
                        "changes": [
                            {"field": c.field, "before": c.before, "after": c.after}
                            for c in item.changes
                        ],
                    }
                    for item in side.changes.items
                ],
            }
            for side in state.sides.values()
        ],
    }


@operation(
    router,
    "post",
    f"{ONE}/sign",
    level="partnership",
    # 409: the plan changed since the content hash sent was read.
    response={201: schemas.PlanSignatureOut, 409: Problem},
)
def plan_sign(
    request: TandemRequest,
    partnership: Scope,
    plan_quarter: schemas.PlanQuarter,
    payload: schemas.PlanSignIn,
) -> Any:
    """Sign a quarter's plan for your side, as you read it

    Send the `content_hash` you read: if the plan changed since, nothing is signed (409,
    with the current hash). The same version signed again by your side is refused (400)."""
    year, quarter = _quarter(plan_quarter)
    signature = services.sign(
        actor=request.actor,
        partnership=partnership,
        year=year,
        quarter=quarter,
        content_hash=payload.content_hash,
    )
    return Status(201, signature)


@operation(
    router,
    "get",
    f"{ONE}/signatures",
    level="partnership",
    paginated=True,
    response=list[schemas.PlanSignatureOut],
)
def plan_signatures(
    request: TandemRequest, partnership: Scope, plan_quarter: schemas.PlanQuarter
) -> Any:
    """Every signature of a quarter's plan, newest first, with what each signed"""
    year, quarter = _quarter(plan_quarter)
    return (
        PlanSignature.objects.visible_to(request.actor)
        .filter(partnership_id=partnership.pk, year=year, quarter=quarter)
        .select_related("user")
        .order_by("-signed_at", "-id")
    )
