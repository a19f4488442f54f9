"""The pages of an item type, from its declaration: the list, add, edit and delete.

``item_urls(kind)`` gives the URL patterns to mount under ``/partnerships/<id>/<things>/``:
``<name>_list``, ``<name>_create``, ``<name>_edit`` and ``<name>_delete``, each with the access
level the declaration states (``@access`` enforces it and the access test reads it), and
``<name>_export`` (``export/?format=csv|xlsx``: the list as a file, as its reader sees it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET

from tandem.core import exports
from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.items import MANAGE, ItemType
from tandem.core.scope import Scope, item_for
from tandem.core.views import confirm_delete, edit_item

Context = Callable[[TandemRequest, Scope, Any], dict[str, Any]]
Rows = Callable[[TandemRequest, Scope], Any]


def export_view(
    kind: ItemType[Any],
    *,
    columns: list[exports.Column] | None = None,
    rows: Rows | None = None,
    list_name: str = "",
) -> Callable[..., Any]:
    """The page ``<things>/export/?format=csv|xlsx``: ``kind``'s list in the scope as the
    reader may see it (the list page's access), done and closed items too. ``columns``:
    instead of the model's (``exports.item_columns``); ``rows(request, scope)``: the list's
    own selector, when it is not every visible item of the scope."""
    chosen = columns if columns is not None else exports.item_columns(kind.model)

    @access("partnership", program=kind.program)
    @require_GET
    def export(request: TandemRequest, partnership: Scope) -> Any:  # a file, often streamed
        if rows is not None:
            queryset = rows(request, partnership)
        else:
            queryset = kind.model.objects.visible_to(request.actor).in_scope(partnership)
            queryset = queryset.order_by("id")
        return exports.download(request, partnership, list_name or kind.plural, chosen, queryset)

    export.__name__ = f"{kind.name}_export"
    return export


def item_views(
    kind: ItemType[Any],
    *,
    app: str,
    context: Context,
    tab: tuple[str, str] = ("", ""),
    created: Callable[[Any], str] | None = None,
    edit_context: Callable[[TandemRequest, Any], dict[str, Any]] | None = None,
    back: Callable[[Scope, Any], str] | None = None,
    initial: Callable[[TandemRequest, Scope], dict[str, Any]] | None = None,
) -> dict[str, Callable[..., HttpResponse]]:
    """The four views of ``kind``, by URL name. Templates: ``<app>/<name>_list.html`` (with
    ``context(request, scope, form)``: the add form fresh, or as it was refused) and
    ``<app>/<name>_form.html``; ``tab``: where the pages sit; ``created``: what an add says;
    ``edit_context(request, item)``: what else the edit page shows (read through the actor);
    ``back(scope, item)``: where the pages return to (the list, unless it says);
    ``initial(request, scope)``: the add form's starting values (e.g. from the query)."""
    create_level = MANAGE if kind.change == MANAGE else "partnership"
    key = f"{kind.name}_id"
    list_template = f"{app}/{kind.name}_list.html"

    def back_to(scope: Scope, item: Any) -> str:
        return back(scope, item) if back else reverse(f"{kind.name}_list", args=[scope.pk])

    def add_form(request: TandemRequest, scope: Scope) -> Any:
        starting = {"initial": initial(request, scope)} if initial else {}
        return kind.form.for_request(request, scope, **starting)  # type: ignore[union-attr]

    def list_page(request: TandemRequest, scope: Scope, form: Any = None) -> dict[str, Any]:
        return context(request, scope, form or add_form(request, scope))

    @access("partnership", program=kind.program)
    def list_view(request: TandemRequest, partnership: Scope) -> HttpResponse:
        return render(request, list_template, list_page(request, partnership))

    @access(create_level, program=kind.program)
    def create_view(request: TandemRequest, partnership: Scope) -> HttpResponse:
        form = add_form(request, partnership)
        if request.method == "POST" and form.is_valid():
            item = run_service(
                form,
                lambda: kind.create(actor=request.actor, partnership=partnership, **form.values()),
            )
            if item is not None:
                said = created(item) if created else f"{kind.title} added: {item}."
                messages.success(request, said)
                return redirect(back_to(partnership, item))
        return render(
            request,
            list_template,
            list_page(request, partnership, form),
            status=400 if request.method == "POST" else 200,
        )

    def changeable(request: TandemRequest, partnership: Scope, ids: dict[str, str]) -> Any:
        found = item_for(kind.model.objects.all(), request.actor, partnership, ids[key])
        if kind.may_change is not None:
            request.actor.require(kind.may_change(request.actor, found))
        return found

    @access(kind.change, program=kind.program)
    def edit_view(request: TandemRequest, partnership: Scope, **ids: str) -> HttpResponse:
        item = changeable(request, partnership, ids)
        tab_name, subtab = tab
        return edit_item(
            request,
            partnership=partnership,
            item=item,
            form_class=kind.form,
            update=kind.update,
            template=f"{app}/{kind.name}_form.html",
            back=lambda: back_to(partnership, item),  # where it is once saved
            label=kind.title,
            context={
                kind.name: item,
                "tab": tab_name,
                "subtab": subtab,
                **(edit_context(request, item) if edit_context else {}),
            },
        )

    @access(kind.delete, program=kind.program)
    def delete_view(request: TandemRequest, partnership: Scope, **ids: str) -> HttpResponse:
        item = changeable(request, partnership, ids)
        return confirm_delete(
            request,
            partnership=partnership,
            item=item,
            label=kind.label,
            delete=kind.remove,
            back=back_to(partnership, item),
        )

    return {
        f"{kind.name}_list": list_view,
        f"{kind.name}_create": create_view,
        f"{kind.name}_edit": edit_view,
        f"{kind.name}_delete": delete_view,
    }


def item_urls(
    kind: ItemType[Any],
    *,
    list_view: Any = None,
    edit_view: Any = None,
    export_columns: list[exports.Column] | None = None,
    export_rows: Rows | None = None,
    export_name: str = "",
    **pages: Any,
) -> list[URLPattern]:
    """The URL patterns of ``kind``'s pages (``pages``: as ``item_views`` takes them);
    ``list_view`` replaces the plain list page where the list is special, ``edit_view`` the
    plain edit page where editing is (it states its own access); ``export_columns``,
    ``export_rows`` and ``export_name`` (the file's): the export's, where the model's do not
    fit (``export_view``)."""
    views = item_views(kind, **pages)
    export = export_view(kind, columns=export_columns, rows=export_rows, list_name=export_name)
    key = f"{kind.name}_id"
    return [
        path("", list_view or views[f"{kind.name}_list"], name=f"{kind.name}_list"),
        path("new/", views[f"{kind.name}_create"], name=f"{kind.name}_create"),
        path(
            f"<str:{key}>/edit/", edit_view or views[f"{kind.name}_edit"], name=f"{kind.name}_edit"
        ),
        path(f"<str:{key}>/delete/", views[f"{kind.name}_delete"], name=f"{kind.name}_delete"),
        path("export/", export, name=f"{kind.name}_export"),
    ]
