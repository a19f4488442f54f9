"""Partnerships, their contacts, notes, activity and partner-side invitations, over HTTP.

Same services as the pages; ``x-access`` names who may call each operation.
"""

from typing import Any, Literal

from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from tandem.accounts import services as accounts
from tandem.accounts.models import User
from tandem.core.api.items import item_api, operation
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id, Problem, Version
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.params import SearchText
from tandem.partners import selectors, services
from tandem.partners.models import Partnership, StageChange
from tandem.partners.schemas import (
    ActivityOut,
    HorizonValue,
    InvitationOut,
    KindValue,
    NoteOut,
    PartnerInviteIn,
    PartnershipIn,
    PartnershipOut,
    PartnershipPatch,
    StageChangeOut,
    StageValue,
)

router = Router(tags=["Partnerships"])


def _people(workspace_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Turn ``owner_id`` / ``sponsor_id`` into members of the workspace (else a 400)."""
    members = User.objects.filter(memberships__workspace_id=workspace_id)
    for name in ("owner", "sponsor"):
        key = f"{name}_id"
        if key in values:
            person_id = values.pop(key)
            values[name] = members.filter(pk=person_id).first() if person_id else None
            if person_id and values[name] is None:
                raise InvalidInput(
                    f"{key} must be a member of the partnership's workspace.",
                    errors={key: ["Choose a member of this workspace."]},
                )
    return values


class PortfolioFilters(Schema):
    workspace_id: Id | None = None
    stage: StageValue | None = None
    horizon: HorizonValue | None = None
    kind: KindValue | None = None
    owner_id: Id | None = None
    q: SearchText | None = None
    sort: Literal["name", "-name", "stage", "-stage", "updated", "-updated", "hours", "-hours"] = (
        "name"
    )
    archived: bool = False


@router.get(
    "/partnerships",
    response=list[PartnershipOut],
    openapi_extra={"x-access": "user"},
    summary="List partnerships you can see",
)
@paginate(Pages)
def list_partnerships(request: TandemRequest, filters: Query[PortfolioFilters]) -> Any:
    values = filters.dict()  # the selector takes None for "any", as an empty filter
    return selectors.portfolio(request.actor, owner=values.pop("owner_id"), **values)


@router.post(
    "/partnerships",
    # 409: a new partnership cannot start as active (it needs a go on due diligence).
    response={201: PartnershipOut, 409: Problem},
    openapi_extra={"x-access": "member"},
    summary="Create a partnership",
)
def create_partnership(request: TandemRequest, payload: PartnershipIn) -> Any:
    actor = request.actor
    actor.require(bool(actor.roles))
    workspace_id = payload.workspace_id
    if workspace_id is None:
        if len(actor.workspace_ids) != 1:
            raise InvalidInput(
                "Say which workspace: send workspace_id.",
                errors={"workspace_id": ["Required when you belong to several workspaces."]},
            )
        workspace_id = actor.workspace_ids[0]
    actor.require(actor.is_member(workspace_id))
    values = _people(workspace_id, payload.dict(exclude={"workspace_id"}))
    partnership = services.partnership_create(actor=actor, workspace_id=workspace_id, **values)
    return Status(201, partnership)


ONE = "/partnerships/{partnership_id}"


@operation(router, "get", ONE, level="partnership", response=PartnershipOut)
def get_partnership(request: TandemRequest, partnership: Partnership) -> Any:
    """Read a partnership"""
    return partnership


@operation(router, "patch", ONE, level="partnership_manage", response=PartnershipOut)
def update_partnership(
    request: TandemRequest, partnership: Partnership, payload: PartnershipPatch
) -> Any:
    """Change a partnership (send the version you read)"""
    values = _people(
        partnership.workspace_id, payload.dict(exclude={"version"}, exclude_unset=True)
    )
    refuse_nulls(values, ("name", "kind", "horizon", "stage", "cadence"))
    return services.partnership_update(
        actor=request.actor, partnership=partnership, version=payload.version, **values
    )


class ArchiveIn(Schema):
    version: Version
    archived: StrictBool = True


@operation(router, "post", f"{ONE}/archive", level="partnership_manage", response=PartnershipOut)
def archive_partnership(
    request: TandemRequest, partnership: Partnership, payload: ArchiveIn
) -> Any:
    """Archive or restore a partnership"""
    return services.partnership_archive(
        actor=request.actor,
        partnership=partnership,
        version=payload.version,
        archived=payload.archived,
    )


@operation(
    router, "get", f"{ONE}/stages", level="partnership_manage", response=list[StageChangeOut]
)
def stage_history(request: TandemRequest, partnership: Partnership) -> Any:
    """The partnership's stage history"""
    return StageChange.objects.filter(partnership=partnership).select_related("changed_by")


@operation(
    router,
    "get",
    f"{ONE}/activity",
    level="partnership",
    paginated=True,
    response=list[ActivityOut],
)
def activity(request: TandemRequest, partnership: Partnership) -> Any:
    """Who changed what, newest first"""
    return selectors.activity_for(request.actor, partnership)


@operation(
    router, "post", f"{ONE}/invitations", level="partnership_manage", response={201: InvitationOut}
)
def invite_partner(
    request: TandemRequest, partnership: Partnership, payload: PartnerInviteIn
) -> Any:
    """Invite a partner-side person into this partnership"""
    invitation = accounts.partner_invite(
        actor=request.actor, partnership=partnership, email=payload.email
    )
    return Status(201, invitation)


item_api(services.CONTACTS, router, f"{ONE}/contacts", order=("id",))
item_api(services.NOTES, router, f"{ONE}/notes", out=NoteOut, order=("id",))
