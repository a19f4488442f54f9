"""The partnership's Pipeline page (deals by stage, amounts per currency, stalled deals
flagged), a deal's page with its stage history, stage moves and registration decisions; and
the workspace's pipeline stages and stall rule. Adding, editing and deleting follow from the
declaration (``services.OPPORTUNITIES``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import Scope
from tandem.core.views import one_click, page_context
from tandem.exchange.pipeline import selectors, services
from tandem.exchange.pipeline.forms import (
    DecisionForm,
    MoveForm,
    OpportunityForm,
    StageForm,
    StallForm,
)
from tandem.exchange.pipeline.models import Opportunity, Outcome, Registration, Stage
from tandem.exchange.pipeline.services import OPPORTUNITIES

TAB = ("pipeline", "")
PER_PAGE = 50


def context(request: TandemRequest, partnership: Scope, form: OpportunityForm) -> dict[str, Any]:
    actor = request.actor
    now = timezone.now()
    figures = selectors.board(actor, partnership, now=now)
    since = now - timedelta(days=figures.stall_days)
    rows = selectors.opportunities_for(actor, partnership, since=since)
    chosen = request.GET.get("stage", "")
    shown = "live"
    if chosen == "pending":
        rows, shown = rows.filter(registration=Registration.PENDING), "pending"
    elif chosen == "rejected":
        rows, shown = rows.filter(registration=Registration.REJECTED), "rejected"
    elif chosen == "stalled":
        rows, shown = rows.filter(stalled=True), "stalled"  # type: ignore[misc]
    else:
        rows = rows.exclude(registration__in=[Registration.PENDING, Registration.REJECTED])
        if parse_id(chosen):
            rows, shown = rows.filter(stage_id=parse_id(chosen)), chosen
    page = Paginator(rows.order_by("stage__position", "-stage_entered_at", "-id"), PER_PAGE)
    page_obj = page.get_page(request.GET.get("page"))
    member = actor.is_member(partnership.workspace_id)
    return page_context(
        request,
        partnership,
        TAB,
        board=figures,
        page=page_obj,
        shown=shown,
        query=f"stage={chosen}&" if chosen else "",
        form=form,
        member=member,
        pending=selectors.pending_registrations(actor, partnership) if member else [],
        taken=services.TAKEN,
        now=now,
    )


@access("partnership")
def opportunity_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    form = OpportunityForm.for_request(request, partnership)
    return render(request, "pipeline/opportunity_list.html", context(request, partnership, form))


def created(item: Opportunity) -> str:
    name = item.account_name.rstrip(".")  # "Litware Inc." ends its own sentence
    if item.registration == Registration.PENDING:
        told = f" {services.TAKEN}" if item.already_registered else ""
        return f"Deal registered: {name}. A member will accept or reject it.{told}"
    return f"Deal added: {name}."


def back(partnership: Scope, item: Opportunity) -> str:
    return reverse("opportunity_detail", args=[partnership.pk, item.pk])


def _deal(request: TandemRequest, partnership: Scope, opportunity_id: str) -> Opportunity:
    item = OPPORTUNITIES.one(
        request.actor, partnership, opportunity_id, related=("owner", "created_by", "decided_by")
    )
    return item


def _detail(
    request: TandemRequest,
    partnership: Scope,
    item: Opportunity,
    *,
    move_form: MoveForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.actor
    member = actor.is_member(partnership.workspace_id)
    open_ = not partnership.is_archived
    stall_days = services.stall_days_of(partnership.workspace_id)
    stalled = (
        item.stage.outcome == Outcome.OPEN
        and item.registration in (Registration.NONE, Registration.ACCEPTED)
        and item.stage_entered_at < timezone.now() - timedelta(days=stall_days)
    )
    return render(
        request,
        "pipeline/opportunity_detail.html",
        page_context(
            request,
            partnership,
            TAB,
            deal=item,
            member=member,
            history=selectors.history(item),
            matched=selectors.matches(actor, [item]).get(item.pk, []),
            taken=services.TAKEN,
            stalled=stalled,
            stall_days=stall_days,
            can_move=services.can_move(actor, item) and open_,
            can_edit=actor.can_change(item) and services.may_change(actor, item) and open_,
            can_decide=member and item.registration == Registration.PENDING and open_,
            move_form=move_form
            or MoveForm(
                initial={"version": item.version},
                workspace_id=partnership.workspace_id,
                current=item.stage_id,
            ),
            decision_form=decision_form or DecisionForm(initial={"version": item.version}),
        ),
        status=status,
    )


@access("partnership")
def opportunity_detail(
    request: TandemRequest, partnership: Scope, opportunity_id: str
) -> HttpResponse:
    return _detail(request, partnership, _deal(request, partnership, opportunity_id))


@access("partnership")
@require_POST
def opportunity_move(
    request: TandemRequest, partnership: Scope, opportunity_id: str
) -> HttpResponse:
    item = _deal(request, partnership, opportunity_id)
    form = MoveForm(request.POST, workspace_id=partnership.workspace_id, current=item.stage_id)
    if form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.move_stage(
                item,
                actor=request.actor,
                version=data.get("version"),
                stage=data["stage"],
                lost_reason=data.get("lost_reason", ""),
            ),
        )
        if done is not None:
            said = f"Moved to {item.stage.name}."
            if item.stage.outcome == Outcome.WON:
                said += " The value exchange records what it brought."
            messages.success(request, said)
            return redirect(back(partnership, item))
    if form.conflict is not None:
        item = _deal(request, partnership, opportunity_id)
    return _detail(request, partnership, item, move_form=form, status=409 if form.conflict else 400)


@access("partnership_manage")
@require_POST
def opportunity_decide(
    request: TandemRequest, partnership: Scope, opportunity_id: str
) -> HttpResponse:
    item = _deal(request, partnership, opportunity_id)
    form = DecisionForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.decide_registration(
                item,
                actor=request.actor,
                version=form.cleaned_data.get("version"),
                accept=accept,
                reason=form.cleaned_data.get("reason", ""),
            ),
        )
        if done is not None:
            said = "accepted" if accept else "rejected"
            messages.success(request, f"Registration {said}. Both sides are told by e-mail.")
            return redirect(back(partnership, item))
    if form.conflict is not None:
        item = _deal(request, partnership, opportunity_id)
    return _detail(
        request, partnership, item, decision_form=form, status=409 if form.conflict else 400
    )


def edit_context(request: TandemRequest, item: Opportunity) -> dict[str, Any]:
    return {"deal": item}


# The workspace's stages -------------------------------------------------------------


def _row_form(stage: Stage) -> StageForm:
    """A stage's own form (its fields prefixed, so each row's ids are unique)."""
    form = StageForm(
        initial={
            "version": stage.version,
            "name": stage.name,
            "probability": stage.probability,
            "outcome": stage.outcome,
        },
        prefix=f"s{stage.pk}",
    )
    return form


def _stages_page(
    request: TandemRequest,
    workspace: Workspace,
    *,
    form: StageForm | None = None,
    stall_form: StallForm | None = None,
    edited: tuple[int, StageForm] | None = None,
    status: int = 200,
) -> HttpResponse:
    """The stages page; ``edited``: a stage's refused form, shown in its row with the
    reasons on its fields."""
    stages = services.stages_of(workspace.pk)
    stall_days = services.stall_days_of(workspace.pk)
    from tandem.exchange.pipeline.models import PipelineSettings

    found = PipelineSettings.objects.filter(workspace_id=workspace.pk).first()
    return render(
        request,
        "pipeline/stages.html",
        {
            "workspace": workspace,
            "stages": stages,
            "rows": [
                (stage, edited[1] if edited and edited[0] == stage.pk else _row_form(stage))
                for stage in stages
            ],
            "form": form or StageForm(initial={"outcome": Outcome.OPEN}),
            "stall_form": stall_form
            or StallForm(
                initial={"stall_days": stall_days, "version": found.version if found else None}
            ),
            "confirm": ConfirmForm(),
        },
        status=status,
    )


@access("member")
def pipeline_stages(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return _stages_page(request, workspace)


@access("member")
@require_POST
def pipeline_stage_create(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = StageForm(request.POST)
    if form.is_valid():
        stage = run_service(
            form,
            lambda: services.stage_create(
                actor=request.actor,
                workspace_id=workspace.pk,
                **{k: v for k, v in form.cleaned_data.items() if k != "version"},
            ),
        )
        if stage is not None:
            messages.success(request, f"Stage added: {stage.name}.")
            return redirect("pipeline_stages")
    return _stages_page(request, workspace, form=form, status=400)


def _stage(workspace: Workspace, stage_id: str) -> Stage:
    return get_object_or_404(Stage, pk=parse_id(stage_id), workspace_id=workspace.pk)


@access("member")
@require_POST
def pipeline_stage_edit(
    request: TandemRequest, workspace: Workspace, stage_id: str
) -> HttpResponse:
    stage = _stage(workspace, stage_id)
    form = StageForm(request.POST, prefix=f"s{stage.pk}")
    if form.is_valid():
        data = form.cleaned_data
        done = run_service(
            form,
            lambda: services.stage_update(
                stage,
                actor=request.actor,
                version=data.get("version"),
                name=data["name"],
                probability=data["probability"],
                outcome=data["outcome"],
            ),
        )
        if done is not None:
            messages.success(request, f"Stage saved: {stage.name}.")
            return redirect("pipeline_stages")
    status = 409 if getattr(form, "conflict", None) is not None else 400
    return _stages_page(request, workspace, edited=(stage.pk, form), status=status)


@access("member")
@require_POST
def pipeline_stage_move(
    request: TandemRequest, workspace: Workspace, stage_id: str
) -> HttpResponse:
    stage = _stage(workspace, stage_id)
    direction = request.POST.get("direction", "")
    return one_click(
        request,
        lambda version: services.stage_move(
            stage, actor=request.actor, version=version, direction=direction
        ),
        done=f"Moved {stage.name} {direction}.",
        then=reverse("pipeline_stages"),
        conflict="Someone changed the stages meanwhile. Here they are now.",
    )


@access("member")
@require_POST
def pipeline_stage_archive(
    request: TandemRequest, workspace: Workspace, stage_id: str
) -> HttpResponse:
    stage = _stage(workspace, stage_id)
    archived = not stage.archived
    return one_click(
        request,
        lambda version: services.stage_update(
            stage, actor=request.actor, version=version, archived=archived
        ),
        done=f"{stage.name} {'archived' if archived else 'restored'}.",
        then=reverse("pipeline_stages"),
        conflict="Someone changed the stages meanwhile. Here they are now.",
    )


@access("member")
@require_POST
def pipeline_stall(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = StallForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.set_stall_days(
                actor=request.actor,
                workspace_id=workspace.pk,
                stall_days=form.cleaned_data["stall_days"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            messages.success(
                request,
                "Saved: deals are flagged as stalled after "
                f"{form.cleaned_data['stall_days']} days without a stage change.",
            )
            return redirect("pipeline_stages")
    return _stages_page(request, workspace, stall_form=form, status=400)
