"""The pages every item type shares: edit one in a form of its versioned fields, and
confirm before deleting one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render

from tandem.core.forms import ConfirmForm, run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope


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
) -> HttpResponse:
    """Edit one item of a partnership (or of the program) in a form of its versioned fields:
    save through ``update`` (which checks the version), then go ``back`` (a URL, or a
    function of nothing that gives it once saved); a refusal or a
    conflict shows the form again, with the reason, as a 400."""
    fields = type(item).concurrency_fields
    initial = {name: getattr(item, name) for name in fields}
    initial["version"] = item.version
    form = form_class.for_request(request, partnership, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: value for name, value in form.values().items() if name in fields}
        version = form.cleaned_data.get("version")
        saved = run_service(
            form,
            lambda: update(item, actor=request.actor, version=version, **values),
        )
        if saved is not None:
            messages.success(request, f"{label} saved.")
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
