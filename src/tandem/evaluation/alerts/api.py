"""Stall alerts over HTTP: a partnership's (either side, each their own view), the whole
workspace's and its alert rule (members). The same selectors and services as the pages."""

from typing import Any

from django.utils import timezone
from ninja import Router

from tandem.core.api.items import MEMBER, operation
from tandem.core.clock import local_today
from tandem.core.http import TandemRequest
from tandem.core.scope import Program, Scope
from tandem.evaluation.alerts import selectors, services
from tandem.evaluation.alerts.models import AlertSettings
from tandem.evaluation.alerts.schemas import AlertOut, AlertSettingsIn, AlertSettingsOut
from tandem.evaluation.alerts.standing import WorkspaceAlerts, bring_up_to_date
from tandem.partners.models import Partnership

router = Router(tags=["Alerts"])
SETTINGS = "/workspaces/{workspace_id}/alerts/settings"


@operation(
    router,
    "get",
    "/partnerships/{partnership_id}/alerts",
    level="partnership",
    response=list[AlertOut],
)
def partnership_alerts(request: TandemRequest, partnership: Scope) -> Any:
    """The partnership's stall alerts today, each with what to do next

    Built with the caller's view: a partner-side caller's alerts count shared items only."""
    pk = int(partnership.pk)
    found = selectors.alerts_of(request.actor, [pk], local_today(partnership))
    return [alert.as_json() for alert in found.get(pk, [])]


@operation(
    router,
    "get",
    "/workspaces/{workspace_id}/alerts",
    level=MEMBER,
    paginated=True,
    response=list[AlertOut],
)
def workspace_alerts(request: TandemRequest, program: Program) -> Any:
    """Every stall alert of the workspace's current partnerships, by partnership name"""
    current = Partnership.objects.visible_to(request.actor).filter(
        workspace_id=program.workspace_id, archived_at__isnull=True
    )
    bring_up_to_date(program.workspace_id, current, timezone.localdate())
    return [alert.as_json() for alert in WorkspaceAlerts(current)]


def _settings(workspace_id: int) -> dict[str, Any]:
    saved = AlertSettings.objects.filter(workspace_id=workspace_id).first()
    days = selectors.quiet_days_of([workspace_id])[workspace_id]
    return {"partner_quiet_days": days, "version": saved.version if saved else None}


@operation(router, "get", SETTINGS, level=MEMBER, response=AlertSettingsOut)
def alert_settings(request: TandemRequest, program: Program) -> Any:
    """The workspace's alert rule: the partner side's quiet days (14 until changed)"""
    return _settings(program.workspace_id)


@operation(router, "put", SETTINGS, level=MEMBER, response=AlertSettingsOut)
def set_alert_settings(request: TandemRequest, program: Program, payload: AlertSettingsIn) -> Any:
    """Set the partner side's quiet days, 1–365 (send the version you read)"""
    services.set_quiet_days(
        actor=request.actor,
        workspace_id=program.workspace_id,
        days=payload.partner_quiet_days,
        version=payload.version,
    )
    return _settings(program.workspace_id)
