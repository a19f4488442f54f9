"""You, your workspaces and their members, over HTTP."""

from datetime import datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.http import Http404, HttpRequest
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import Field

from tandem.accounts import services
from tandem.accounts.actors import actor_for
from tandem.accounts.models import ApiToken, Membership, Workspace
from tandem.accounts.schemas import InvitationOut
from tandem.core.access import Actor
from tandem.core.api.items import operation
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.schemas import Hours, Id, PersonOut
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest

if TYPE_CHECKING:
    from tandem.partners.models import Partnership

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


# --- Invitations and partner-side access: what the members and partnership pages do -------


@router.get(
    "/workspaces/{workspace_id}/invitations",
    response=list[InvitationOut],
    openapi_extra={"x-access": "member"},
    summary="Pending invitations into the workspace",
    description="Invitations sent and not yet accepted, withdrawn or expired, newest first."
    " Invitations into one partnership are listed under that partnership.",
)
@paginate(Pages)
def list_invitations(request: HttpRequest, workspace_id: Id) -> Any:
    workspace = _workspace(_actor(request), workspace_id)
    return workspace.invitations.pending().filter(partnership=None).order_by("-created_at", "-id")


@router.delete(
    "/workspaces/{workspace_id}/invitations/{invitation_id}",
    response={204: None},
    openapi_extra={"x-access": "admin"},
    summary="Withdraw an invitation into the workspace",
    description="The link in the invitation stops working at once. An invitation already"
    " accepted, withdrawn or expired cannot be withdrawn (400).",
)
def withdraw_invitation(request: HttpRequest, workspace_id: Id, invitation_id: Id) -> Any:
    actor = _actor(request)
    workspace = _workspace(actor, workspace_id, admin=True)
    invitation = workspace.invitations.filter(partnership=None, pk=invitation_id).first()
    if invitation is None:
        raise Http404
    services.invitation_revoke(actor=actor, invitation=invitation)
    return Status(204, None)


class PartnerAccessOut(Schema):
    id: int
    user: PersonOut = Field(description="The partner-side person")
    invited_by: PersonOut | None = Field(description="Who invited them, if still known")
    created_at: datetime


class PartnerSideOut(Schema):
    people: list[PartnerAccessOut] = Field(description="Who from the partner's side can sign in")
    pending_invitations: list[InvitationOut] = Field(
        description="Who is invited and has not yet accepted, newest first"
    )


# The pending invitations are listed here, beside the people: the invitations' own path
# (POST, invite) belongs to the partners app's router, and ninja answers a path from one
# router only.
PARTNER_PEOPLE = "/partnerships/{partnership_id}/people"
PARTNER_INVITATIONS = "/partnerships/{partnership_id}/invitations"


@operation(router, "get", PARTNER_PEOPLE, level="partnership_manage", response=PartnerSideOut)
def partner_side(request: TandemRequest, partnership: "Partnership") -> Any:
    """Partner-side access: who can sign in and who is invited

    The people from the partner's side who can sign in (each sees the partnership's shared
    items only) and the invitations still pending, as the partnership page shows them.
    Workspace members are not listed: they see the partnership as members."""
    return {
        "people": list(
            partnership.partner_accesses.select_related("user", "invited_by").order_by("id")
        ),
        "pending_invitations": list(
            partnership.invitations.pending().order_by("-created_at", "-id")
        ),
    }


@operation(
    router,
    "delete",
    f"{PARTNER_PEOPLE}/{{access_id}}",
    level="partnership_manage",
    item="access_id",
    response={204: None},
)
def remove_partner_person(request: TandemRequest, partnership: "Partnership", item_id: int) -> Any:
    """Remove a partner-side person's access to this partnership

    They no longer see anything of it from their next request; the seats they held on the
    partner side stay, empty. Their account and their past contributions remain."""
    found = partnership.partner_accesses.select_related("user", "partnership").filter(pk=item_id)
    access = found.first()
    if access is None:
        raise Http404
    services.partner_access_remove(actor=request.actor, access=access)
    return Status(204, None)


@operation(
    router,
    "delete",
    f"{PARTNER_INVITATIONS}/{{invitation_id}}",
    level="partnership_manage",
    item="invitation_id",
    response={204: None},
)
def withdraw_partner_invitation(
    request: TandemRequest, partnership: "Partnership", item_id: int
) -> Any:
    """Withdraw an invitation into this partnership

    The link in the invitation stops working at once. An invitation already accepted,
    withdrawn or expired cannot be withdrawn (400)."""
    invitation = partnership.invitations.filter(pk=item_id).first()
    if invitation is None:
        raise Http404
    services.invitation_revoke(actor=request.actor, invitation=invitation)
    return Status(204, None)


# --- Your API tokens ---------------------------------------------------------------------


class TokenOut(Schema):
    id: int
    name: str
    hint: str = Field(description="The secret's first characters, to recognise it")
    access: Literal["read", "write"] = Field(description="read: read-only; write: read and write")
    expires_at: datetime | None = Field(description="When it stops working; null: never")
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


@router.get(
    "/me/tokens",
    response=list[TokenOut],
    openapi_extra={"x-access": "user"},
    summary="Your API tokens",
    description="Every personal API token you made, revoked ones too, newest first; never"
    " their secrets. New tokens are made under Settings → API tokens, where the secret is"
    " shown once: a token cannot make another.",
)
@paginate(Pages)
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=_actor(request).user).order_by("-created_at", "-id")


@router.delete(
    "/me/tokens/{token_id}",
    response={204: None},
    openapi_extra={"x-access": "user"},
    summary="Revoke one of your API tokens",
    description="It stops working at once, for every tool that uses it. Revoking a revoked"
    " token changes nothing.",
)
def revoke_token(request: HttpRequest, token_id: Id) -> Any:
    user = _actor(request).user
    token = ApiToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise Http404
    services.token_revoke(user=user, token=token)  # type: ignore[arg-type]
    return Status(204, None)
