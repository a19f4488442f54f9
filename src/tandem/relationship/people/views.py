"""People pages: who sits where in a partnership, on both sides, and the focus page (the
workspace's active partnerships against its people's capacity)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
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
from tandem.core.views import confirm_delete, edit_item, page_context
from tandem.partners.models import Partnership
from tandem.relationship.people import selectors
from tandem.relationship.people.forms import CapacityForm, LimitForm, SeatForm
from tandem.relationship.people.models import Side
from tandem.relationship.people.services import SEATS

# --- Seats ----------------------------------------------------------------------------------

TAB = ("relationship", "people")
# The focus page lists the first 25 active partnerships of each horizon and the first 5 of
# each owner's (the counts and hours are of them all; the portfolio lists the rest).
FOCUS_SHOWN, FOCUS_PER_OWNER = 25, 5


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
    return page_context(
        request,
        partnership,
        TAB,
        board=board,
        form_ours=forms_by_side[Side.OURS] if can_manage else None,
        form_theirs=forms_by_side[Side.PARTNER],
        suggest_ours=selectors.SUGGESTED[Side.OURS]
        if can_manage and not board["ours_custom"]
        else [],
        suggest_theirs=selectors.SUGGESTED[Side.PARTNER] if not board["theirs"] else [],
        open_side=form.on_side if form is not None else "",
    )


@access("partnership")
def seat_list(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(request, "people/seat_list.html", _seat_context(request, partnership))


@access("partnership")
@require_POST
def seat_create(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    member = request.actor.is_member(partnership.workspace_id)
    asked = request.POST.get("side")
    # A side not named is the asker's own; partner-side people add to the partner side only.
    side = (asked if asked in Side.values else Side.OURS) if member else Side.PARTNER
    form = SeatForm.for_request(request, partnership, side=side, actor=request.actor)
    if asked == Side.OURS and not member:
        form.add_error(None, "You add and edit the seats on your side of the partnership.")
    if form.is_valid():
        seat = run_service(
            form,
            lambda: SEATS.create(
                actor=request.actor, partnership=partnership, side=side, **form.values()
            ),
        )
        if seat is not None:
            messages.success(request, f"Seat added: {seat.role}.")
            return redirect(reverse("seat_list", args=[partnership.pk]) + f"#seat-{seat.pk}")
    context = _seat_context(request, partnership, form)
    return render(request, "people/seat_list.html", context, status=400)


@access("partnership")
def seat_edit(request: TandemRequest, partnership: Partnership, seat_id: str) -> HttpResponse:
    seat = selectors.seat_to_change(request.actor, partnership, seat_id)
    return edit_item(
        request,
        partnership=partnership,
        item=seat,
        form_class=SeatForm,
        form_options={"side": seat.side, "actor": request.actor},
        update=SEATS.update,
        template="people/seat_form.html",
        back=reverse("seat_list", args=[partnership.pk]) + f"#seat-{seat.pk}",
        label="Seat",
        saved=lambda seat: f"Seat saved: {seat.role}.",
        context={"seat": seat, "tab": TAB[0], "subtab": TAB[1]},
    )


@access("partnership")
def seat_delete(request: TandemRequest, partnership: Partnership, seat_id: str) -> HttpResponse:
    return confirm_delete(
        request,
        partnership=partnership,
        item=selectors.seat_to_change(request.actor, partnership, seat_id),
        label="seat",
        delete=SEATS.remove,
        back=reverse("seat_list", args=[partnership.pk]),
    )


# --- Focus ----------------------------------------------------------------------------------


@access("member")
def focus(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    return _focus_page(request, workspace)


def _focus_page(
    request: TandemRequest, workspace: Workspace, status: int = 200, **context: Any
) -> HttpResponse:
    context["focus"] = selectors.focus_for(
        workspace.pk, shown=FOCUS_SHOWN, per_owner=FOCUS_PER_OWNER
    )
    context["is_admin"] = request.actor.is_admin(workspace.pk)
    return render(request, "people/focus.html", context, status=status)


def _saved(request: TandemRequest, form: forms.Form, save: Callable[..., object]) -> bool:
    """Whether ``form`` is valid and ``save`` (a service, given the actor and the form's
    values by name: the version and the new figure) took it; a refusal lands on the form."""
    return form.is_valid() and (
        run_service(form, lambda: save(actor=request.actor, **form.cleaned_data)) is not None
    )


@access("admin")
@require_POST
def focus_limit(request: TandemRequest, workspace: Workspace) -> HttpResponse:
    form = LimitForm(request.POST)
    current = Workspace.objects.get(pk=workspace.pk)
    if _saved(request, form, partial(accounts.workspace_limit_update, workspace=current)):
        limit = form.cleaned_data["limit"]
        messages.success(request, f"The active partnership limit is now {limit}.")
        return redirect("focus")
    what = "the active partnership limit"
    return _focus_page(request, workspace, 400, error_form=form, error_what=what)


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
    name = membership.user.get_full_name()
    if _saved(request, form, partial(accounts.membership_update, membership=membership)):
        hours = form.cleaned_data["capacity_hours"].normalize()
        messages.success(request, f"{name} now has {hours:f} h a week for partnerships.")
        return redirect("focus")
    return _focus_page(request, workspace, 400, error_form=form, error_what=f"{name}'s capacity")
