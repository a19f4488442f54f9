"""The workspace's stall alerts (members) and its alert rule: how many quiet days."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts.models import Workspace
from tandem.core import exports
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.evaluation.alerts import selectors, services
from tandem.evaluation.alerts.forms import AlertSettingsForm
from tandem.evaluation.alerts.models import AlertSettings
from tandem.evaluation.alerts.standing import WorkspaceAlerts, bring_up_to_date
from tandem.partners.models import Partnership

PAGE_SIZE = 50


def workspace_alerts(actor: Any, workspace_id: int) -> WorkspaceAlerts:
    """Every alert of the workspace's current partnerships, partnership by partnership
    (by name), each partnership's in ``KINDS`` order: from their standings, brought up to
    date first (a page of them costs the same with ten partnerships or a thousand)."""
    current = Partnership.objects.visible_to(actor).filter(
        workspace_id=workspace_id, archived_at__isnull=True
    )
    bring_up_to_date(workspace_id, current, timezone.localdate())
    return WorkspaceAlerts(current)


def _page(
    request: TandemRequest, workspace: Workspace, form: AlertSettingsForm | None, status: int = 200
) -> HttpResponse:
    if form is None:
        saved = AlertSettings.objects.filter(workspace_id=workspace.pk).first()
        days = selectors.quiet_days_of([workspace.pk])[workspace.pk]
        form = AlertSettingsForm(
            initial={"partner_quiet_days": days, "version": saved.version if saved else None}
        )
    alerts = workspace_alerts(request.actor, workspace.pk)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "query": query.urlencode(),
        "page": page,
        "count": len(alerts),
        "partnership_count": alerts.partnership_count,
        "today": timezone.localdate(),
        "form": form,
    }
    return render(request, "alerts/alert_list.html", context, status=status)


# One line per alert, as the page lists them.
ALERT_COLUMNS = [
    exports.Column("Partnership", lambda alert: alert.partnership_name),
    exports.Column("Alert", lambda alert: alert.title),
    exports.Column("What", lambda alert: alert.text),
    exports.Column("Next step", lambda alert: alert.next_step),
    exports.Column("Since", lambda alert: alert.since),
    exports.Column("Where", lambda alert: alert.url),
]


@access("member")
@require_GET
def alert_export(request: TandemRequest, workspace: Workspace) -> Any:
    alerts = workspace_alerts(request.actor, workspace.pk)
    return exports.download(request, workspace.slug, "alerts", ALERT_COLUMNS, alerts)


@access("member")
def alert_list(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return _page(request, workspace, None)


@access("member")
@require_POST
def alert_settings(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = AlertSettingsForm(request.POST)
    if form.is_valid():
        done = run_service(
            form,
            lambda: services.set_quiet_days(
                actor=request.actor,
                workspace_id=workspace.pk,
                days=form.cleaned_data["partner_quiet_days"],
                version=form.cleaned_data.get("version"),
            ),
        )
        if done is not None:
            days = form.cleaned_data["partner_quiet_days"]
            messages.success(
                request, f"Saved: a partner is flagged as quiet after {days} days without action."
            )
            return redirect("alert_list")
    return _page(request, workspace, form, status=400)
