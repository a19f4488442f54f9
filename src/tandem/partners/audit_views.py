"""The audit page and its export (``/workspace/audit/``): owners and admins only."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.accounts.models import Workspace
from tandem.core import exports
from tandem.core.dates import zone_label
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.partners.audit import (
    AUDIT_COLUMNS,
    PAGE_SIZE,
    AuditFilters,
    audit_entries,
    zone_of,
)


@access("admin")
@require_GET
def audit(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = AuditFilters(request.GET, workspace=workspace, actor=request.actor)
    zone = zone_of(request.user)
    page = None
    if form.is_valid():
        entries = audit_entries(request.actor, workspace, zone=zone, **form.cleaned_data)
        page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    # Times read on the person's own clock, as the dates they filter by are.
    with timezone.override(zone):
        return render(
            request,
            "audit/audit.html",
            {
                "workspace": workspace,
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "zone": zone_label(zone.key),
            },
            # A filter that cannot be read is the asker's mistake, told on the page.
            status=200 if form.is_valid() else 400,
        )


@access("admin")
@require_GET
def audit_export(request: TandemRequest, workspace: Workspace) -> Any:
    filters = AuditFilters(request.GET, workspace=workspace, actor=request.actor).checked()
    entries = audit_entries(request.actor, workspace, zone=zone_of(request.user), **filters)
    return exports.download(request, workspace, "audit", AUDIT_COLUMNS, entries)
