"""The audit over HTTP: ``GET /api/workspaces/{workspace_id}/audit`` (owners and admins)."""

from datetime import datetime
from typing import Any

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from tandem.accounts.models import Workspace
from tandem.core.api.pagination import Pages
from tandem.core.api.schemas import Id, PersonOut
from tandem.core.http import TandemRequest
from tandem.partners.audit import PROGRAM, AuditFilters, audit_entries, zone_of

router = Router(tags=["Audit"])


class AuditQuery(Schema):
    """The page's filters, as text: each is read (and refused with a 400 naming it) as the
    page reads it, so a filter means the same on both."""

    who: str | None = Field(None, description="A person's id: what they did.")
    item: str | None = Field(
        None,
        description="The kind of item, as its model: `partners.note`, `traction.todo`, …",
    )
    verb: str | None = Field(None, description="The action: `created`, `updated`, `deleted`, …")
    partnership: str | None = Field(
        None,
        description=f"A partnership's id, or `{PROGRAM}` for the program level.",
    )
    date_from: str | None = Field(None, description="The first day (YYYY-MM-DD) in your time zone.")
    date_to: str | None = Field(
        None, description="The last day (YYYY-MM-DD) in your time zone, included."
    )


class AuditEntryOut(Schema):
    id: int
    created_at: datetime
    actor: PersonOut | None
    partnership_id: int | None
    partnership_name: str | None
    verb: str
    target_type: str
    target_model: str
    target_id: int | None
    target_label: str
    target_gone: bool
    visibility: str
    changes: dict[str, list[Any]]

    @staticmethod
    def resolve_partnership_name(entry: Any) -> str | None:
        return entry.partnership.name if entry.partnership_id else None


@router.get(
    "/workspaces/{workspace_id}/audit",
    response=list[AuditEntryOut],
    openapi_extra={"x-access": "admin"},
    summary="Read the workspace's audit trail",
)
@paginate(Pages)
def list_audit(request: TandemRequest, workspace_id: Id, filters: Query[AuditQuery]) -> Any:
    """Every change anyone made in the workspace, internal items included, newest first:
    who, when, in which partnership (or the program level), what and the change itself. For
    the workspace's owners and admins (others: 403). Filter by `who`, `item`, `verb`,
    `partnership`, `date_from` and `date_to` (whole days in your own time zone, both
    included); a filter that cannot be read answers 400 with `errors` naming it."""
    actor = request.actor
    if not actor.is_member(workspace_id):
        raise Http404
    actor.require(actor.is_admin(workspace_id))
    workspace = Workspace.objects.get(pk=workspace_id)
    asked = {name: value for name, value in filters.dict().items() if value is not None}
    checked = AuditFilters(asked, workspace=workspace, actor=actor).checked()
    return audit_entries(actor, workspace, zone=zone_of(request.user), **checked)
