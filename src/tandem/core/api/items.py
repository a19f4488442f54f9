"""API operations: the access level stated once, and an item type's five operations.

``operation(router, "get", path, level=...)`` registers a view whose first argument after the
request is the scope, looked up through the caller at ``level`` (404 when it is not theirs,
403 when they may see but not act); the same ``level`` is what the schema documents as
``x-access``. ``item_api(kind, router, path)`` gives a declared item type its list (paginated,
filtered), get, create, patch and delete.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from ninja import Query, Router, Schema, Status
from ninja.pagination import paginate

from tandem.core.api.derive import schemas
from tandem.core.api.pagination import Pages
from tandem.core.api.patch import refuse_nulls
from tandem.core.api.people import person_from
from tandem.core.api.schemas import Id, Version
from tandem.core.api.scope import ScopeId, partnership_from, program_from, scope_from
from tandem.core.http import TandemRequest
from tandem.core.items import MANAGE, ItemType
from tandem.core.scope import Scope, item_for

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
    item: str = "",
    **options: Any,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``view(request, scope, …)`` at ``path`` (which names ``{partnership_id}``):
    the caller reaches the scope at ``level`` or gets 404/403; the schema says ``level``.
    ``level=MEMBER``: the path names ``{workspace_id}`` and the scope is its program level.
    ``item``: the path's name for the view's ``item_id`` (``checkin_id``)."""

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        signature = inspect.signature(view)
        rest = list(signature.parameters.values())[2:]
        hints = {
            p.name: eval(p.annotation, view.__globals__)  # noqa: S307 - the view's own annotation
            if isinstance(p.annotation, str)
            else p.annotation
            for p in rest
        }
        key = "workspace_id" if level == MEMBER else "partnership_id"
        parameters = [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
            inspect.Parameter(
                key,
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                annotation=ScopeId if program else Id,
            ),
            *(
                p.replace(
                    name=item if item and p.name == "item_id" else p.name,
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
            if item:
                kwargs["item_id"] = kwargs.pop(item)
            return view(request, scope, **kwargs)

        functools.update_wrapper(wrapped, view)
        del wrapped.__wrapped__  # type: ignore[attr-defined]
        wrapped.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapped.__annotations__ = {p.name: p.annotation for p in parameters[1:]}
        registered = paginate(Pages)(wrapped) if paginated else wrapped
        extra = {**options.pop("openapi_extra", {}), "x-access": level}
        if view.__module__ == __name__:  # an item type's own operation: named by its type
            options.setdefault("operation_id", view.__name__)
        getattr(router, method)(path, openapi_extra=extra, **options)(registered)
        return registered

    return decorate


def item_api(
    kind: ItemType[Any],
    router: Router,
    path: str,
    *,
    fields: dict[str, Any] | None = None,
    out: type[Schema] | None = None,
    filters: type[Schema] | None = None,
    order: tuple[str, ...] = (),
    related: tuple[str, ...] = (),
    nullable: tuple[str, ...] = ("owner",),
    summaries: dict[str, str] | None = None,
    with_list: bool = True,
    read: Callable[[Any, Any], Any] | None = None,
) -> tuple[type[Schema], type[Schema], type[Schema]]:
    """List, get, create, patch and delete ``kind`` under ``path`` (``/partnerships/
    {partnership_id}/things``). ``filters``: a schema of query parameters, each an equality
    on the field of its name when given; ``with_list=False`` where the type's list is an
    operation of its own; ``read(actor, item)``: the item as the caller reads it, for get and
    after a write (what ``out`` resolves, read through the actor). Returns ``(Out, In, Patch)``."""
    Out, In, Patch = schemas(kind, fields=fields, out=out)
    Filters = filters or Schema
    said = {
        "list": f"List {kind.plural}",
        "create": f"Add a {kind.label}",
        "get": f"One {kind.label}",
        "patch": f"Change a {kind.label} (send the version you read)",
        "delete": f"Delete a {kind.label}"
        + (" (workspace members)" if kind.delete == MANAGE else ""),
        **(summaries or {}),
    }
    create_level = MANAGE if kind.change == MANAGE else "partnership"
    one = f"{path}/{{{kind.name}_id}}"
    tags = router.tags

    # ``related`` joins people (owner, created_by …) only: an item that an item names comes
    # through ``with_visible``, never a plain join that would skip its visibility.
    for name in related:
        if kind.model._meta.get_field(name).related_model is not get_user_model():
            raise ValueError(f"{kind.name}: join {name} through with_visible, not related=")

    def rows(request: TandemRequest, scope: Scope) -> Any:
        queryset = kind.model.objects.visible_to(request.actor).in_scope(scope)
        if related:
            queryset = queryset.select_related(*related)
        return queryset.order_by(*order) if order else queryset

    def seen(request: TandemRequest, item: Any) -> Any:
        return read(request.actor, item) if read else item

    def _one(request: TandemRequest, scope: Scope, item_id: int) -> Any:
        return item_for(kind.model.objects.all(), request.actor, scope, item_id)

    def listed(request: TandemRequest, scope: Scope, filters: Schema) -> Any:
        given = {k: v for k, v in filters.dict().items() if v is not None}
        return rows(request, scope).filter(**given)

    def listed_all(request: TandemRequest, scope: Scope) -> Any:
        return rows(request, scope)

    if filters is None:  # ninja would ask for an empty filters object as a parameter
        listed = listed_all  # type: ignore[assignment]
    listed.__name__ = f"list_{kind.name}s"
    if filters is not None:
        # The filters schema is chosen at run time: ninja reads it from here.
        listed.__annotations__["filters"] = Query[Filters]  # type: ignore[misc,valid-type]
    if with_list:
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

    def created(request: TandemRequest, scope: Scope, payload: Any) -> Any:
        values = person_from(payload.dict())
        item = kind.create(actor=request.actor, partnership=scope, **values)
        return Status(201, seen(request, item))

    created.__name__ = f"create_{kind.name}"
    created.__annotations__["payload"] = In
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

    got.__name__ = f"get_{kind.name}"
    operation(
        router, "get", one, level="partnership", program=kind.program, response=Out,
        summary=said["get"], tags=tags, item=f"{kind.name}_id",
    )(got)  # fmt: skip

    def changed(request: TandemRequest, scope: Scope, item_id: Id, payload: Any) -> Any:
        item = _one(request, scope, item_id)
        values = payload.dict(exclude={"version"}, exclude_unset=True)
        refuse_nulls(values, [name for name in values if name not in nullable])
        values = person_from(values)
        kind.update(item, actor=request.actor, version=payload.version, **values)
        return seen(request, item)

    changed.__name__ = f"update_{kind.name}"
    changed.__annotations__["payload"] = Patch
    operation(
        router, "patch", one, level=kind.change, program=kind.program, response=Out,
        summary=said["patch"], tags=tags, item=f"{kind.name}_id",
    )(changed)  # fmt: skip

    def deleted(request: TandemRequest, scope: Scope, item_id: Id, version: Version) -> Any:
        kind.remove(_one(request, scope, item_id), actor=request.actor, version=version)
        return Status(204, None)

    deleted.__name__ = f"delete_{kind.name}"
    operation(
        router, "delete", one, level=kind.delete, program=kind.program, response={204: None},
        summary=said["delete"], tags=tags, item=f"{kind.name}_id",
    )(deleted)  # fmt: skip
    return Out, In, Patch
