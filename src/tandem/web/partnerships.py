"""The portfolio and a partnership's overview: pages that gather from many apps (the next
meetings, the relationship's signals, the latest diligence decision), so they live here, above
the apps, rather than in ``partners`` (which the apps build on)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.accounts.models import Invitation, PartnerAccess
from tandem.core import exports
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.core.params import query_text
from tandem.evaluation.health.selectors import latest_snapshot
from tandem.meetings.schedule.selectors import (
    next_meeting,
    upcoming_meetings,
    viewer_zone,
)
from tandem.partners import selectors
from tandem.partners.forms import PartnerInviteForm, PortfolioFilterForm
from tandem.partners.models import Contact, Note, Partnership
from tandem.relationship.diligence.selectors import latest_decision
from tandem.web.relationship import relationship_signals


def _page(request: TandemRequest, queryset: Any) -> Any:
    return Paginator(queryset, settings.TANDEM_PAGE_SIZE).get_page(request.GET.get("page"))


@access("member")
def portfolio(request: TandemRequest, workspace: Any) -> HttpResponse:
    template = "partners/portfolio.html"
    if request.htmx:
        template += "#portfolio-results"
    return render(request, template, _portfolio_context(request, workspace))


def _portfolio_filters(
    request: TandemRequest, workspace: Any
) -> tuple[PortfolioFilterForm, dict[str, Any], dict[str, Any]]:
    """The portfolio's filter form, what it holds, and the selector's arguments from it."""
    q = query_text(request)  # refused when too long, as on every page's search box
    form = PortfolioFilterForm(request.GET or None, workspace_id=workspace.pk)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    return (
        form,
        filters,
        {
            "workspace_id": workspace.pk,
            "stage": filters.get("stage") or "",
            "horizon": filters.get("horizon") or "",
            "kind": filters.get("kind") or "",
            "owner": filters.get("owner"),
            "q": q,
            "sort": filters.get("sort") or "name",
        },
    )


# Every partnership the filters find, archived ones too (a column says when).
PORTFOLIO_COLUMNS = exports.item_columns(
    Partnership, (*Partnership.concurrency_fields, "archived_at")
)


@access("member")
@require_GET
def portfolio_export(request: TandemRequest, workspace: Any) -> Any:
    _, _, found = _portfolio_filters(request, workspace)
    partnerships = selectors.portfolio(request.actor, **found, archived=False) | (
        selectors.portfolio(request.actor, **found, archived=True)
    )
    return exports.download(
        request, workspace.slug, "partnerships", PORTFOLIO_COLUMNS, partnerships
    )


def _portfolio_context(request: TandemRequest, workspace: Any) -> dict[str, Any]:
    form, filters, found = _portfolio_filters(request, workspace)
    partnerships = selectors.portfolio(
        request.actor, **found, archived=bool(filters.get("archived"))
    )
    query = request.GET.copy()
    query.pop("page", None)
    upcoming = None
    if not request.htmx:
        upcoming = upcoming_meetings(
            request.actor,
            workspace_id=workspace.pk,
            viewer=viewer_zone(request),
        )
    return {
        "upcoming": upcoming,
        "form": form,
        "page": _page(request, partnerships),
        "query": query.urlencode(),
        "filtered": any(filters.get(key) for key in ("q", "stage", "horizon", "kind", "owner")),
        "archived": bool(filters.get("archived")),
    }


@access("partnership")
def partnership_detail(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request, "partners/partnership_detail.html", _detail_context(request, partnership)
    )


def _detail_context(request: TandemRequest, partnership: Partnership) -> dict[str, Any]:
    actor = request.actor
    can_manage = actor.is_member(partnership.workspace_id)
    context: dict[str, Any] = {
        "partnership": partnership,
        "can_manage": can_manage,
        "contacts": Contact.objects.visible_to(actor).filter(partnership=partnership),
        "notes": Note.objects.visible_to(actor)
        .filter(partnership=partnership)
        .select_related("created_by")[:20],
        "activity": selectors.activity_for(actor, partnership)[:8],
        "stage_changes": partnership.stage_changes.select_related("changed_by")[:6],
        "next_meeting": next_meeting(partnership, viewer=viewer_zone(request)),
        "signals": relationship_signals(actor, partnership),
        "health": latest_snapshot(actor, partnership),
    }
    if can_manage:
        context["diligence"] = latest_decision(actor, partnership)
        context["partner_people"] = PartnerAccess.objects.filter(
            partnership=partnership
        ).select_related("user")
        context["pending_invitations"] = Invitation.objects.pending().filter(
            partnership=partnership
        )
        context["invite_form"] = PartnerInviteForm()
    return context
