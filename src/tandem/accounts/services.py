"""Workspaces, members, invitations and API tokens."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import TYPE_CHECKING

from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from tandem.accounts.actors import forget_actor
from tandem.accounts.models import (
    INVITATION_LIFETIME,
    ApiToken,
    Invitation,
    Membership,
    PartnerAccess,
    TokenAccess,
    User,
    Workspace,
    digest,
)
from tandem.core import services as core
from tandem.core import text
from tandem.core.access import Actor, Role
from tandem.core.errors import InvalidInput
from tandem.core.scope import partnership_model

if TYPE_CHECKING:
    from tandem.partners.models import Partnership

ROLE_VALUES = {Role.OWNER, Role.ADMIN, Role.MEMBER}


def workspace_create(*, user: User, name: str) -> Workspace:
    """A new workspace, owned by the person who created it."""
    name = text.line("name", name)
    if not name:
        raise InvalidInput("Name your workspace.", errors={"name": ["This field is required."]})
    base = slugify(name)[:50] or "workspace"
    with transaction.atomic():
        slug = base
        while Workspace.objects.filter(slug=slug).exists():
            slug = f"{base}-{secrets.token_hex(2)}"
        workspace = Workspace.objects.create(name=name[:120], slug=slug)
        Membership.objects.create(workspace=workspace, user=user, role=Role.OWNER)
    forget_actor(user)
    return workspace


def _normalise_email(email: str) -> str:
    email = (email or "").strip().lower()
    try:
        if len(email) > 254:
            raise ValidationError("too long")
        validate_email(email)
    except ValidationError as error:
        raise InvalidInput(
            "Enter a valid e-mail address.", errors={"email": ["Enter a valid e-mail address."]}
        ) from error
    return email


def _issue(invitation: Invitation) -> Invitation:
    invitation.token_digest = digest(Invitation.new_token())  # replaced when the mail is sent
    invitation.expires_at = timezone.now() + INVITATION_LIFETIME
    invitation.save()
    from tandem.accounts.tasks import send_invitation

    transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    return invitation


def member_invite(*, actor: Actor, workspace: Workspace, email: str, role: str) -> Invitation:
    """Invite someone into the workspace by e-mail. Admins invite; only owners make owners."""
    actor.require(actor.is_admin(workspace.pk))
    email = _normalise_email(email)
    if role not in ROLE_VALUES:
        raise InvalidInput("Choose a role.", errors={"role": ["Choose owner, admin or member."]})
    if role == Role.OWNER and not actor.is_owner(workspace.pk):
        raise InvalidInput(
            "Only an owner can invite another owner.", errors={"role": ["Choose admin or member."]}
        )
    if Membership.objects.filter(workspace=workspace, user__email__iexact=email).exists():
        raise InvalidInput(f"{email} is already a member.", errors={"email": ["Already a member."]})
    with transaction.atomic():
        Invitation.objects.pending().filter(
            workspace=workspace, partnership=None, email=email
        ).update(revoked_at=timezone.now())
        invitation = Invitation(workspace=workspace, email=email, role=role, invited_by=actor.user)
        core.clean(invitation, exclude=["token_digest", "expires_at"])
        _issue(invitation)
        core.record(actor=actor, verb="invited", target=invitation, changes={"role": ["", role]})
    return invitation


def partner_invite(*, actor: Actor, partnership: Partnership, email: str) -> Invitation:
    """Invite a partner-side person into one partnership. They will see its shared items."""
    actor.require(actor.is_member(partnership.workspace_id))
    email = _normalise_email(email)
    if partnership.is_archived:
        raise InvalidInput("This partnership is archived. Restore it to invite people.")
    if Membership.objects.filter(
        workspace_id=partnership.workspace_id, user__email__iexact=email
    ).exists():
        raise InvalidInput(
            f"{email} is a member of your workspace and already sees this partnership.",
            errors={"email": ["Already a member of your workspace."]},
        )
    if PartnerAccess.objects.filter(partnership=partnership, user__email__iexact=email).exists():
        raise InvalidInput(
            f"{email} already has access to this partnership.",
            errors={"email": ["Already has access."]},
        )
    with transaction.atomic():
        Invitation.objects.pending().filter(partnership=partnership, email=email).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation(
            workspace_id=partnership.workspace_id,
            partnership=partnership,
            email=email,
            role=Role.MEMBER,
            invited_by=actor.user,
        )
        core.clean(invitation, exclude=["token_digest", "expires_at"])
        _issue(invitation)
        core.record(actor=actor, verb="invited", target=invitation)
    return invitation


def invitation_by_token(token: str) -> Invitation | None:
    if not token or len(token) > 100:
        return None
    return (
        Invitation.objects.pending()
        .select_related("workspace", "partnership", "invited_by")
        .filter(token_digest=digest(token))
        .first()
    )


def invitation_accept(*, invitation: Invitation, user: User) -> None:
    """Join the workspace, or take a seat in the partnership, as the invitation says.

    The invitation is claimed first, with the conditions in the UPDATE itself, so a
    withdrawal or a second click that lands at the same moment cannot both succeed."""
    if user.email.lower() != invitation.email.lower():
        raise InvalidInput(
            f"This invitation is for {invitation.email}. Sign in with that address to accept it."
        )
    with transaction.atomic():
        claimed = (
            Invitation.objects.pending()
            .filter(pk=invitation.pk)
            .update(accepted_at=timezone.now(), accepted_by=user)
        )
        if not claimed:
            raise InvalidInput("This invitation is no longer valid: it was used or withdrawn.")
        if invitation.partnership_id:
            PartnerAccess.objects.get_or_create(
                partnership_id=invitation.partnership_id,
                user=user,
                defaults={"invited_by": invitation.invited_by},
            )
        else:
            Membership.objects.get_or_create(
                workspace_id=invitation.workspace_id,
                user=user,
                defaults={"role": invitation.role},
            )
        core.record(actor=Actor(user=user), verb="accepted an invitation as", target=invitation)
    forget_actor(user)


def invitation_revoke(*, actor: Actor, invitation: Invitation) -> None:
    if invitation.partnership_id:
        actor.require(actor.is_member(invitation.workspace_id))
    else:
        actor.require(actor.is_admin(invitation.workspace_id))
    with transaction.atomic():
        withdrawn = (
            Invitation.objects.pending().filter(pk=invitation.pk).update(revoked_at=timezone.now())
        )
        if not withdrawn:
            raise InvalidInput(f"The invitation for {invitation.email} was already used or closed.")
        core.record(actor=actor, verb="withdrew the invitation for", target=invitation)


def _lock_members(workspace_id: int, membership: Membership) -> tuple[Membership, int]:
    """Lock the member and every owner of the workspace; return the member as it is now and
    how many other owners there are. Two owners demoting each other at once queue here."""
    owners = list(
        Membership.objects.select_for_update()
        .filter(workspace_id=workspace_id, role=Role.OWNER)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    locked = Membership.objects.select_for_update().select_related("user").get(pk=membership.pk)
    return locked, len([pk for pk in owners if pk != locked.pk])


def member_set_role(*, actor: Actor, membership: Membership, role: str) -> Membership:
    workspace_id = membership.workspace_id
    actor.require(actor.is_admin(workspace_id))
    if role not in ROLE_VALUES:
        raise InvalidInput("Choose a role.", errors={"role": ["Choose owner, admin or member."]})
    with transaction.atomic():
        locked, other_owners = _lock_members(workspace_id, membership)
        if Role.OWNER in (role, locked.role) and not actor.is_owner(workspace_id):
            raise InvalidInput("Only an owner can make or unmake an owner.")
        if locked.role == Role.OWNER and role != Role.OWNER and not other_owners:
            raise InvalidInput("A workspace needs at least one owner.")
        old = locked.role
        Membership.objects.filter(pk=locked.pk).update(role=role)
        membership.role = role
        core.record(
            actor=actor,
            verb="changed the role of",
            target=membership,
            changes={"role": [old, role]},
        )
    forget_actor(membership.user)
    return membership


def membership_update(
    *, actor: Actor, membership: Membership, version: int | None, **changes: object
) -> Membership:
    """An admin sets a member's level or weekly capacity for partnerships (versioned)."""
    actor.require(actor.is_admin(membership.workspace_id))
    unknown = set(changes) - set(Membership.concurrency_fields)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    core.update(membership, actor=actor, version=version, changes=changes)  # type: ignore[arg-type]
    return membership


def workspace_limit_update(
    *, actor: Actor, workspace: Workspace, version: int | None, limit: int
) -> Workspace:
    """An admin sets how many active partnerships the workspace means to run at once."""
    actor.require(actor.is_admin(workspace.pk))
    core.update(
        workspace, actor=actor, version=version, changes={"active_partnership_limit": limit}
    )
    return workspace


def member_remove(*, actor: Actor, membership: Membership) -> None:
    """Remove a member. Their partnerships keep their history; ownership is cleared."""
    workspace_id = membership.workspace_id
    actor.require(actor.is_admin(workspace_id) or actor.user == membership.user)
    with transaction.atomic():
        locked, other_owners = _lock_members(workspace_id, membership)
        if locked.role == Role.OWNER and not actor.is_owner(workspace_id):
            raise InvalidInput("Only an owner can remove an owner.")
        if locked.role == Role.OWNER and not other_owners:
            raise InvalidInput("A workspace needs at least one owner. Name another owner first.")
        # partners sits above accounts: its model is reached by app label.
        partnerships = partnership_model().objects.filter(workspace_id=workspace_id)
        partnerships.filter(owner=locked.user).update(owner=None)
        partnerships.filter(sponsor=locked.user).update(sponsor=None)
        _empty_seats(workspace_id, locked.user_id, side="ours")
        core.record(actor=actor, verb="removed member", target=locked)
        locked.delete()
    forget_actor(membership.user)


def _empty_seats(
    workspace_id: int, user_id: int, *, side: str, partnership_id: int | None = None
) -> None:
    """Someone who leaves no longer sits in the seats they held: the seats stay, empty,
    for someone else to take (the people pages then say so). The caller records the
    change, which moves the workspace's data version; the partnerships' move here."""
    # The people app sits above accounts: its model is reached by app label.
    Seat = apps.get_model("people", "Seat")
    seats = Seat._default_manager.filter(workspace_id=workspace_id, user_id=user_id, side=side)
    if partnership_id is not None:
        seats = seats.filter(partnership_id=partnership_id)
    affected = set(seats.values_list("partnership_id", flat=True))
    seats.update(user=None, version=F("version") + 1)
    core.touch_partnerships(affected)


def partner_access_remove(*, actor: Actor, access: PartnerAccess) -> None:
    actor.require(actor.is_member(access.partnership.workspace_id))
    with transaction.atomic():
        core.record(
            actor=actor,
            verb="removed partner-side access to",
            target=access.partnership,
            changes={"person": [str(access.user), ""]},
        )
        _empty_seats(
            access.partnership.workspace_id,
            access.user_id,
            side="partner",
            partnership_id=access.partnership_id,
        )
        access.delete()


def token_create(
    *,
    user: User,
    name: str,
    access: str = TokenAccess.WRITE,
    expires_at: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new personal API token. The secret is returned once and never stored. A read-only
    token can only read; one with ``expires_at`` stops working then."""
    name = text.line("name", name)
    if not name:
        raise InvalidInput("Name the token.", errors={"name": ["This field is required."]})
    if len(name) > 80:
        raise InvalidInput("Name is too long.", errors={"name": ["At most 80 characters."]})
    if access not in TokenAccess.values:
        raise InvalidInput(
            "Choose read-only or read and write.",
            errors={"access": ["Choose read-only or read and write."]},
        )
    if expires_at is not None and expires_at <= timezone.now():
        raise InvalidInput(
            "Choose an expiry in the future.", errors={"expires": ["Choose a future date."]}
        )
    secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    for _attempt in range(3):
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    user=user,
                    name=name,
                    hint=secret[:10],
                    token_digest=digest(secret),
                    access=access,
                    expires_at=expires_at,
                )
            return token, secret
        except IntegrityError:  # pragma: no cover - a 256-bit collision
            secret = ApiToken.PREFIX + secrets.token_urlsafe(32)
    raise InvalidInput("Could not create a token; try again.")


def token_revoke(*, user: User, token: ApiToken) -> None:
    if token.user_id != user.pk:
        raise InvalidInput("Not your token.")
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )


def token_for_secret(secret: str) -> ApiToken | None:
    """The token a secret names, with its person, if it is not revoked and its person may
    sign in; expired or not (the caller refuses an expired one, saying so)."""
    if not secret or not secret.startswith(ApiToken.PREFIX) or len(secret) > 100:
        return None
    token = (
        ApiToken.objects.active()
        .select_related("user")
        .filter(token_digest=digest(secret), user__is_active=True)
        .first()
    )
    if token is None or token.is_expired:
        return token
    now = timezone.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
