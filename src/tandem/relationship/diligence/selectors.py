"""Reading due diligence, always through the requesting actor. Partner-side people never
see any of it: criteria are the workspace's, assessments are internal."""

from __future__ import annotations

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404

from tandem.core.access import Actor
from tandem.core.ids import parse_id
from tandem.core.scope import NOT_FOUND, Scope
from tandem.partners.models import Partnership, Stage
from tandem.relationship.diligence.models import (
    Assessment,
    Criterion,
    CriterionQuerySet,
    Score,
)

# The stages in which a partnership is still being weighed.
WEIGHING = (Stage.PROSPECT, Stage.DILIGENCE)


def criteria_for(actor: Actor, workspace_id: int) -> CriterionQuerySet:
    """Every criterion of a workspace, current first in their order, then the retired."""
    return (
        Criterion.objects.visible_to(actor)
        .filter(workspace_id=workspace_id)
        .order_by("retired_at", "position", "id")
    )


def criterion_for(actor: Actor, program: Scope, pk: object) -> Criterion:
    """One criterion of the workspace, reached at its program level only; else 404."""
    if not program.is_program:
        raise Http404(NOT_FOUND)
    try:
        return criteria_for(actor, program.workspace_id).get(pk=parse_id(pk))
    except Criterion.DoesNotExist as error:
        raise Http404(NOT_FOUND) from error


def assessments_for(actor: Actor, partnership: Scope) -> QuerySet[Assessment]:
    """A partnership's assessments, newest first, with their scores and who decided."""
    return (
        Assessment.objects.visible_to(actor)
        .filter(workspace_id=partnership.workspace_id, partnership_id=partnership.pk)
        .select_related("decided_by", "created_by")
        .prefetch_related(Prefetch("scores", queryset=Score.objects.order_by("position", "id")))
        .order_by("-created_at", "-id")
    )


def latest_decision(actor: Actor, partnership: Scope) -> Assessment | None:
    """The decision that counts for a partnership: its latest decided assessment (go or
    no-go, who and when, the weighted score), or None. None for a partner-side person.
    One query; for a partnership overview or a health panel."""
    return (
        Assessment.objects.visible_to(actor)
        .filter(partnership_id=partnership.pk)
        .exclude(decision="")
        .select_related("decided_by")
        .order_by("-decided_at", "-id")
        .first()
    )


def latest_assessments(actor: Actor, partnership_ids: list[int]) -> dict[int, Assessment]:
    """The latest assessment (decided or open) of each partnership, in two queries."""
    if not partnership_ids:
        return {}
    newest = (
        Assessment.objects.filter(partnership_id=OuterRef("pk"))
        .order_by("-created_at", "-id")
        .values("pk")[:1]
    )
    ids = (
        Partnership.objects.filter(pk__in=partnership_ids)
        .annotate(latest=Subquery(newest))
        .values_list("latest", flat=True)
    )
    found = (
        Assessment.objects.visible_to(actor)
        .filter(pk__in=[pk for pk in ids if pk is not None])
        .select_related("decided_by")
    )
    return {
        assessment.partnership_id: assessment
        for assessment in found
        if assessment.partnership_id is not None  # always: it was found by its partnership
    }


def weighing(actor: Actor, workspace_id: int) -> QuerySet[Partnership]:
    """The workspace's prospects and partnerships in due diligence (not archived)."""
    return (
        Partnership.objects.visible_to(actor)
        .filter(workspace_id=workspace_id, stage__in=WEIGHING, archived_at__isnull=True)
        .select_related("owner")
        .order_by("stage", "name", "id")
    )
