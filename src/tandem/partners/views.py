"""Partnership pages. Thin: they read through selectors and write through services."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from tandem.accounts import services as accounts
from tandem.core import exports
from tandem.core.decorators import access
from tandem.core.forms import ConfirmForm, ScopedItemForm, field_values, run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.item_pages import export_view
from tandem.core.items import ItemType
from tandem.core.scope import item_for
from tandem.core.views import confirm_delete, edit_item
from tandem.partners import selectors, services
from tandem.partners.forms import ContactForm, NoteForm, PartnerInviteForm, PartnershipForm
from tandem.partners.models import Partnership

# The partnership's own items, shown on its page: what they are (``services.CONTACTS`` …)
# and the form that edits one.
ITEM_KINDS: dict[str, tuple[ItemType[Any], type[ScopedItemForm]]] = {
    "contacts": (services.CONTACTS, ContactForm),
    "notes": (services.NOTES, NoteForm),
}


@access("member")
def partnership_create(request: TandemRequest, workspace: Any) -> HttpResponse:
    return _partnership_form(request, workspace.pk)


@access("partnership_manage")
def partnership_edit(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return _partnership_form(request, partnership.workspace_id, partnership)


def _partnership_form(
    request: TandemRequest, workspace_id: int, partnership: Partnership | None = None
) -> HttpResponse:
    """The new-partnership page, or the edit page of ``partnership``."""
    fields = services.EDITABLE_FIELDS
    if partnership is None:
        initial = {"owner": request.user.pk}
    else:
        initial = {name: getattr(partnership, name) for name in fields}
        initial["version"] = partnership.version
    form = PartnershipForm(request.POST or None, workspace_id=workspace_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = field_values(form, fields)
        version = form.cleaned_data.get("version")
        saved = run_service(
            form,
            lambda: (
                services.partnership_update(
                    actor=request.actor, partnership=partnership, version=version, **values
                )
                if partnership
                else services.partnership_create(
                    actor=request.actor, workspace_id=workspace_id, **values
                )
            ),
        )
        if saved is not None:
            said = "Changes saved." if partnership else f"{saved} was added to your portfolio."
            messages.success(request, said)
            return redirect("partnership_detail", saved.pk)
    context = {
        "form": form,
        "partnership": partnership,
        "title": f"Edit {partnership}" if partnership else "New partnership",
        # A move to active refused for want of a go: the way to record one.
        "diligence_url": reverse("diligence", args=[partnership.pk])
        if partnership is not None and form.is_bound and "stage" in form.errors
        else None,
    }
    return render(request, "partners/partnership_form.html", context)


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
        {
            "partnership": partnership,
            "page": Paginator(entries, 50).get_page(request.GET.get("page")),
        },
    )


# Who changed what, when: each entry as the page shows it to the reader.
ACTIVITY_COLUMNS = [
    exports.Column("When", lambda entry: entry.created_at),
    exports.Column("Who", lambda entry: entry.actor or "Tandem", related=("actor",)),
    exports.Column("Action", lambda entry: entry.action),
    exports.Column("Item", lambda entry: entry.target_label),
    exports.Column(
        "Changes",
        lambda entry: "; ".join(
            f"{row['field']}: {row['old']} → {row['new']}"
            if row["old"]
            else f"{row['field']}: {row['new']}"
            for row in entry.change_rows()
        ),
    ),
]


@access("partnership")
@require_GET
def partnership_activity_export(request: TandemRequest, partnership: Partnership) -> Any:
    entries = selectors.activity_for(request.actor, partnership).order_by("-created_at", "-id")
    return exports.download(request, partnership, "activity", ACTIVITY_COLUMNS, entries)


# The partnership's contacts and notes (on its overview), as the reader sees them.
contact_export = export_view(services.CONTACTS)
note_export = export_view(services.NOTES)


@access("partnership")
def item_create(request: TandemRequest, partnership: Partnership, kind: str) -> HttpResponse:
    item_type, form_class = ITEM_KINDS[kind]  # the URL's converter takes these kinds only
    form = form_class.for_request(request, partnership)
    if request.method == "POST" and form.is_valid():
        item = run_service(
            form,
            lambda: item_type.create(actor=request.actor, partnership=partnership, **form.values()),
        )
        if item is not None:
            messages.success(request, f"The {item_type.label} was added.")
            return redirect("partnership_detail", partnership.pk)
    return render(
        request,
        "partners/item_form.html",
        {"form": form, "partnership": partnership, "title": f"Add a {item_type.label}"},
    )


@access("partnership")
def item_edit(
    request: TandemRequest, partnership: Partnership, kind: str, item_id: str
) -> HttpResponse:
    item_type, form_class = ITEM_KINDS[kind]
    item = item_for(item_type.model.objects.all(), request.actor, partnership, item_id)
    response = edit_item(
        request,
        partnership=partnership,
        item=item,
        form_class=form_class,
        update=item_type.update,
        template="partners/item_form.html",
        back=_detail(partnership),
        label="Changes",
        context={"item": item, "kind": kind, "title": f"Edit {item_type.label}"},
    )
    if response.status_code == 400:  # these pages answer a refused edit as they always did
        response.status_code = 200
    return response


@access("partnership")
def item_delete(
    request: TandemRequest, partnership: Partnership, kind: str, item_id: str
) -> HttpResponse:
    item_type, _ = ITEM_KINDS[kind]
    return confirm_delete(
        request,
        partnership=partnership,
        item=item_for(item_type.model.objects.all(), request.actor, partnership, item_id),
        label=item_type.label,
        delete=item_type.remove,
        back=_detail(partnership),
    )


def _detail(partnership: Partnership, part: str = "") -> str:
    return reverse("partnership_detail", args=[partnership.pk]) + part


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
            return redirect(_detail(partnership, "#people"))
    for error in form.errors.values():
        messages.error(request, " ".join(map(str, error)))
    return redirect(_detail(partnership, "#people"))


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
    return redirect(_detail(partnership, "#people"))


@access("partnership_manage")
@require_POST
def partner_invitation_revoke(
    request: TandemRequest, partnership: Partnership, invitation_id: str
) -> HttpResponse:
    invitation = get_object_or_404(partnership.invitations.all(), pk=parse_id(invitation_id))
    accounts.invitation_revoke(actor=request.actor, invitation=invitation)
    messages.success(request, f"The invitation for {invitation.email} was withdrawn.")
    return redirect(_detail(partnership, "#people"))
