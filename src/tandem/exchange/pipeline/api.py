"""The pipeline over HTTP: the workspace's stages and stall rule, opportunities (the item
type's operations), stage moves, registration by the partner's people and the decision. The
same services as the pages."""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status

from tandem.core.api.items import MEMBER, item_api, operation
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id
from tandem.core.errors import InvalidInput
from tandem.core.exports import field_column, item_columns
from tandem.core.http import TandemRequest
from tandem.core.scope import Program, Scope
from tandem.exchange.pipeline import selectors, services
from tandem.exchange.pipeline.models import Opportunity, Stage
from tandem.exchange.pipeline.schemas import (
    CurrencyText,
    DealMoveIn,
    DealMoveOut,
    MatchOut,
    OpportunityFilters,
    OpportunityOut,
    RegistrationDecisionIn,
    SettingsIn,
    SettingsOut,
    StageIn,
    StageOut,
    StagePatch,
)
from tandem.exchange.pipeline.services import OPPORTUNITIES

router = Router(tags=["Pipeline"])
STAGES = "/workspaces/{workspace_id}/pipeline/stages"
SETTINGS = "/workspaces/{workspace_id}/pipeline/settings"
BASE = "/partnerships/{partnership_id}/opportunities"
PEOPLE = ("owner", "created_by", "decided_by")
ONE: dict[str, Any] = {"level": "partnership", "item": OPPORTUNITIES, "related": PEOPLE}


@operation(router, "get", STAGES, level=MEMBER, response=list[StageOut])
def list_stages(request: TandemRequest, program: Program) -> Any:
    """The workspace's pipeline stages in order (the defaults on first use; archived too)"""
    return services.stages_of(program.workspace_id)


@operation(router, "post", STAGES, level=MEMBER, response={201: StageOut})
def create_stage(request: TandemRequest, program: Program, payload: StageIn) -> Any:
    """Add a stage (it goes last)"""
    return Status(
        201,
        services.stage_create(
            actor=request.actor, workspace_id=program.workspace_id, **payload.dict()
        ),
    )


@operation(
    router, "patch", f"{STAGES}/{{stage_id}}", level=MEMBER, item="stage_id", response=StageOut
)
def update_stage(request: TandemRequest, program: Program, item_id: Id, payload: StagePatch) -> Any:
    """Rename, reweight, set the outcome, archive, restore or move a stage (send the version)"""
    stage = get_object_or_404(Stage, pk=item_id, workspace_id=program.workspace_id)
    values = payload.dict(exclude={"version", "move"}, exclude_unset=True)
    refuse_nulls(values)
    version = payload.version
    with transaction.atomic():
        if values:
            services.stage_update(stage, actor=request.actor, version=version, **values)
            version = stage.version
        if payload.move is not None:
            services.stage_move(stage, actor=request.actor, version=version, direction=payload.move)
    return stage


@operation(router, "get", SETTINGS, level=MEMBER, response=SettingsOut)
def pipeline_settings(request: TandemRequest, program: Program) -> Any:
    """The stall rule: days without a stage change that flag an open deal"""
    return {"stall_days": services.stall_days_of(program.workspace_id)}


@operation(router, "put", SETTINGS, level=MEMBER, response=SettingsOut)
def set_pipeline_settings(request: TandemRequest, program: Program, payload: SettingsIn) -> Any:
    """Set the stall rule (1–365 days)"""
    found = services.set_stall_days(
        actor=request.actor, workspace_id=program.workspace_id, stall_days=payload.stall_days
    )
    return {"stall_days": found.stall_days}


_, OpportunityIn, _ = item_api(
    OPPORTUNITIES,
    router,
    BASE,
    out=OpportunityOut,
    fields={"currency": (CurrencyText, ""), "amount": (Decimal | str | None, None)},
    related=PEOPLE,
    nullable=("owner", "amount", "expected_close"),
    without=("create", "list"),
    # Open, won and lost deals, each with its stage (as the page's export).
    export_columns=item_columns(Opportunity, extra=[field_column(Opportunity, "stage")]),
    summaries={
        "get": "One deal, with its stage and registration",
        "patch": "Change a deal (not its stage: move it; send the version you read)",
    },
)


@operation(router, "get", BASE, level="partnership", paginated=True, response=list[OpportunityOut])
def list_opportunities(
    request: TandemRequest, partnership: Scope, filters: Query[OpportunityFilters]
) -> Any:
    """List the partnership's deals by stage (filter by stage, registration, attribution)"""
    given = {key: value for key, value in filters.dict().items() if value is not None}
    return (
        selectors.opportunities_for(request.actor, partnership)
        .filter(**given)
        .order_by("stage__position", "-stage_entered_at", "-id")
    )


class OpportunityCreateIn(OpportunityIn):  # type: ignore[misc,valid-type]
    stage_id: Id | None = None


@operation(router, "post", BASE, level="partnership", response={201: OpportunityOut})
def create_opportunity(
    request: TandemRequest, partnership: Scope, payload: OpportunityCreateIn
) -> Any:
    """Add a deal (members), or register one (the partner's people: it awaits a decision)

    A member may name the open stage it starts in (`stage_id`; else the first). A partner-side
    person's deal is a registration: pending, in the first open stage, shared; when the
    workspace already has the account, `already_registered` is true and nothing else is said."""
    values = payload.dict()
    stage_id = values.pop("stage_id", None)
    person_from(values)
    if stage_id is not None:
        stage = Stage.objects.filter(pk=stage_id, workspace_id=partnership.workspace_id).first()
        if stage is None:
            raise InvalidInput.on("stage_id", "Choose a stage of this workspace's pipeline.")
        values["stage"] = stage
    actor = request.actor
    if actor.is_member(partnership.workspace_id):
        item = services.opportunity_create(actor=actor, partnership=partnership, **values)
    else:
        item = services.register_deal(actor=actor, partnership=partnership, **values)
    return Status(201, item)


@operation(router, "post", f"{BASE}/{{opportunity_id}}/move", **ONE, response=OpportunityOut)
def move_opportunity(
    request: TandemRequest, partnership: Scope, item: Opportunity, payload: DealMoveIn
) -> Any:
    """Move a deal to another stage (a lost stage needs `lost_reason`; a closed deal stays)"""
    stage = Stage.objects.filter(pk=payload.stage_id, workspace_id=item.workspace_id).first()
    if stage is None:
        raise InvalidInput.on("stage_id", "Choose a stage of this workspace's pipeline.")
    return services.move_stage(
        item,
        actor=request.actor,
        version=payload.version,
        stage=stage,
        lost_reason=payload.lost_reason,
    )


@operation(
    router,
    "post",
    f"{BASE}/{{opportunity_id}}/decide",
    level="partnership_manage",
    item=OPPORTUNITIES,
    related=PEOPLE,
    response=OpportunityOut,
)
def decide_opportunity(
    request: TandemRequest, partnership: Scope, item: Opportunity, payload: RegistrationDecisionIn
) -> Any:
    """Accept or reject a registration (a rejection needs the reason; both sides are mailed)"""
    return services.decide_registration(
        item,
        actor=request.actor,
        version=payload.version,
        accept=payload.accept,
        reason=payload.reason,
    )


@operation(router, "get", f"{BASE}/{{opportunity_id}}/history", **ONE, response=list[DealMoveOut])
def opportunity_history(request: TandemRequest, partnership: Scope, item: Opportunity) -> Any:
    """The deal's stage history, oldest first, with dates"""
    return selectors.history(item)


@operation(
    router,
    "get",
    f"{BASE}/{{opportunity_id}}/matches",
    level="partnership_manage",
    item=OPPORTUNITIES,
    response=list[MatchOut],
)
def opportunity_matches(request: TandemRequest, partnership: Scope, item: Opportunity) -> Any:
    """The workspace's other deals for the same account (workspace members only)"""
    return selectors.matches(request.actor, [item]).get(item.pk, [])
