"""Due diligence over HTTP: the workspace's criteria, a partnership's assessments and the
decision. The same services as the pages; workspace members only (the criteria live at
``/workspaces/{id}``, not in a scope: their access is ``member``)."""

from typing import Any

from django.db import transaction
from ninja import Router, Status

from tandem.core.access import Actor
from tandem.core.api.items import MEMBER, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import Program, Scope, item_for
from tandem.relationship.diligence import selectors, services
from tandem.relationship.diligence.models import Assessment, Criterion
from tandem.relationship.diligence.schemas import (
    AssessmentOut,
    AssessmentPatch,
    CriterionIn,
    CriterionOut,
    CriterionPatch,
    DecisionIn,
)

router = Router(tags=["Due diligence"])
CRITERIA = "/workspaces/{workspace_id}/diligence/criteria"


@operation(router, "get", CRITERIA, level=MEMBER, paginated=True, response=list[CriterionOut])
def list_criteria(request: TandemRequest, program: Program) -> Any:
    """The workspace's due diligence criteria (current in order, then retired)"""
    return selectors.criteria_for(request.actor, program.workspace_id)


@operation(router, "post", CRITERIA, level=MEMBER, response={201: CriterionOut})
def create_criterion(request: TandemRequest, program: Program, payload: CriterionIn) -> Any:
    """Add a criterion (it goes last)"""
    return Status(
        201,
        services.criterion_create(
            actor=request.actor, workspace_id=program.workspace_id, **payload.dict()
        ),
    )


@operation(router, "post", f"{CRITERIA}/defaults", level=MEMBER, response={201: list[CriterionOut]})
def default_criteria(request: TandemRequest, program: Program) -> Any:
    """Give the workspace the five default criteria (only if it has none)"""
    made = services.criteria_defaults(actor=request.actor, workspace_id=program.workspace_id)
    return Status(201, made)


@operation(
    router,
    "patch",
    f"{CRITERIA}/{{criterion_id}}",
    level=MEMBER,
    item="criterion_id",
    response=CriterionOut,
)
def update_criterion(
    request: TandemRequest, program: Program, item_id: Id, payload: CriterionPatch
) -> Any:
    """Rename, reweight, move, retire or restore a criterion (send the version you read)"""
    actor = request.actor
    criterion = selectors.criterion_for(actor, program, item_id)
    values = payload.dict(exclude={"version", "retired", "move"}, exclude_unset=True)
    refuse_nulls(values)
    version = payload.version
    with transaction.atomic():
        if values:
            services.criterion_update(criterion, actor=actor, version=version, **values)
            version = criterion.version
        if payload.move is not None:
            services.criterion_move(criterion, actor=actor, version=version, direction=payload.move)
            version = criterion.version
        if payload.retired is not None:
            services.criterion_retire(
                criterion, actor=actor, version=version, retired=payload.retired
            )
    return Criterion.objects.get(pk=criterion.pk)


# --- Assessments ----------------------------------------------------------------------------

ASSESSMENTS = "/partnerships/{partnership_id}/diligence/assessments"
ONE = f"{ASSESSMENTS}/{{assessment_id}}"


def _assessment(actor: Actor, partnership: Scope, assessment_id: int) -> Assessment:
    return item_for(
        selectors.assessments_for(actor, partnership), actor, partnership, assessment_id
    )


@operation(
    router,
    "get",
    ASSESSMENTS,
    level="partnership_manage",
    paginated=True,
    response=list[AssessmentOut],
)
def list_assessments(request: TandemRequest, partnership: Scope) -> Any:
    """A partnership's due diligence assessments, newest first"""
    return selectors.assessments_for(request.actor, partnership)


@operation(router, "post", ASSESSMENTS, level="partnership_manage", response={201: AssessmentOut})
def start_assessment(request: TandemRequest, partnership: Scope) -> Any:
    """Start an assessment of the workspace's current criteria (one open at a time)"""
    assessment = services.assessment_start(actor=request.actor, partnership=partnership)
    return Status(201, _assessment(request.actor, partnership, assessment.pk))


@operation(
    router, "get", ONE, level="partnership_manage", item="assessment_id", response=AssessmentOut
)
def get_assessment(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """Read an assessment with its scores and decision"""
    return _assessment(request.actor, partnership, item_id)


@operation(
    router, "patch", ONE, level="partnership_manage", item="assessment_id", response=AssessmentOut
)
def score_assessment(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: AssessmentPatch
) -> Any:
    """Score criteria 1–5 with evidence (send the version you read; open ones only)"""
    assessment = _assessment(request.actor, partnership, item_id)
    # The service reads a null evidence as none.
    scores = {item.id: item.dict(exclude={"id"}, exclude_unset=True) for item in payload.scores}
    services.assessment_score(
        assessment, actor=request.actor, version=payload.version, scores=scores
    )
    return _assessment(request.actor, partnership, item_id)


@operation(
    router,
    "post",
    f"{ONE}/decision",
    level="partnership_manage",
    item="assessment_id",
    response=AssessmentOut,
)
def decide_assessment(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: DecisionIn
) -> Any:
    """Record go or no-go with a rationale (a go needs every criterion scored with evidence)"""
    assessment = _assessment(request.actor, partnership, item_id)
    services.assessment_decide(
        assessment,
        actor=request.actor,
        version=payload.version,
        decision=payload.decision,
        rationale=payload.rationale,
    )
    return _assessment(request.actor, partnership, item_id)
