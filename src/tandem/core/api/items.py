"""API operations: the access level stated once, and an item type's five operations.

``operation(router, "get", path, level=...)`` registers a view whose first argument after the
request is the scope, looked up through the caller at ``level`` (404 when it is not theirs,
403 when they may see but not act); the same ``level`` is what the schema documents as
``x-access``. ``item_api(kind, router, path)`` gives a declared item type its list (paginated,
filtered), get, create, patch and delete, and its export (``export_api``: ``<path>/export``).
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpResponseBase
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core import exports
from tandem.core.access import Actor
from tandem.core.api.derive import filter_schema, references, schemas
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import ScopeId, partnership_from, program_from, scope_from
from tandem.core.clock import local_today
from tandem.core.errors import InvalidInput
from tandem.core.http import TandemRequest
from tandem.core.items import MANAGE, ItemType
from tandem.core.scope import Scope

LEVEL = {"partnership": "view", "partnership_manage": "manage"}
MEMBER = "member"  # a workspace's own: its path names {workspace_id}, its scope the program


def operation(
    router: Router,
    method: str,
    path: str,
    *,
    level: str,
    program: bool = False,
    paginated: bool = False,
    item: str | ItemType[Any] = "",
    related: tuple[str, ...] = (),
    payload: type[Schema] | None = None,
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``view(request, scope, …)`` at ``path`` (which names ``{partnership_id}``):
    the caller reaches the scope at ``level`` or gets 404/403; the schema says ``level``.
    ``level=MEMBER``: the path names ``{workspace_id}`` and the scope is its program level.
    ``item``: the path's name for the view's ``item_id`` (``checkin_id``); or an item type
    (``item=ASKS``: the path names ``{ask_id}``), and the view's ``item`` is the item itself,
    as the caller sees it (404 otherwise), with the people ``related`` names joined.
    ``payload``: the body's schema, when it is made at run time (``derive.schemas``) and so
    cannot be the view's annotation (there: ``payload: Any``).
    Without ``summary=``, the first paragraph of the view's docstring is the summary (and
    the rest, if any, the description)."""
    kind = item if isinstance(item, ItemType) else None
    named = f"{kind.name}_id" if kind is not None else str(item)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(view)
        rest = list(signature.parameters.values())[2:]
        hints = {
            p.name: eval(p.annotation, view.__globals__)  # noqa: S307 - the view's own annotation
            if isinstance(p.annotation, str)
            else p.annotation
            for p in rest
        }
        if payload is not None:
            hints["payload"] = payload
        key = "workspace_id" if level == MEMBER else "partnership_id"
        parameters = [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                key,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=ScopeId if program else Id,
            ),
            *(
                p.replace(name=named, annotation=Id)
                if kind is not None and p.name == "item"
                else p.replace(
                    name=named if named and p.name == "item_id" else p.name,
                    annotation=hints.get(p.name, p.annotation),
                )
                for p in rest
            ),
        ]

        def wrapped(request: TandemRequest, **kwargs: Any) -> Any:
            if level == MEMBER:
                _, scope = program_from(request, kwargs.pop(key))
            else:
                lookup = scope_from if program else partnership_from
                _, scope = lookup(request, kwargs.pop(key), level=LEVEL[level])
            if kind is not None:
                pk = kwargs.pop(named)
                kwargs["item"] = kind.one(request.actor, scope, pk, related=related)
            elif named:
                kwargs["item_id"] = kwargs.pop(named)
            return view(request, scope, **kwargs)

        functools.update_wrapper(wrapped, view)
        del wrapped.__wrapped__  # type: ignore[attr-defined]
        said = dict(options)
        if "summary" not in said and view.__doc__:
            first, _, more = inspect.cleandoc(view.__doc__).partition("\n\n")
            said["summary"], wrapped.__doc__ = " ".join(first.split()), more or None
        wrapped.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapped.__annotations__ = {p.name: p.annotation for p in parameters[1:]}
        registered = paginate(Pages)(wrapped) if paginated else wrapped
        extra = {**said.pop("openapi_extra", {}), "x-access": level}
        if view.__module__ == __name__:  # an item type's own operation: named by its type
            said.setdefault("operation_id", view.__name__)
        getattr(router, method)(path, openapi_extra=extra, **said)(registered)
        return registered

    return decorate


def item_from(
    values: dict[str, Any], actor: Actor, name: str, model: Any, message: str = ""
) -> dict[str, Any]:
    """Swap ``values["<name>_id"]`` (an item's id, or null for none) for the item itself
    under ``name``, if ``actor`` sees it; an id they cannot see gets the same words as one
    that does not exist. Whether it fits is the service's to say. ``model`` may be a
    queryset instead: the items that may be chosen (``company_goals(workspace_id)``)."""
    key = f"{name}_id"
    if key in values:
        pk = values.pop(key)
        rows = model if isinstance(model, QuerySet) else model.objects.visible_to(actor)
        values[name] = rows.filter(pk=pk).first() if pk else None
        if pk and values[name] is None:
            said = message or f"Choose a {rows.model._meta.verbose_name} of this partnership."
            raise InvalidInput.on(key, said)
    return values


FORMAT = Query(
    exports.CSV,
    alias="format",
    description="csv (UTF-8 with a byte order mark, the default) or xlsx; another answers 400.",
)
# What an export answers: the file, in the format asked for.
EXPORTED = {
    "responses": {
        200: {
            "description": "The list as a file (Content-Disposition names it).",
            "content": {
                "text/csv": {"schema": {"type": "string"}},
                exports.CONTENT_TYPES[exports.XLSX]: {
                    "schema": {"type": "string", "format": "binary"}
                },
            },
        },
        400: {"description": "The format asked for is neither csv nor xlsx."},
    }
}


def export_api(
    kind: ItemType[Any],
    router: Router,
    path: str,
    *,
    columns: list[exports.Column] | None = None,
    rows: Callable[[TandemRequest, Scope], Any] | None = None,
    module: str = "",
    list_name: str = "",
) -> None:
    """``GET <path>/export?format=csv|xlsx``: ``kind``'s list in the scope as a file, what
    the caller may see of it (done and closed items too), as the export page gives it.
    ``columns``/``rows``/``list_name``: as ``core.item_pages.export_view`` takes them."""
    chosen = columns if columns is not None else exports.item_columns(kind.model)

    def exported(request: TandemRequest, scope: Scope, fmt: str = FORMAT) -> HttpResponseBase:
        fmt = exports.checked_format(fmt)
        if rows is not None:
            queryset = rows(request, scope)
        else:
            queryset = kind.model.objects.visible_to(request.actor).in_scope(scope)
            queryset = queryset.order_by("id")
        name = exports.filename(scope, list_name or kind.plural, local_today(scope))
        found = exports.prepared(queryset, chosen, request.actor)
        return exports.export_response(name, chosen, found, fmt)

    exported.__name__, exported.__module__ = f"export_{kind.name}_list", module or __name__
    operation(
        router,
        "get",
        f"{path}/export",
        level="partnership",
        program=kind.program,
        summary=f"Export {kind.plural} (CSV or Excel)",
        tags=router.tags,
        openapi_extra=EXPORTED,
    )(exported)


def item_api(
    kind: ItemType[Any],
    router: Router,
    path: str,
    *,
    fields: dict[str, Any] | None = None,
    out: type[Schema] | None = None,
    out_fields: dict[str, Any] | None = None,
    filters: type[Schema] | tuple[str, ...] | None = None,
    order: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    nullable: tuple[str, ...] = ("owner",),
    summaries: dict[str, str] | None = None,
    with_list: bool = True,
    without: tuple[str, ...] = (),
    among: dict[str, tuple[Callable[[Actor, Scope], Any], str]] | None = None,
    module: str = "",
    read: Callable[[Any, Any], Any] | None = None,
    export_columns: list[exports.Column] | None = None,
    export_rows: Callable[[TandemRequest, Scope], Any] | None = None,
    export_name: str = "",
) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """List, get, create, patch and delete ``kind`` under ``path`` (``/partnerships/
    {partnership_id}/things``). ``filters``: a schema of query parameters, each an equality
    on the field of its name when given (or the fields' names: each optional, typed as the
    API shows the field); ``with_list=False`` where the type's list is an
    operation of its own; ``without``: the operations not offered (``("get",)``; of list,
    get, create, patch, delete, export); ``among``: for a reference (``company_goal``), the
    items the caller may choose, ``(actor, scope) -> queryset``, and the words refusing another id;
    ``module``: name the operations as if written there (``tandem_vision_api_list_goals``,
    ids that predate ``item_api``; else ``list_goals``);
    ``read(actor, item)``: the item as the caller reads it, for get and
    after a write (what ``out`` resolves, read through the actor); ``fields``, ``out`` and
    ``out_fields`` as ``derive.schemas`` takes them; ``export_columns``/``export_rows``/
    ``export_name``: the export's (``export_api``), where the model's do not fit. Returns
    ``(Out, In, Patch)``."""
    Out, In, Patch = schemas(kind, fields=fields, out=out, out_fields=out_fields)
    referred = {
        name: model for name, model in references(kind.model, kind.fields).items()
        if name not in (fields or {})
    }  # fmt: skip
    choosable = among or {}
    if isinstance(filters, tuple):
        filters = filter_schema(kind.model, filters)
    Filters = filters or Schema
    one_of = f"{'an' if kind.label[:1] in 'aeiou' else 'a'} {kind.label}"  # an ask, a rock
    said = {
        "list": f"List {kind.plural}",
        "create": f"Add {one_of}",
        "get": f"One {kind.label}",
        "patch": f"Change {one_of} (send the version you read)",
        "delete": f"Delete {one_of}" + (" (workspace members)" if kind.delete == MANAGE else ""),
        **(summaries or {}),
    }
    create_level = MANAGE if kind.change == MANAGE else "partnership"
    one = f"{path}/{{{kind.name}_id}}"
    tags = router.tags

    # ``related`` joins people (owner, created_by …) and settings without a visibility (a
    # ledger's kind): an item that an item names comes through ``with_visible``, never a
    # plain join that would skip its visibility.
    for name in related:
        target = kind.model._meta.get_field(name).related_model
        if target is not get_user_model() and hasattr(target.objects, "visible_to"):
            raise ValueError(f"{kind.name}: join {name} through with_visible, not related=")

    def named(view: Callable[..., Any], name: str) -> None:
        view.__name__, view.__module__ = name, module or __name__

    def rows(request: TandemRequest, scope: Scope) -> Any:
        queryset = kind.model.objects.visible_to(request.actor).in_scope(scope)
        if related:
            queryset = queryset.select_related(*related)
        return queryset.order_by(*order) if order else queryset

    def values_of(request: TandemRequest, scope: Scope, values: dict[str, Any]) -> dict[str, Any]:
        for name, model in referred.items():
            if name in choosable:
                choices, message = choosable[name]
                item_from(values, request.actor, name, choices(request.actor, scope), message)
            else:
                item_from(values, request.actor, name, model)
        return person_from(values)

    def seen(request: TandemRequest, item: Any) -> Any:
        return read(request.actor, item) if read else item

    def _one(request: TandemRequest, scope: Scope, item_id: int) -> Any:
        return kind.one(request.actor, scope, item_id)

    def listed(request: TandemRequest, scope: Scope, filters: Schema) -> Any:
        given = {k: v for k, v in filters.dict().items() if v is not None}
        return rows(request, scope).filter(**given)

    def listed_all(request: TandemRequest, scope: Scope) -> Any:
        return rows(request, scope)

    if filters is None:  # ninja would ask for an empty filters object as a parameter
        listed = listed_all  # type: ignore[assignment]
    named(listed, f"list_{kind.name}s")
    if filters is not None:
        # The filters schema is chosen at run time: ninja reads it from here.
        listed.__annotations__["filters"] = Query[Filters]  # type: ignore[misc,valid-type]
    if with_list and "list" not in without:
        operation(
            router,
            "get",
            path,
            level="partnership",
            program=kind.program,
            paginated=True,
            response=list[Out],  # type: ignore[valid-type]
            summary=said["list"],
            tags=tags,
        )(listed)
    if "export" not in without:  # before ``{path}/{id}``: "export" is no id
        export_api(
            kind, router, path, columns=export_columns, rows=export_rows, module=module,
            list_name=export_name,
        )  # fmt: skip

    def created(request: TandemRequest, scope: Scope, payload: Any) -> Any:
        values = values_of(request, scope, payload.dict())
        item = kind.create(actor=request.actor, partnership=scope, **values)
        return Status(201, seen(request, item))

    named(created, f"create_{kind.name}")
    created.__annotations__["payload"] = In
    if "create" not in without:
        operation(
            router,
            "post",
            path,
            level=create_level,
            program=kind.program,
            response={201: Out},
            summary=said["create"],
            tags=tags,
        )(created)

    def got(request: TandemRequest, scope: Scope, item_id: Id) -> Any:
        return seen(request, _one(request, scope, item_id))

    named(got, f"get_{kind.name}")
    if "get" not in without:
        operation(
            router, "get", one, level="partnership", program=kind.program, response=Out,
            summary=said["get"], tags=tags, item=f"{kind.name}_id",
        )(got)  # fmt: skip

    def changed(request: TandemRequest, scope: Scope, item_id: Id, payload: Any) -> Any:
        item = _one(request, scope, item_id)
        values = payload.dict(exclude={"version"}, exclude_unset=True)
        named = {f"{name}_id": name for name in (*referred, "owner")}  # goal_id: if goal is
        refuse_nulls(values, [key for key in values if named.get(key, key) not in nullable])
        values = values_of(request, scope, values)
        kind.update(item, actor=request.actor, version=payload.version, **values)
        return seen(request, item)

    named(changed, f"update_{kind.name}")
    changed.__annotations__["payload"] = Patch
    if "patch" not in without:
        operation(
            router, "patch", one, level=kind.change, program=kind.program, response=Out,
            summary=said["patch"], tags=tags, item=f"{kind.name}_id",
        )(changed)  # fmt: skip

    def deleted(request: TandemRequest, scope: Scope, item_id: Id, version: Version) -> Any:
        kind.remove(_one(request, scope, item_id), actor=request.actor, version=version)
        return Status(204, None)

    named(deleted, f"delete_{kind.name}")
    if "delete" not in without:
        operation(
            router, "delete", one, level=kind.delete, program=kind.program, response={204: None},
            summary=said["delete"], tags=tags, item=f"{kind.name}_id",
        )(deleted)  # fmt: skip
    return Out, In, Patch
