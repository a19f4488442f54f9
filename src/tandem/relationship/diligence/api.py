"""Due diligence over HTTP: the workspace's criteria, a partnership's assessments and the
decision. The same services as the pages; workspace members only (the criteria live at
``/workspaces/{id}``, not in a scope: their access is ``member``)."""

from typing import Any

from django.db import transaction
from django.http import Http404
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.access import Actor
from tandem.core.api.items import operation
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id
from tandem.core.api.scope import program_from
from tandem.core.http import TandemRequest
from tandem.core.scope import NOT_FOUND, Scope
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
MEMBER = {"x-access": "member"}


def _criterion(actor: Actor, workspace_id: int, criterion_id: int) -> Criterion:
    try:
        return selectors.criteria_for(actor, workspace_id).get(pk=criterion_id)
    except Criterion.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error


@router.get(
    "/workspaces/{workspace_id}/diligence/criteria",
    response=list[CriterionOut],
    openapi_extra=MEMBER,
    summary="The workspace's due diligence criteria (current in order, then retired)",
)
@paginate(Pages)
def list_criteria(request: TandemRequest, workspace_id: Id) -> Any:
    actor, _ = program_from(request, workspace_id)
    return selectors.criteria_for(actor, workspace_id)


@router.post(
    "/workspaces/{workspace_id}/diligence/criteria",
    response={201: CriterionOut},
    openapi_extra=MEMBER,
    summary="Add a criterion (it goes last)",
)
def create_criterion(request: TandemRequest, workspace_id: Id, payload: CriterionIn) -> Any:
    actor, _ = program_from(request, workspace_id)
    criterion = services.criterion_create(actor=actor, workspace_id=workspace_id, **payload.dict())
    return Status(201, criterion)


@router.post(
    "/workspaces/{workspace_id}/diligence/criteria/defaults",
    response={201: list[CriterionOut]},
    openapi_extra=MEMBER,
    summary="Give the workspace the five default criteria (only if it has none)",
)
def default_criteria(request: TandemRequest, workspace_id: Id) -> Any:
    actor, _ = program_from(request, workspace_id)
    return Status(201, services.criteria_defaults(actor=actor, workspace_id=workspace_id))


@router.patch(
    "/workspaces/{workspace_id}/diligence/criteria/{criterion_id}",
    response=CriterionOut,
    openapi_extra=MEMBER,
    summary="Rename, reweight, move, retire or restore a criterion (send the version you read)",
)
def update_criterion(
    request: TandemRequest, workspace_id: Id, criterion_id: Id, payload: CriterionPatch
) -> Any:
    actor, _ = program_from(request, workspace_id)
    criterion = _criterion(actor, workspace_id, criterion_id)
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
            version = criterion.version
    return Criterion.objects.get(pk=criterion.pk)


# --- Assessments ----------------------------------------------------------------------------

ASSESSMENTS = "/partnerships/{partnership_id}/diligence/assessments"
ONE = f"{ASSESSMENTS}/{{assessment_id}}"


def _assessment(actor: Actor, partnership: Scope, assessment_id: int) -> Assessment:
    try:
        assessment = selectors.assessments_for(actor, partnership).get(pk=assessment_id)
    except Assessment.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error
    assessment.partnership = partnership  # type: ignore[assignment]
    return assessment


@operation(
    router,
    "get",
    ASSESSMENTS,
    level="partnership_manage",
    paginated=True,
    response=list[AssessmentOut],
    summary="A partnership's due diligence assessments, newest first",
)
def list_assessments(request: TandemRequest, partnership: Scope) -> Any:
    return selectors.assessments_for(request.actor, partnership)


@operation(
    router,
    "post",
    ASSESSMENTS,
    level="partnership_manage",
    response={201: AssessmentOut},
    summary="Start an assessment of the workspace's current criteria (one open at a time)",
)
def start_assessment(request: TandemRequest, partnership: Scope) -> Any:
    assessment = services.assessment_start(actor=request.actor, partnership=partnership)
    return Status(201, _assessment(request.actor, partnership, assessment.pk))


@operation(
    router,
    "get",
    ONE,
    level="partnership_manage",
    item="assessment_id",
    response=AssessmentOut,
    summary="Read an assessment with its scores and decision",
)
def get_assessment(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    return _assessment(request.actor, partnership, item_id)


@operation(
    router,
    "patch",
    ONE,
    level="partnership_manage",
    item="assessment_id",
    response=AssessmentOut,
    summary="Score criteria 1–5 with evidence (send the version you read; open ones only)",
)
def score_assessment(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: AssessmentPatch
) -> Any:
    assessment = _assessment(request.actor, partnership, item_id)
    scores: dict[int, dict[str, Any]] = {}
    for item in payload.scores:
        scores[item.id] = item.dict(exclude={"id"}, exclude_unset=True)
        if scores[item.id].get("evidence", "") is None:
            scores[item.id]["evidence"] = ""
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
    summary="Record go or no-go with a rationale (a go needs every criterion scored with evidence)",
)
def decide_assessment(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: DecisionIn
) -> Any:
    assessment = _assessment(request.actor, partnership, item_id)
    services.assessment_decide(
        assessment,
        actor=request.actor,
        version=payload.version,
        decision=payload.decision,
        rationale=payload.rationale,
    )
    return _assessment(request.actor, partnership, item_id)
