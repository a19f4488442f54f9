"""You, your workspaces and their members, over HTTP."""

from datetime import datetime
from typing import Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate

from tandem.accounts import services
from tandem.accounts.models import Membership, Workspace
from tandem.api.pagination import Pages
from tandem.api.schemas import Id, PersonOut
from tandem.core.access import Actor, actor_for
from tandem.partners.schemas import InvitationOut

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


class MemberOut(Schema):
    id: int
    user: PersonOut
    role: str
    created_at: datetime


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
