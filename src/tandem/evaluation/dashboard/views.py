"""The portfolio dashboard (members): the first screen of a program lead or an executive
sponsor, every partnership sorted by health with what needs attention."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from tandem.accounts.models import Workspace
from tandem.core import exports
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.evaluation.dashboard.forms import DashboardFilterForm
from tandem.evaluation.dashboard.selectors import Row
from tandem.evaluation.dashboard.selectors import dashboard as build


def _amounts(figures: dict[str, Any]) -> str:
    return "; ".join(f"{currency} {amount:f}" for currency, amount in sorted(figures.items()))


EXPORT_ROWS = 100_000  # every partnership a workspace may have, in one page
# One line per partnership, as the dashboard's rows show it.
DASHBOARD_COLUMNS = [
    exports.Column("ID", lambda row: row.partnership.pk),
    exports.Column("Partnership", lambda row: row.partnership.name),
    exports.Column("Stage", lambda row: row.partnership.get_stage_display()),
    exports.Column("Day-to-day owner", lambda row: row.partnership.owner),
    exports.Column("Health", lambda row: row.score),
    exports.Column("Band", lambda row: row.band_label),
    exports.Column("Health last week", lambda row: row.last_week),
    exports.Column("Alerts", lambda row: len(row.alerts)),
    exports.Column("What stalls", lambda row: "; ".join(alert.title for alert in row.alerts)),
    exports.Column("Value balance, 12 months", lambda row: _amounts(row.balance)),
    exports.Column("Open pipeline", lambda row: _amounts(row.pipeline)),
    exports.Column("Open deals", lambda row: row.pipeline_count),
]


@access("member")
@require_GET
def dashboard_export(request: TandemRequest, workspace: Workspace) -> Any:
    """Every row the dashboard's filters find, in its order: one page of them all (the same
    queries as one page of the dashboard)."""
    form = DashboardFilterForm(request.GET or None, workspace_id=workspace.pk)
    filters: dict[str, Any] = form.filters() if request.GET else {}
    today = timezone.localdate()
    found = build(request.actor, workspace.pk, today, per_page=EXPORT_ROWS, **filters)
    rows: list[Row] = list(found.page.object_list)
    return exports.download(request, workspace.slug, "dashboard", DASHBOARD_COLUMNS, rows)


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
