"""Partnerships, their contacts, notes, activity and partner-side invitations, over HTTP.

Same services as the pages; ``x-access`` names who may call each operation.
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate
from pydantic import StrictBool

from tandem.accounts import services as accounts
from tandem.accounts.actors import actor_for
from tandem.accounts.models import User
from tandem.core.api.items import item_api
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Id, Problem, Version
from tandem.core.errors import InvalidInput
from tandem.core.params import SearchText
from tandem.core.scope import partnership_for
from tandem.partners import selectors, services
from tandem.partners.models import StageChange
from tandem.partners.schemas import (
    ActivityOut,
    ContactOut,
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


def _access(level: str) -> dict[str, Any]:
    return {"x-access": level}


def _actor(request: HttpRequest) -> Any:
    return actor_for(request.auth)  # type: ignore[attr-defined]


def _people(workspace_id: int, values: dict[str, Any]) -> dict[str, Any]:
    """Turn ``owner_id`` / ``sponsor_id`` into members of the workspace (else a 400)."""
    for name in ("owner", "sponsor"):
        key = f"{name}_id"
        if key not in values:
            continue
        person_id = values.pop(key)
        if person_id is None:
            values[name] = None
            continue
        person = User.objects.filter(pk=person_id, memberships__workspace_id=workspace_id).first()
        if person is None:
            raise InvalidInput(
                f"{key} must be a member of the partnership's workspace.",
                errors={key: ["Choose a member of this workspace."]},
            )
        values[name] = person
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
    openapi_extra=_access("user"),
    summary="List partnerships you can see",
)
@paginate(Pages)
def list_partnerships(request: HttpRequest, filters: Query[PortfolioFilters]) -> Any:
    return selectors.portfolio(
        _actor(request),
        workspace_id=filters.workspace_id,
        stage=filters.stage or "",
        horizon=filters.horizon or "",
        kind=filters.kind or "",
        owner=filters.owner_id,
        q=filters.q or "",
        sort=filters.sort,
        archived=filters.archived,
    )


@router.post(
    "/partnerships",
    # 409: a new partnership cannot start as active (it needs a go on due diligence).
    response={201: PartnershipOut, 409: Problem},
    openapi_extra=_access("member"),
    summary="Create a partnership",
)
def create_partnership(request: HttpRequest, payload: PartnershipIn) -> Any:
    actor = _actor(request)
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


@router.get(
    "/partnerships/{partnership_id}",
    response=PartnershipOut,
    openapi_extra=_access("partnership"),
    summary="Read a partnership",
)
def get_partnership(request: HttpRequest, partnership_id: Id) -> Any:
    return partnership_for(_actor(request), partnership_id)


@router.patch(
    "/partnerships/{partnership_id}",
    response=PartnershipOut,
    openapi_extra=_access("partnership_manage"),
    summary="Change a partnership (send the version you read)",
)
def update_partnership(request: HttpRequest, partnership_id: Id, payload: PartnershipPatch) -> Any:
    actor = _actor(request)
    partnership = partnership_for(actor, partnership_id, level="manage")
    values = _people(
        partnership.workspace_id, payload.dict(exclude={"version"}, exclude_unset=True)
    )
    refuse_nulls(values, ("name", "kind", "horizon", "stage", "cadence"))
    return services.partnership_update(
        actor=actor, partnership=partnership, version=payload.version, **values
    )


class ArchiveIn(Schema):
    version: Version
    archived: StrictBool = True


@router.post(
    "/partnerships/{partnership_id}/archive",
    response=PartnershipOut,
    openapi_extra=_access("partnership_manage"),
    summary="Archive or restore a partnership",
)
def archive_partnership(request: HttpRequest, partnership_id: Id, payload: ArchiveIn) -> Any:
    actor = _actor(request)
    partnership = partnership_for(actor, partnership_id, level="manage")
    return services.partnership_archive(
        actor=actor, partnership=partnership, version=payload.version, archived=payload.archived
    )


@router.get(
    "/partnerships/{partnership_id}/stages",
    response=list[StageChangeOut],
    openapi_extra=_access("partnership_manage"),
    summary="The partnership's stage history",
)
def stage_history(request: HttpRequest, partnership_id: Id) -> Any:
    partnership = partnership_for(_actor(request), partnership_id, level="manage")
    return StageChange.objects.filter(partnership=partnership).select_related("changed_by")


@router.get(
    "/partnerships/{partnership_id}/activity",
    response=list[ActivityOut],
    openapi_extra=_access("partnership"),
    summary="Who changed what, newest first",
)
@paginate(Pages)
def activity(request: HttpRequest, partnership_id: Id) -> Any:
    actor = _actor(request)
    return selectors.activity_for(actor, partnership_for(actor, partnership_id))


@router.post(
    "/partnerships/{partnership_id}/invitations",
    response={201: InvitationOut},
    openapi_extra=_access("partnership_manage"),
    summary="Invite a partner-side person into this partnership",
)
def invite_partner(request: HttpRequest, partnership_id: Id, payload: PartnerInviteIn) -> Any:
    actor = _actor(request)
    partnership = partnership_for(actor, partnership_id, level="manage")
    invitation = accounts.partner_invite(actor=actor, partnership=partnership, email=payload.email)
    return Status(201, invitation)


CONTACTS_PATH = "/partnerships/{partnership_id}/contacts"
item_api(services.CONTACTS, router, CONTACTS_PATH, out=ContactOut, order=("id",))
item_api(services.NOTES, router, "/partnerships/{partnership_id}/notes", out=NoteOut, order=("id",))
