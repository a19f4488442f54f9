"""The portfolio dashboard (members): the first screen of a program lead or an executive
sponsor, every partnership sorted by health with what needs attention."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.evaluation.dashboard.forms import DashboardFilterForm
from tandem.evaluation.dashboard.selectors import dashboard as build


@access("member")
def dashboard(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = DashboardFilterForm(request.GET or None, workspace_id=workspace.pk)
    filters: dict[str, Any] = form.filters() if request.GET else {}
    today = timezone.localdate()
    found = build(request.actor, workspace.pk, today, page=request.GET.get("page"), **filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "board": found,
        "page": found.page,
        "query": query.urlencode(),
        "today": today,
        "filtered": any(filters.get(key) for key in ("stage", "owner", "band", "has_alerts")),
    }
    return render(request, "dashboard/dashboard.html", context)
