"""Due diligence pages. The program level holds the workspace's criteria and the
partnerships still being weighed; a partnership's page holds its assessments and the
decision. Workspace members only: partner-side people never reach any of it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.numbers import percent_shares
from tandem.core.scope import NOT_FOUND, Program, Scope, item_for
from tandem.core.views import edit_item, one_click, page_context
from tandem.meetings.schedule.selectors import viewer_zone, when
from tandem.partners import services as partner_services
from tandem.partners.models import Partnership, Stage
from tandem.relationship.diligence import selectors, services
from tandem.relationship.diligence.forms import AssessmentForm, CriterionForm


@access("partnership_manage", program=True)
def diligence(request: TandemRequest, partnership: Scope) -> HttpResponse:
    if isinstance(partnership, Program):
        return render(request, "diligence/program.html", _program_context(request, partnership))
    return render(request, "diligence/assessment.html", _assessment_context(request, partnership))


# --- The program level: criteria and the partnerships being weighed ------------------------


def _program_context(
    request: TandemRequest, program: Scope, form: CriterionForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    criteria = list(selectors.criteria_for(actor, program.workspace_id))
    current = [c for c in criteria if not c.is_retired]
    # Shares that add up to 100, however the weights divide.
    for criterion, share in zip(current, percent_shares([c.weight for c in current]), strict=True):
        criterion.share = share  # type: ignore[attr-defined]  # for the template
    page = Paginator(selectors.weighing(actor, program.workspace_id), 25).get_page(
        request.GET.get("page")
    )
    latest = selectors.latest_assessments(actor, [p.pk for p in page.object_list])
    rows = [{"partnership": p, "assessment": latest.get(p.pk)} for p in page.object_list]
    return page_context(
        request,
        program,
        ("diligence", ""),
        criteria=current,
        retired=[c for c in criteria if c.is_retired],
        has_any=bool(criteria),
        defaults=services.DEFAULT_CRITERIA,
        form=form or CriterionForm(),
        page=page,
        rows=rows,
        query="",
    )


@access("partnership_manage", program=True)
def criterion_create(request: TandemRequest, partnership: Scope) -> HttpResponse:
    if not partnership.is_program:
        raise Http404(NOT_FOUND)
    form = CriterionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        criterion = run_service(
            form,
            lambda: services.criterion_create(
                actor=request.actor,
                workspace_id=partnership.workspace_id,
                **form.values(),
            ),
        )
        if criterion is not None:
            messages.success(request, f"Criterion added: {criterion.name}.")
            return redirect("diligence", partnership.pk)
    return render(
        request,
        "diligence/program.html",
        _program_context(request, partnership, form),
        status=400 if request.method == "POST" else 200,
    )


@access("partnership_manage", program=True)
@require_POST
def criteria_defaults(request: TandemRequest, partnership: Scope) -> HttpResponse:
    if not partnership.is_program:
        raise Http404(NOT_FOUND)
    made = services.criteria_defaults(
        actor=request.actor,
        workspace_id=partnership.workspace_id,
    )
    messages.success(request, f"{len(made)} criteria ready. Reweight or rename them as you like.")
    return redirect("diligence", partnership.pk)


@access("partnership_manage", program=True)
def criterion_edit(request: TandemRequest, partnership: Scope, criterion_id: str) -> HttpResponse:
    criterion = selectors.criterion_for(request.actor, partnership, criterion_id)
    return edit_item(
        request,
        partnership=partnership,
        item=criterion,
        form_class=CriterionForm,
        update=services.criterion_update,
        template="diligence/criterion_form.html",
        back=reverse("diligence", args=[partnership.pk]),
        label="Criterion",
        saved=lambda criterion: f"Criterion saved: {criterion.name}.",
        context={"criterion": criterion, "tab": "diligence"},
    )


def _confirmed(
    request: TandemRequest, partnership: Scope, call: Any, done: str, then: str = "diligence"
) -> HttpResponse:
    """A one-click change (move, retire, start, activate) that names the version it saw:
    on to the page ``then`` when done, else back to this page with the reason."""
    return one_click(
        request,
        call,
        done=done,
        then=reverse(then, args=[partnership.pk]),
        back=reverse("diligence", args=[partnership.pk]),
        failed="That did not work; reload and try again.",
    )


@access("partnership_manage", program=True)
@require_POST
def criterion_move(request: TandemRequest, partnership: Scope, criterion_id: str) -> HttpResponse:
    criterion = selectors.criterion_for(request.actor, partnership, criterion_id)
    direction = request.POST.get("direction", "")
    return _confirmed(
        request,
        partnership,
        lambda version: services.criterion_move(
            criterion,
            actor=request.actor,
            version=version,
            direction=direction,
        ),
        f"Moved {criterion.name} {direction}.",
    )


@access("partnership_manage", program=True)
@require_POST
def criterion_retire(request: TandemRequest, partnership: Scope, criterion_id: str) -> HttpResponse:
    criterion = selectors.criterion_for(request.actor, partnership, criterion_id)
    retire = not criterion.is_retired
    return _confirmed(
        request,
        partnership,
        lambda version: services.criterion_retire(
            criterion,
            actor=request.actor,
            version=version,
            retired=retire,
        ),
        (
            f"{criterion.name} retired: new assessments leave it out; past ones keep it."
            if retire
            else f"{criterion.name} is back in use."
        ),
    )


# --- A partnership's assessments -------------------------------------------------------------


def _assessment_context(
    request: TandemRequest, partnership: Partnership, form: AssessmentForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    zone = viewer_zone(request)
    assessments = list(selectors.assessments_for(actor, partnership))
    for assessment in assessments:
        if assessment.decided_at:
            assessment.decided_when = when(assessment.decided_at, zone, year=True)  # type: ignore[attr-defined]
    current = next((a for a in assessments if not a.is_decided), None)
    decided = [a for a in assessments if a.is_decided]
    latest = max(decided, key=lambda a: (a.decided_at, a.pk)) if decided else None
    if current is not None and form is None:
        form = AssessmentForm(rows=list(current.scores.all()), initial={"version": current.version})
    history = Paginator(decided, 10).get_page(request.GET.get("page"))
    return page_context(
        request,
        partnership,
        ("relationship", "diligence"),
        current=current,
        form=form,
        latest=latest,
        page=history,
        query="",
        can_activate=latest is not None
        and latest.is_go
        and partnership.stage != Stage.ACTIVE
        and not partnership.is_archived,
        criteria_count=selectors.criteria_for(actor, partnership.workspace_id).current().count()
        if current is None
        else None,
    )


@access("partnership_manage")
@require_POST
def assessment_start(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return _confirmed(
        request,
        partnership,
        lambda version: services.assessment_start(actor=request.actor, partnership=partnership),
        "Assessment started: score each criterion with its evidence.",
    )


@access("partnership_manage")
@require_POST
def assessment_save(
    request: TandemRequest, partnership: Partnership, assessment_id: str
) -> HttpResponse:
    actor = request.actor
    assessment = item_for(
        selectors.assessments_for(actor, partnership), actor, partnership, assessment_id
    )
    form = AssessmentForm(request.POST, rows=list(assessment.scores.all()))
    deciding = request.POST.get("action") == "decide"
    if form.is_valid():
        saved = run_service(
            form,
            lambda: services.assessment_save(
                assessment,
                actor=actor,
                version=form.cleaned_data.get("version"),
                scores=form.scores(),
                decision=form.cleaned_data.get("decision") if deciding else None,
                rationale=form.cleaned_data.get("rationale", ""),
            ),
        )
        if saved is not None:
            if deciding:
                messages.success(
                    request,
                    f"Decision recorded: {saved.get_decision_display()} on {partnership.name}.",
                )
            else:
                messages.success(request, "Scores saved.")
            return redirect("diligence", partnership.pk)
        if form.conflict is not None:
            # Scores have no field-by-field comparison: say what happened, keep the entries.
            form.conflict = None
            form.errors[NON_FIELD_ERRORS] = form.error_class(
                [
                    "Someone else saved this assessment while you were scoring. Your entries"
                    " are kept below: save again to keep them, or reload to see theirs."
                ]
            )
    context = _assessment_context(request, partnership, form)
    if context["current"] is None or context["current"].pk != assessment.pk:
        messages.error(request, "This assessment was decided meanwhile; it is kept as it was.")
        return redirect("diligence", partnership.pk)
    return render(request, "diligence/assessment.html", context, status=400)


@access("partnership_manage")
@require_POST
def activate(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    """After a go: move the partnership to active in one click (the same rule applies)."""
    return _confirmed(
        request,
        partnership,
        lambda version: partner_services.partnership_update(
            actor=request.actor, partnership=partnership, version=version, stage=Stage.ACTIVE
        ),
        f"{partnership.name} is now active.",
        then="partnership_detail",
    )
