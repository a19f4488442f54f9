"""The workspace's stall alerts (members) and its alert rule: how many quiet days."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.accounts.models import Workspace
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.evaluation.alerts import selectors, services
from tandem.evaluation.alerts.forms import AlertSettingsForm
from tandem.evaluation.alerts.models import AlertSettings
from tandem.partners.models import Partnership

PAGE_SIZE = 50


def workspace_alerts(actor: Any, workspace_id: int) -> list[selectors.Alert]:
    """Every alert of the workspace's current partnerships, partnership by partnership
    (by name), each partnership's in ``KINDS`` order."""
    partnerships = Partnership.objects.visible_to(actor).filter(
        workspace_id=workspace_id, archived_at__isnull=True
    )
    found = selectors.alerts_of(
        actor, partnerships.values_list("pk", flat=True), timezone.localdate()
    )
    alerts = [alert for listed in found.values() for alert in listed]
    alerts.sort(key=lambda alert: (alert.partnership_name.lower(), alert.partnership_id))
    return alerts


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
        "partnership_count": len({alert.partnership_id for alert in alerts}),
        "today": timezone.localdate(),
        "form": form,
    }
    return render(request, "alerts/alert_list.html", context, status=status)


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
