"""The pages every item type shares: edit one in a form of its versioned fields, and
confirm before deleting one; and what every page of a partnership (or of the program) puts
in its context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.errors import DomainError
from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope


def page_context(
    request: TandemRequest, scope: Scope, tab: tuple[str, str], **more: Any
) -> dict[str, Any]:
    """What a page of ``scope`` shows around its content: the partnership (or program), where
    it sits (``tab``: the tab and sub-tab), whether the reader manages it; then ``more``."""
    return {
        "partnership": scope,
        "tab": tab[0],
        "subtab": tab[1],
        "can_manage": request.actor.is_member(scope.workspace_id),
        **more,
    }


def refusal(error: DomainError) -> str:
    """A service's refusal as one message for the page: what it says of each field, or its
    detail when it names none."""
    said = [message for found in error.errors.values() for message in found]
    return " ".join(said) or error.detail


def one_click(
    request: TandemRequest,
    change: Callable[[int | None], Any],
    *,
    done: str,
    then: str,
    back: str | None = None,
    conflict: str | None = None,
    refused: Callable[[], HttpResponse] | None = None,
    failed: str = "That did not work.",
) -> HttpResponse:
    """A button's one change to one item, naming the version the person saw (a
    ``ConfirmForm``): ``change(version)`` calls the service, then ``done`` is said and the
    person goes on to ``then`` (a URL). Refused (a bad form, the service's refusal), its reason
    (or ``failed``) is said and they go ``back`` (a URL; ``then`` unless given); ``conflict``:
    what is said instead when the item changed meanwhile; ``refused()``: the page to answer
    instead of going back (after the reason, if there is one)."""
    form = ConfirmForm(request.POST)
    if form.is_valid() and run_service(
        form, lambda: change(form.cleaned_data.get("version")) or True
    ):
        messages.success(request, done)
        return redirect(then)
    if form.conflict is not None and conflict is not None:
        messages.error(request, conflict)
        return redirect(back or then)
    reason = " ".join(map(str, form.non_field_errors()))
    if refused is not None:
        if reason:
            messages.error(request, reason)
        return refused()
    messages.error(request, reason or failed)
    return redirect(back or then)


def confirm_delete(
    request: TandemRequest,
    *,
    partnership: Scope,
    item: Any,
    label: str,
    delete: Any,
    back: str,
) -> HttpResponse:
    """Ask before deleting one item of a partnership; delete it (checking the version the
    person saw) when they confirm, then go ``back``."""
    form = ConfirmForm(request.POST or None, initial={"version": item.version})
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        if run_service(form, lambda: delete(item, actor=request.actor, version=version) or True):
            messages.success(request, f"The {label} “{item}” was deleted.")
            return redirect(back)
    return render(
        request,
        "core/item_delete.html",
        {"form": form, "partnership": partnership, "item": item, "label": label, "cancel": back},
    )


def edit_item(
    request: TandemRequest,
    *,
    partnership: Scope,
    item: Any,
    form_class: Any,
    update: Any,
    template: str,
    back: str | Any,
    label: str,
    context: dict[str, Any] | None = None,
    form_options: dict[str, Any] | None = None,
    saved: Callable[[Any], str] | None = None,
) -> HttpResponse:
    """Edit one item of a partnership (or of the program) in a form of its versioned fields:
    save through ``update`` (which checks the version), then go ``back`` (a URL, or a
    function of nothing that gives it once saved); a refusal or a
    conflict shows the form again, with the reason, as a 400. ``form_options``: what else
    the form is built with (``side=``); ``saved(item)``: what a save says (else "<label>
    saved.")."""
    fields = type(item).concurrency_fields
    initial = {name: getattr(item, name) for name in fields}
    initial["version"] = item.version
    form = form_class.for_request(request, partnership, initial=initial, **(form_options or {}))
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.values().items() if name in fields}
        version = form.cleaned_data.get("version")
        done = run_service(
            form,
            lambda: update(item, actor=request.actor, version=version, **values),
        )
        if done is not None:
            messages.success(request, saved(item) if saved else f"{label} saved.")
            return redirect(back() if callable(back) else back)
    return render(
        request,
        template,
        {
            "form": form,
            "partnership": partnership,
            "can_manage": request.actor.is_member(partnership.workspace_id),
            **(context or {}),
        },
        status=400 if request.method == "POST" else 200,
    )
