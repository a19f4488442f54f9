"""The portfolio dashboard over HTTP (members): the same rows as the page, 50 a page."""

from typing import Any

from django.utils import timezone
from ninja import Query, Router

from tandem.core.api.items import MEMBER, operation
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.scope import Program
from tandem.evaluation.dashboard.schemas import DashboardFilters, DashboardOut
from tandem.evaluation.dashboard.selectors import BANDS, SORTS, dashboard
from tandem.partners.models import Stage

router = Router(tags=["Portfolio dashboard"])


def _checked(filters: DashboardFilters) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    if filters.stage and filters.stage not in Stage.values:
        errors["stage"] = [f"One of {', '.join(Stage.values)}."]
    if filters.band and filters.band not in BANDS:
        errors["band"] = [f"One of {', '.join(BANDS)}."]
    if filters.sort not in SORTS:
        errors["sort"] = [f"One of {', '.join(SORTS)}."]
    if errors:
        raise InvalidInput("Please correct the highlighted fields.", errors=errors)
    values = filters.dict()
    values.pop("page")
    return values


@operation(
    router, "get", "/workspaces/{workspace_id}/dashboard", level=MEMBER, response=DashboardOut
)
def workspace_dashboard(
    request: TandemRequest, program: Program, filters: Query[DashboardFilters]
) -> Any:
    """The workspace's current partnerships sorted by health, 50 a page

    Each with its 13-week trend, stage, horizon, owner, value balance, open pipeline, alerts
    and what changed since last week: the same rows as the page. ``page`` counts from 1; a
    page past the end answers the last one."""
    found = dashboard(
        request.actor,
        program.workspace_id,
        timezone.localdate(),
        page=filters.page,
        **_checked(filters),
    )
    page = found.page
    return {
        "items": [row.as_json() for row in page.object_list],
        "count": page.paginator.count,
        "page": page.number,
        "pages": page.paginator.num_pages,
    }
