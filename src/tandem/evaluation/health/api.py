"""The health over HTTP: a partnership's health in the caller's view, its weekly snapshots,
and the workspace's weights (members). The same selectors and services as the pages."""

from typing import Any

from ninja import Router

from tandem.core.api.items import MEMBER, operation
from tandem.core.clock import local_today
from tandem.core.http import TandemRequest
from tandem.core.scope import Program, Scope
from tandem.evaluation.health import selectors, services
from tandem.evaluation.health.models import DEFAULT_WEIGHTS, HealthSettings
from tandem.evaluation.health.schemas import (
    HealthSnapshotOut,
    HealthWeightsIn,
    HealthWeightsOut,
    PartnershipHealthOut,
)

router = Router(tags=["Health"])
BASE = "/partnerships/{partnership_id}/health"
WEIGHTS = "/workspaces/{workspace_id}/health/weights"


@operation(router, "get", BASE, level="partnership", response=PartnershipHealthOut)
def partnership_health(request: TandemRequest, partnership: Scope) -> Any:
    """The partnership's health today: the score and each part with its evidence

    Built with the caller's view: a partner-side caller's parts count shared items only.
    A part without data has a null score and is left out of the total."""
    pk = int(partnership.pk)
    found = selectors.health_of(request.actor, [pk], local_today(partnership))[pk]
    return {
        "partnership_id": partnership.pk,
        "score": found.score,
        "view": selectors.view_of(request.actor, partnership),
        "parts": [part.as_json() for part in found.parts],
    }


@operation(
    router,
    "get",
    f"{BASE}/snapshots",
    level="partnership",
    paginated=True,
    response=list[HealthSnapshotOut],
)
def health_snapshots(request: TandemRequest, partnership: Scope) -> Any:
    """The weekly health snapshots in the caller's view, latest week first"""
    return selectors.snapshots_for(request.actor, partnership)


def _weights(workspace_id: int) -> dict[str, Any]:
    saved = HealthSettings.objects.filter(workspace_id=workspace_id).first()
    weights = saved.weights if saved else dict(DEFAULT_WEIGHTS)
    return {**weights, "version": saved.version if saved else None}


@operation(router, "get", WEIGHTS, level=MEMBER, response=HealthWeightsOut)
def health_weights(request: TandemRequest, program: Program) -> Any:
    """The workspace's health weights (the defaults until changed)"""
    return _weights(program.workspace_id)


@operation(router, "put", WEIGHTS, level=MEMBER, response=HealthWeightsOut)
def set_health_weights(request: TandemRequest, program: Program, payload: HealthWeightsIn) -> Any:
    """Set every part's weight, 0–10, at least one above 0 (send the version you read)"""
    values = payload.dict()
    version = values.pop("version")
    services.set_weights(
        actor=request.actor, workspace_id=program.workspace_id, weights=values, version=version
    )
    return _weights(program.workspace_id)
