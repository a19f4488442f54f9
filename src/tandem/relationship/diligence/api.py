"""Due diligence over HTTP: the workspace's criteria, a partnership's assessments and the
decision. The same services as the pages; workspace members only."""

from typing import Any

from django.db import transaction
from django.http import Http404, HttpRequest
from ninja import Router, Status
from ninja.pagination import paginate

from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id
from tandem.core.api.scope import partnership_from, program_from
from tandem.core.scope import NOT_FOUND
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
MANAGE = {"x-access": "partnership_manage"}


def _criterion(actor: Any, workspace_id: int, criterion_id: int) -> Criterion:
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
def list_criteria(request: HttpRequest, workspace_id: Id) -> Any:
    actor, _ = program_from(request, workspace_id)
    return selectors.criteria_for(actor, workspace_id)


@router.post(
    "/workspaces/{workspace_id}/diligence/criteria",
    response={201: CriterionOut},
    openapi_extra=MEMBER,
    summary="Add a criterion (it goes last)",
)
def create_criterion(request: HttpRequest, workspace_id: Id, payload: CriterionIn) -> Any:
    actor, _ = program_from(request, workspace_id)
    criterion = services.criterion_create(actor=actor, workspace_id=workspace_id, **payload.dict())
    return Status(201, criterion)


@router.post(
    "/workspaces/{workspace_id}/diligence/criteria/defaults",
    response={201: list[CriterionOut]},
    openapi_extra=MEMBER,
    summary="Give the workspace the five default criteria (only if it has none)",
)
def default_criteria(request: HttpRequest, workspace_id: Id) -> Any:
    actor, _ = program_from(request, workspace_id)
    return Status(201, services.criteria_defaults(actor=actor, workspace_id=workspace_id))


@router.patch(
    "/workspaces/{workspace_id}/diligence/criteria/{criterion_id}",
    response=CriterionOut,
    openapi_extra=MEMBER,
    summary="Rename, reweight, move, retire or restore a criterion (send the version you read)",
)
def update_criterion(
    request: HttpRequest, workspace_id: Id, criterion_id: Id, payload: CriterionPatch
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


def _partnership(request: HttpRequest, partnership_id: int) -> tuple[Any, Any]:
    return partnership_from(request, partnership_id, level="manage")


def _assessment(actor: Any, partnership: Any, assessment_id: int) -> Assessment:
    try:
        assessment = selectors.assessments_for(actor, partnership).get(pk=assessment_id)
    except Assessment.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error
    assessment.partnership = partnership
    return assessment


@router.get(
    "/partnerships/{partnership_id}/diligence/assessments",
    response=list[AssessmentOut],
    openapi_extra=MANAGE,
    summary="A partnership's due diligence assessments, newest first",
)
@paginate(Pages)
def list_assessments(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = _partnership(request, partnership_id)
    return selectors.assessments_for(actor, partnership)


@router.post(
    "/partnerships/{partnership_id}/diligence/assessments",
    response={201: AssessmentOut},
    openapi_extra=MANAGE,
    summary="Start an assessment of the workspace's current criteria (one open at a time)",
)
def start_assessment(request: HttpRequest, partnership_id: Id) -> Any:
    actor, partnership = _partnership(request, partnership_id)
    assessment = services.assessment_start(actor=actor, partnership=partnership)
    return Status(201, _assessment(actor, partnership, assessment.pk))


@router.get(
    "/partnerships/{partnership_id}/diligence/assessments/{assessment_id}",
    response=AssessmentOut,
    openapi_extra=MANAGE,
    summary="Read an assessment with its scores and decision",
)
def get_assessment(request: HttpRequest, partnership_id: Id, assessment_id: Id) -> Any:
    actor, partnership = _partnership(request, partnership_id)
    return _assessment(actor, partnership, assessment_id)


@router.patch(
    "/partnerships/{partnership_id}/diligence/assessments/{assessment_id}",
    response=AssessmentOut,
    openapi_extra=MANAGE,
    summary="Score criteria 1–5 with evidence (send the version you read; open ones only)",
)
def score_assessment(
    request: HttpRequest, partnership_id: Id, assessment_id: Id, payload: AssessmentPatch
) -> Any:
    actor, partnership = _partnership(request, partnership_id)
    assessment = _assessment(actor, partnership, assessment_id)
    scores: dict[int, dict[str, Any]] = {}
    for item in payload.scores:
        scores[item.id] = item.dict(exclude={"id"}, exclude_unset=True)
        if scores[item.id].get("evidence", "") is None:
            scores[item.id]["evidence"] = ""
    services.assessment_score(assessment, actor=actor, version=payload.version, scores=scores)
    return _assessment(actor, partnership, assessment_id)


@router.post(
    "/partnerships/{partnership_id}/diligence/assessments/{assessment_id}/decision",
    response=AssessmentOut,
    openapi_extra=MANAGE,
    summary="Record go or no-go with a rationale (a go needs every criterion scored with evidence)",
)
def decide_assessment(
    request: HttpRequest, partnership_id: Id, assessment_id: Id, payload: DecisionIn
) -> Any:
    actor, partnership = _partnership(request, partnership_id)
    assessment = _assessment(actor, partnership, assessment_id)
    services.assessment_decide(
        assessment,
        actor=actor,
        version=payload.version,
        decision=payload.decision,
        rationale=payload.rationale,
    )
    return _assessment(actor, partnership, assessment_id)
