"""Partnership pages. Thin: they read through selectors and write through services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.accounts import services as accounts
from tandem.accounts.models import Invitation, PartnerAccess
from tandem.core.decorators import access
from tandem.core.forms import field_values, run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.params import query_text
from tandem.core.scope import item_for
from tandem.core.views import confirm_delete
from tandem.meetings.schedule.selectors import (
    next_meeting,
    upcoming_meetings,
    viewer_zone,
)
from tandem.partners import selectors, services
from tandem.partners.forms import (
    ConfirmForm,
    ContactForm,
    NoteForm,
    PartnerInviteForm,
    PartnershipForm,
    PortfolioFilterForm,
)
from tandem.partners.models import Contact, Note, Partnership
from tandem.relationship.diligence.selectors import latest_decision
from tandem.web.relationship import relationship_signals

ITEM_KINDS: dict[str, dict[str, Any]] = {
    "contacts": {"model": Contact, "form": ContactForm, "label": "contact"},
    "notes": {"model": Note, "form": NoteForm, "label": "note"},
}


def _page(request: TandemRequest, queryset: Any, per_page: int | None = None) -> Any:
    return Paginator(queryset, per_page or settings.TANDEM_PAGE_SIZE).get_page(
        request.GET.get("page")
    )


@access("member")
def portfolio(request: TandemRequest, workspace: Any) -> HttpResponse:
    template = "partners/portfolio.html"
    if request.htmx:
        template += "#portfolio-results"
    return render(request, template, _portfolio_context(request, workspace))


def _portfolio_context(request: TandemRequest, workspace: Any) -> dict[str, Any]:
    q = query_text(request)  # refused when too long, as on every page's search box
    form = PortfolioFilterForm(request.GET or None, workspace_id=workspace.pk)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    partnerships = selectors.portfolio(
        request.actor,
        workspace_id=workspace.pk,
        stage=filters.get("stage") or "",
        horizon=filters.get("horizon") or "",
        kind=filters.get("kind") or "",
        owner=filters.get("owner"),
        q=q,
        sort=filters.get("sort") or "name",
        archived=bool(filters.get("archived")),
    )
    query = request.GET.copy()
    query.pop("page", None)
    upcoming = None
    if not request.htmx:
        upcoming = upcoming_meetings(
            request.actor,
            workspace_id=workspace.pk,
            viewer=viewer_zone(request),
        )
    return {
        "upcoming": upcoming,
        "form": form,
        "page": _page(request, partnerships),
        "query": query.urlencode(),
        "filtered": any(filters.get(key) for key in ("q", "stage", "horizon", "kind", "owner")),
        "archived": bool(filters.get("archived")),
    }


@access("member")
def partnership_create(request: TandemRequest, workspace: Any) -> HttpResponse:
    form = PartnershipForm(
        request.POST or None,
        workspace_id=workspace.pk,
        initial={"owner": request.user.pk},
    )
    if request.method == "POST" and form.is_valid():
        values = field_values(form, services.EDITABLE_FIELDS)
        values = {
            key: ("" if value is None and key == "website" else value)
            for key, value in values.items()
        }
        partnership = run_service(
            form,
            lambda: services.partnership_create(
                actor=request.actor,
                workspace_id=workspace.pk,
                **values,
            ),
        )
        if partnership is not None:
            messages.success(request, f"{partnership} was added to your portfolio.")
            return redirect("partnership_detail", partnership.pk)
    return render(
        request, "partners/partnership_form.html", {"form": form, "title": "New partnership"}
    )


@access("partnership")
def partnership_detail(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request, "partners/partnership_detail.html", _detail_context(request, partnership)
    )


def _detail_context(request: TandemRequest, partnership: Partnership) -> dict[str, Any]:
    actor = request.actor
    can_manage = actor.is_member(partnership.workspace_id)
    context: dict[str, Any] = {
        "partnership": partnership,
        "can_manage": can_manage,
        "contacts": Contact.objects.visible_to(actor).filter(partnership=partnership),
        "notes": Note.objects.visible_to(actor)
        .filter(partnership=partnership)
        .select_related("created_by")[:20],
        "activity": selectors.activity_for(actor, partnership)[:8],
        "stage_changes": partnership.stage_changes.select_related("changed_by")[:6],
        "next_meeting": next_meeting(partnership, viewer=viewer_zone(request)),
        "signals": relationship_signals(actor, partnership),
    }
    if can_manage:
        context["diligence"] = latest_decision(actor, partnership)
        context["partner_people"] = PartnerAccess.objects.filter(
            partnership=partnership
        ).select_related("user")
        context["pending_invitations"] = Invitation.objects.pending().filter(
            partnership=partnership
        )
        context["invite_form"] = PartnerInviteForm()
    return context


@access("partnership_manage")
def partnership_edit(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    initial = {name: getattr(partnership, name) for name in services.EDITABLE_FIELDS}
    initial["version"] = partnership.version
    form = PartnershipForm(
        request.POST or None, workspace_id=partnership.workspace_id, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        values = field_values(form, services.EDITABLE_FIELDS)
        values["website"] = values.get("website") or ""
        saved = run_service(
            form,
            lambda: services.partnership_update(
                actor=request.actor,
                partnership=partnership,
                version=form.cleaned_data.get("version"),
                **values,
            ),
        )
        if saved is not None:
            messages.success(request, "Changes saved.")
            return redirect("partnership_detail", partnership.pk)
    return render(
        request,
        "partners/partnership_form.html",
        {
            "form": form,
            "partnership": partnership,
            "title": f"Edit {partnership}",
            # A move to active refused for want of a go: the way to record one.
            "diligence_url": reverse("diligence", args=[partnership.pk])
            if form.is_bound and "stage" in form.errors
            else None,
        },
    )


def _archive(request: TandemRequest, partnership: Partnership, archived: bool) -> HttpResponse:
    form = ConfirmForm(request.POST or None, initial={"version": partnership.version})
    if request.method == "POST" and form.is_valid():
        done = run_service(
            form,
            lambda: services.partnership_archive(
                actor=request.actor,
                partnership=partnership,
                version=form.cleaned_data.get("version"),
                archived=archived,
            ),
        )
        if done is not None:
            if archived:
                messages.success(
                    request, f"{partnership} was archived. You can restore it from this page."
                )
            else:
                messages.success(request, f"{partnership} was restored to the portfolio.")
            return redirect("partnership_detail", partnership.pk)
    return render(
        request,
        "partners/partnership_archive.html",
        {"form": form, "partnership": partnership, "archiving": archived},
    )


@access("partnership_manage")
def partnership_archive(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return _archive(request, partnership, archived=True)


@access("partnership_manage")
def partnership_restore(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return _archive(request, partnership, archived=False)


@access("partnership")
def partnership_activity(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    entries = selectors.activity_for(request.actor, partnership)
    return render(
        request,
        "partners/partnership_activity.html",
        {"partnership": partnership, "page": _page(request, entries, per_page=50)},
    )


@access("partnership")
def item_create(request: TandemRequest, partnership: Partnership, kind: str) -> HttpResponse:
    spec = _kind(kind)
    actor = request.actor
    can_choose = actor.is_member(partnership.workspace_id)
    form = spec["form"](request.POST or None, can_choose_visibility=can_choose)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        item = run_service(
            form,
            lambda: services.item_create(
                spec["model"], actor=actor, partnership=partnership, **values
            ),
        )
        if item is not None:
            messages.success(request, f"The {spec['label']} was added.")
            return redirect("partnership_detail", partnership.pk)
    return render(
        request,
        "partners/item_form.html",
        {"form": form, "partnership": partnership, "title": f"Add a {spec['label']}"},
    )


@access("partnership")
def item_edit(
    request: TandemRequest, partnership: Partnership, kind: str, item_id: str
) -> HttpResponse:
    spec = _kind(kind)
    actor = request.actor
    item = item_for(spec["model"].objects.all(), actor, partnership, item_id)
    can_choose = actor.is_member(partnership.workspace_id)
    initial = {name: getattr(item, name) for name in spec["model"].concurrency_fields}
    initial["version"] = item.version
    form = spec["form"](request.POST or None, initial=initial, can_choose_visibility=can_choose)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        saved = run_service(
            form,
            lambda: services.item_update(
                item, actor=actor, version=form.cleaned_data.get("version"), **values
            ),
        )
        if saved is not None:
            messages.success(request, "Changes saved.")
            return redirect("partnership_detail", partnership.pk)
    return render(
        request,
        "partners/item_form.html",
        {
            "form": form,
            "partnership": partnership,
            "item": item,
            "kind": kind,
            "title": f"Edit {spec['label']}",
        },
    )


@access("partnership")
def item_delete(
    request: TandemRequest, partnership: Partnership, kind: str, item_id: str
) -> HttpResponse:
    spec = _kind(kind)
    item = item_for(spec["model"].objects.all(), request.actor, partnership, item_id)
    return confirm_delete(
        request,
        partnership=partnership,
        item=item,
        label=spec["label"],
        delete=services.item_delete,
        back=reverse("partnership_detail", args=[partnership.pk]),
    )


def _kind(kind: str) -> dict[str, Any]:
    if kind not in ITEM_KINDS:
        raise Http404("Not found.")
    return ITEM_KINDS[kind]


@access("partnership_manage")
@require_POST
def partner_invite(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    form = PartnerInviteForm(request.POST)
    if form.is_valid():
        invitation = run_service(
            form,
            lambda: accounts.partner_invite(
                actor=request.actor,
                partnership=partnership,
                email=form.cleaned_data["email"],
            ),
        )
        if invitation is not None:
            messages.success(
                request,
                f"Invitation sent to {invitation.email}. They will see this partnership's shared"
                " items only.",
            )
            return redirect(reverse("partnership_detail", args=[partnership.pk]) + "#people")
    for error in form.errors.values():
        messages.error(request, " ".join(error))
    return redirect(reverse("partnership_detail", args=[partnership.pk]) + "#people")


@access("partnership_manage")
@require_POST
def partner_access_remove(
    request: TandemRequest, partnership: Partnership, access_id: str
) -> HttpResponse:
    found = get_object_or_404(
        partnership.partner_accesses.select_related("user"), pk=parse_id(access_id)
    )
    accounts.partner_access_remove(actor=request.actor, access=found)
    messages.success(request, f"{found.user} no longer has access to {partnership}.")
    return redirect(reverse("partnership_detail", args=[partnership.pk]) + "#people")


@access("partnership_manage")
@require_POST
def partner_invitation_revoke(
    request: TandemRequest, partnership: Partnership, invitation_id: str
) -> HttpResponse:
    invitation = get_object_or_404(partnership.invitations.all(), pk=parse_id(invitation_id))
    accounts.invitation_revoke(actor=request.actor, invitation=invitation)
    messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    return redirect(reverse("partnership_detail", args=[partnership.pk]) + "#people")
