"""You, your workspaces and their members, over HTTP."""

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from tandem.accounts import services
from tandem.accounts.actors import actor_for
from tandem.accounts.models import Membership, Workspace
from tandem.accounts.schemas import InvitationOut
from tandem.core.access import Actor
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Hours, Id, PersonOut
from tandem.core.errors import InvalidInput

router = Router(tags=["Workspaces and members"])

RoleValue = Literal["owner", "admin", "member"]


class WorkspaceOut(Schema):
    id: int
    name: str
    slug: str
    role: str | None = None


class MeOut(Schema):
    id: int
    name: str
    email: str
    workspaces: list[WorkspaceOut]
    partner_partnership_ids: list[int]


LevelValue = Literal["executive", "manager", "ic"]


class MemberOut(Schema):
    id: int
    user: PersonOut
    role: str
    level: LevelValue = Field(description="executive, manager or ic (individual contributor)")
    capacity_hours: Decimal = Field(description="Weekly hours for partnerships")
    version: int
    created_at: datetime


class CapacityIn(Schema):
    version: int = Field(description="The member's version you read (from the members list)")
    level: LevelValue | None = None
    capacity_hours: Hours | None = None


class WorkspaceSettingsOut(Schema):
    id: int
    name: str
    slug: str
    active_partnership_limit: int = Field(
        description="How many active partnerships the workspace means to run at once"
    )
    version: int


class WorkspaceSettingsIn(Schema):
    version: int = Field(description="The workspace's version you read")
    active_partnership_limit: int = Field(ge=1, le=100)


class MemberInviteIn(Schema):
    email: str
    role: RoleValue = "member"


class RoleIn(Schema):
    role: RoleValue


def _actor(request: HttpRequest) -> Actor:
    return actor_for(request.auth)  # type: ignore[attr-defined]


def _workspace(actor: Actor, workspace_id: int, *, admin: bool = False) -> Workspace:
    if not actor.is_member(workspace_id):
        raise Http404
    actor.require(not admin or actor.is_admin(workspace_id))
    return Workspace.objects.get(pk=workspace_id)


def _membership(workspace: Workspace, membership_id: int) -> Membership:
    found = workspace.memberships.select_related("user").filter(pk=membership_id).first()
    if found is None:
        raise Http404
    return found


@router.get("/me", response=MeOut, openapi_extra={"x-access": "user"}, summary="Who you are")
def me(request: HttpRequest) -> Any:
    actor = _actor(request)
    user = actor.user
    workspaces = Workspace.objects.filter(pk__in=actor.workspace_ids)
    return {
        "id": user.pk,  # type: ignore[union-attr]
        "name": user.name,  # type: ignore[union-attr]
        "email": user.email,  # type: ignore[union-attr]
        "workspaces": [
            {"id": w.pk, "name": w.name, "slug": w.slug, "role": actor.roles[w.pk]}
            for w in workspaces
        ],
        "partner_partnership_ids": sorted(actor.partner_partnerships),
    }


@router.get(
    "/workspaces/{workspace_id}/members",
    response=list[MemberOut],
    openapi_extra={"x-access": "member"},
    summary="Members of a workspace",
)
@paginate(Pages)
def list_members(request: HttpRequest, workspace_id: Id) -> Any:
    workspace = _workspace(_actor(request), workspace_id)
    return workspace.memberships.select_related("user").order_by("id")


@router.post(
    "/workspaces/{workspace_id}/invitations",
    response={201: InvitationOut},
    openapi_extra={"x-access": "admin"},
    summary="Invite someone into the workspace",
)
def invite_member(request: HttpRequest, workspace_id: Id, payload: MemberInviteIn) -> Any:
    actor = _actor(request)
    workspace = _workspace(actor, workspace_id, admin=True)
    invitation = services.member_invite(
        actor=actor, workspace=workspace, email=payload.email, role=payload.role
    )
    return Status(201, invitation)


@router.patch(
    "/workspaces/{workspace_id}/members/{membership_id}",
    response=MemberOut,
    openapi_extra={"x-access": "admin"},
    summary="Change a member's role",
)
def change_role(request: HttpRequest, workspace_id: Id, membership_id: Id, payload: RoleIn) -> Any:
    actor = _actor(request)
    workspace = _workspace(actor, workspace_id, admin=True)
    return services.member_set_role(
        actor=actor, membership=_membership(workspace, membership_id), role=payload.role
    )


@router.delete(
    "/workspaces/{workspace_id}/members/{membership_id}",
    response={204: None},
    openapi_extra={"x-access": "admin"},
    summary="Remove a member",
)
def remove_member(request: HttpRequest, workspace_id: Id, membership_id: Id) -> Any:
    actor = _actor(request)
    workspace = _workspace(actor, workspace_id, admin=True)
    services.member_remove(actor=actor, membership=_membership(workspace, membership_id))
    return Status(204, None)


@router.get(
    "/workspaces/{workspace_id}",
    response=WorkspaceSettingsOut,
    openapi_extra={"x-access": "member"},
    summary="A workspace and its settings",
)
def get_workspace(request: HttpRequest, workspace_id: Id) -> Any:
    return _workspace(_actor(request), workspace_id)


@router.patch(
    "/workspaces/{workspace_id}",
    response=WorkspaceSettingsOut,
    openapi_extra={"x-access": "admin"},
    summary="Set how many active partnerships the workspace means to run at once",
)
def change_workspace(request: HttpRequest, workspace_id: Id, payload: WorkspaceSettingsIn) -> Any:
    actor = _actor(request)
    workspace = _workspace(actor, workspace_id, admin=True)
    return services.workspace_limit_update(
        actor=actor,
        workspace=workspace,
        version=payload.version,
        limit=payload.active_partnership_limit,
    )


@router.patch(
    "/workspaces/{workspace_id}/members/{membership_id}/capacity",
    response=MemberOut,
    openapi_extra={"x-access": "admin"},
    summary="Set a member's level or weekly hours for partnerships (the focus view)",
)
def change_capacity(
    request: HttpRequest, workspace_id: Id, membership_id: Id, payload: CapacityIn
) -> Any:
    actor = _actor(request)
    workspace = _workspace(actor, workspace_id, admin=True)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    if not changes:
        raise InvalidInput("Send level or capacity_hours: there is nothing else to change.")
    refuse_nulls(changes)
    return services.membership_update(
        actor=actor,
        membership=_membership(workspace, membership_id),
        version=payload.version,
        **changes,
    )
