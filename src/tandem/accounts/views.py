"""Members, invitations, API tokens and the workspace switcher."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import login
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tandem.accounts import services
from tandem.accounts.forms import (
    AcceptSignupForm,
    LevelForm,
    MemberInviteForm,
    RoleForm,
    TokenForm,
)
from tandem.accounts.models import ApiToken, Invitation, Membership, User, Workspace
from tandem.core.decorators import access
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.middleware import SESSION_WORKSPACE


def _membership(workspace: Workspace, membership_id: str) -> Membership:
    return get_object_or_404(
        workspace.memberships.select_related("user"), pk=parse_id(membership_id)
    )


def _members_page(
    request: TandemRequest, workspace: Workspace, form: MemberInviteForm
) -> HttpResponse:
    actor = request.actor
    return render(
        request,
        "accounts/members.html",
        {
            "workspace": workspace,
            "memberships": workspace.memberships.select_related("user"),
            "invitations": workspace.invitations.pending()
            .filter(partnership=None)
            .select_related("invited_by"),
            "form": form,
            "is_admin": actor.is_admin(workspace.pk),
            "role_choices": Membership._meta.get_field("role").choices,
            "level_choices": Membership._meta.get_field("level").choices,
        },
        status=400 if form.errors else 200,
    )


@access("member")
def members(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return _members_page(request, workspace, MemberInviteForm())


@access("admin")
@require_POST
def member_invite(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = MemberInviteForm(request.POST)
    if form.is_valid():
        invitation = run_service(
            form,
            lambda: services.member_invite(
                actor=request.actor,
                workspace=workspace,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            ),
        )
        if invitation is not None:
            messages.success(request, f"Invitation sent to {invitation.email}.")
            return redirect("members")
    return _members_page(request, workspace, form)


@access("admin")
@require_POST
def member_role(request: TandemRequest, workspace: Workspace, membership_id: str) -> HttpResponse:
    membership = _membership(workspace, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose owner, admin or member.")
        return redirect("members")
    try:
        services.member_set_role(
            actor=request.actor,
            membership=membership,
            role=form.cleaned_data["role"],
        )
    except InvalidInput as error:
        messages.error(request, error.detail)
    else:
        messages.success(request, f"{membership.user} is now {membership.get_role_display()}.")
    return redirect("members")


@access("admin")
@require_POST
def member_level(request: TandemRequest, workspace: Workspace, membership_id: str) -> HttpResponse:
    """How senior a member is (seed 001: the focus and people pages warn when a senior
    manager runs a tactical partnership day to day)."""
    membership = _membership(workspace, membership_id)
    form = LevelForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose executive, manager or individual contributor.")
        return redirect("members")
    try:
        services.membership_update(
            actor=request.actor,
            membership=membership,
            version=form.cleaned_data["version"],
            level=form.cleaned_data["level"],
        )
    except InvalidInput as error:
        messages.error(request, error.detail)
    except Conflict:
        messages.error(
            request,
            f"Someone changed {membership.user}'s level or capacity meanwhile: check it and"
            " choose again.",
        )
    else:
        messages.success(
            request, f"{membership.user} is now listed as {membership.get_level_display()}."
        )
    return redirect("members")


@access("admin")
def member_remove(request: TandemRequest, workspace: Workspace, membership_id: str) -> HttpResponse:
    membership = _membership(workspace, membership_id)
    if request.method == "POST":
        try:
            services.member_remove(actor=request.actor, membership=membership)
        except InvalidInput as error:
            messages.error(request, error.detail)
        else:
            messages.success(request, f"{membership.user} was removed from {workspace}.")
        return redirect("members")
    return render(
        request, "accounts/member_remove.html", {"membership": membership, "workspace": workspace}
    )


@access("admin")
@require_POST
def invitation_revoke(
    request: TandemRequest, workspace: Workspace, invitation_id: str
) -> HttpResponse:
    invitation = get_object_or_404(
        workspace.invitations.filter(partnership=None), pk=parse_id(invitation_id)
    )
    services.invitation_revoke(actor=request.actor, invitation=invitation)
    messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    return redirect("members")


@access("public")
@never_cache
def invitation_accept(request: TandemRequest, token: str) -> HttpResponse:
    """Open an invitation link: accept it signed in, or create the account it names."""
    invitation = services.invitation_by_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    user: Any = request.user
    existing = User.objects.filter(email__iexact=invitation.email).first()
    context: dict[str, Any] = {"invitation": invitation, "existing": existing}
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            context["wrong_user"] = True
            return render(request, "accounts/invitation_accept.html", context)
        if request.method == "POST":
            services.invitation_accept(invitation=invitation, user=user)
            _mark_email_verified(user)
            return _after_accept(request, invitation)
        return render(request, "accounts/invitation_accept.html", context)
    if existing is not None:
        return render(request, "accounts/invitation_accept.html", context)
    form = AcceptSignupForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                user = User.objects.create_user(
                    email=invitation.email,
                    password=form.cleaned_data["password"],
                    name=form.cleaned_data["name"].strip(),
                )
                _mark_email_verified(user)
                services.invitation_accept(invitation=invitation, user=user)
        except IntegrityError:
            # The same form sent twice: the first one made the account.
            messages.info(request, "Your account exists already. Sign in to continue.")
            return redirect("account_login")
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        return _after_accept(request, invitation)
    context["form"] = form
    return render(request, "accounts/invitation_accept.html", context)


def _mark_email_verified(user: User) -> None:
    """They opened a link sent to this address, so the address is theirs."""
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


def _after_accept(request: TandemRequest, invitation: Invitation) -> HttpResponse:
    if invitation.partnership_id:
        messages.success(request, f"Welcome to the {invitation.partnership} partnership.")
        return redirect("partnership_detail", invitation.partnership_id)
    request.session[SESSION_WORKSPACE] = invitation.workspace_id
    messages.success(request, f"Welcome to {invitation.workspace}.")
    return redirect("home")


@access("user")
@never_cache
def tokens(request: TandemRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    form = TokenForm(request.POST or None, user=user)
    created: ApiToken | None = None
    created_secret = None
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form,
            lambda: services.token_create(
                user=user,
                name=form.cleaned_data["name"],
                access=form.cleaned_data["access"],
                expires_at=form.cleaned_data["expires_at"],
            ),
        )
        if result is not None:
            created, created_secret = result
            form = TokenForm(user=user)
    return render(
        request,
        "accounts/tokens.html",
        {
            "form": form,
            "tokens": ApiToken.objects.filter(user=user),
            "created": created,
            "created_secret": created_secret,
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@access("user")
@require_POST
def token_revoke(request: TandemRequest, token_id: str) -> HttpResponse:
    token = get_object_or_404(ApiToken.objects.filter(user=request.user), pk=parse_id(token_id))  # type: ignore[misc]
    services.token_revoke(user=request.user, token=token)  # type: ignore[arg-type]
    messages.success(request, f"The token “{token.name}” was revoked. It no longer works.")
    return redirect("tokens")


@access("user")
@require_POST
def workspace_switch(request: TandemRequest, workspace_id: str) -> HttpResponse:
    actor = request.actor
    if not actor.is_member(parse_id(workspace_id)):
        raise Http404("Not found, or you don't have access to it.")
    request.session[SESSION_WORKSPACE] = parse_id(workspace_id)
    return redirect("home")
