"""People pages: who sits where in a partnership, on both sides, and the focus page (the
workspace's active partnerships against its people's capacity)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.accounts import services as accounts
from tandem.accounts.models import Membership, Workspace
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.views import confirm_delete
from tandem.partners.models import Partnership
from tandem.relationship.people import selectors, services
from tandem.relationship.people.forms import CapacityForm, LimitForm, SeatForm
from tandem.relationship.people.models import Seat, Side
from tandem.relationship.people.services import SEATS

# --- Seats ----------------------------------------------------------------------------------


def _seat_context(
    request: TandemRequest, partnership: Partnership, form: SeatForm | None = None
) -> dict[str, Any]:
    actor = request.actor
    can_manage = actor.is_member(partnership.workspace_id)
    forms_by_side: dict[str, SeatForm] = {
        side: SeatForm(partnership=partnership, side=side, actor=actor)
        for side in (Side.OURS, Side.PARTNER)
    }
    if form is not None:
        forms_by_side[form.on_side] = form
    board = selectors.seat_board(actor, partnership)
    return {
        "partnership": partnership,
        "tab": "relationship",
        "subtab": "people",
        "can_manage": can_manage,
        "board": board,
        "form_ours": forms_by_side[Side.OURS] if can_manage else None,
        "form_theirs": forms_by_side[Side.PARTNER],
        "suggest_ours": selectors.SUGGESTED[Side.OURS]
        if can_manage and not board["ours_custom"]
        else [],
        "suggest_theirs": selectors.SUGGESTED[Side.PARTNER] if not board["theirs"] else [],
        "open_side": form.on_side if form is not None else "",
    }


@access("partnership")
def seat_list(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "people/seat_list.html", _seat_context(request, partnership))


@access("partnership")
@require_POST
def seat_create(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    actor = request.actor
    side = request.POST.get("side")
    if side not in Side.values:
        side = Side.PARTNER if not actor.is_member(partnership.workspace_id) else Side.OURS
    if side == Side.OURS and not actor.is_member(partnership.workspace_id):
        form = SeatForm.for_request(request, partnership, Side.PARTNER)
        form.is_valid()
        form.add_error(None, "You add and edit the seats on your side of the partnership.")
    else:
        form = SeatForm.for_request(request, partnership, side)
    if not form.errors and form.is_valid():
        seat = run_service(
            form,
            lambda: SEATS.create(actor=actor, partnership=partnership, side=side, **form.values()),
        )
        if seat is not None:
            messages.success(request, f"Seat added: {seat.role}.")
            return redirect(reverse("seat_list", args=[partnership.pk]) + f"#seat-{seat.pk}")
    context = _seat_context(request, partnership, form)
    return render(request, "people/seat_list.html", context, status=400)


@access("partnership")
def seat_edit(request: TandemRequest, partnership: Partnership, seat_id: str) -> HttpResponse:
    seat = selectors.seat_to_change(request.actor, partnership, seat_id)
    initial = {name: getattr(seat, name) for name in Seat.concurrency_fields}
    initial["version"] = seat.version
    form = SeatForm.for_request(request, partnership, seat.side, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {k: v for k, v in form.values().items() if k in Seat.concurrency_fields}
        if seat.side == Side.OURS:
            values.pop("contact", None)
        version = form.cleaned_data.get("version")
        saved = run_service(
            form, lambda: SEATS.update(seat, actor=request.actor, version=version, **values)
        )
        if saved is not None:
            messages.success(request, f"Seat saved: {seat.role}.")
            return redirect(reverse("seat_list", args=[partnership.pk]) + f"#seat-{seat.pk}")
    return render(
        request,
        "people/seat_form.html",
        {
            "form": form,
            "seat": seat,
            "partnership": partnership,
            "tab": "relationship",
            "subtab": "people",
            "can_manage": request.actor.is_member(partnership.workspace_id),
        },
        status=400 if request.method == "POST" else 200,
    )


@access("partnership")
def seat_delete(request: TandemRequest, partnership: Partnership, seat_id: str) -> HttpResponse:
    return confirm_delete(
        request,
        partnership=partnership,
        item=selectors.seat_to_change(request.actor, partnership, seat_id),
        label="seat",
        delete=services.seat_delete,
        back=reverse("seat_list", args=[partnership.pk]),
    )


# --- Focus ----------------------------------------------------------------------------------


def _focus_context(request: TandemRequest, workspace: Workspace) -> dict[str, Any]:
    actor = request.actor
    return {
        "focus": selectors.focus_for(workspace.pk),
        "is_admin": actor.is_admin(workspace.pk),
    }


@access("member")
def focus(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return render(request, "people/focus.html", _focus_context(request, workspace))


def _focus_error(
    request: TandemRequest, workspace: Workspace, form: forms.Form, what: str
) -> HttpResponse:
    context = _focus_context(request, workspace)
    context["error_form"] = form
    context["error_what"] = what
    return render(request, "people/focus.html", context, status=400)


@access("admin")
@require_POST
def focus_limit(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = LimitForm(request.POST)
    if form.is_valid():
        current = Workspace.objects.get(pk=workspace.pk)
        saved = run_service(
            form,
            lambda: accounts.workspace_limit_update(
                actor=request.actor,
                workspace=current,
                version=form.cleaned_data["version"],
                limit=form.cleaned_data["limit"],
            ),
        )
        if saved is not None:
            messages.success(
                request, f"The active partnership limit is now {form.cleaned_data['limit']}."
            )
            return redirect("focus")
    return _focus_error(request, workspace, form, "the active partnership limit")


@access("admin")
@require_POST
def focus_capacity(
    request: TandemRequest, workspace: Workspace, membership_id: str
) -> HttpResponse:
    membership = get_object_or_404(
        Membership.objects.filter(workspace_id=workspace.pk).select_related("user"),
        pk=parse_id(membership_id),
    )
    form = CapacityForm(request.POST)
    if form.is_valid():
        saved = run_service(
            form,
            lambda: accounts.membership_update(
                actor=request.actor,
                membership=membership,
                version=form.cleaned_data["version"],
                capacity_hours=form.cleaned_data["capacity_hours"],
            ),
        )
        if saved is not None:
            messages.success(
                request,
                f"{membership.user.get_full_name()} now has"
                f" {form.cleaned_data['capacity_hours'].normalize():f} h a week for partnerships.",
            )
            return redirect("focus")
    return _focus_error(request, workspace, form, f"{membership.user.get_full_name()}'s capacity")
