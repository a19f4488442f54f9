"""One declaration per item type, and the writes every item type shares.

An ``ItemType`` says once what an item is: its model (whose ``concurrency_fields`` are the
fields a person edits), its form, where it may live (a partnership, or the program level as
well), who may change and who may delete it, and its hooks. Its pages
(``tandem.core.item_pages``), its API operations (``tandem.core.api.items``) and these
services follow from it, so the access level of each action is stated here and nowhere else:
the pages' ``@access``, the API's ``x-access`` and the services' checks all read it.

What is special about a type (the live meeting, the scorecard grid, ranking, solving,
voting) stays explicit code in its app, calling the same pieces.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.db import transaction
from django.db.models import Field

from tandem.core import services as core
from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.models import Versioned
from tandem.core.policy import check_owner, item_values, require_open
from tandem.core.scope import Scope, item_for, scope_of

if TYPE_CHECKING:
    from tandem.core.forms import ScopedItemForm

M = TypeVar("M", bound=Versioned)

VIEW = "partnership"  # anyone who can see the scope, on either side
MANAGE = "partnership_manage"  # workspace members only


def _nothing(values: dict[str, Any]) -> None:
    return None


@dataclass(frozen=True)
class ItemType(Generic[M]):
    model: type[M]
    name: str  # "checkin": URL names checkin_list …, the id keyword checkin_id
    label: str  # "check-in", as a sentence names one
    form: type[ScopedItemForm] | None = None
    # Where it lives: partnerships only, or the program level as well.
    program: bool = False
    # Who may change one, and who may delete one (VIEW or MANAGE).
    change: str = VIEW
    delete: str = MANAGE
    # Fields a row cannot be without, with what to say when one is missing.
    required: dict[str, str] = field(default_factory=dict)
    # Checks and tidies the values of a create or an update (raise InvalidInput).
    check: Callable[[dict[str, Any]], None] = _nothing
    # The fields its "created" activity entry names.
    logged: tuple[str, ...] = ()
    # Values a create sets unless given, or given as None (callables are called with the
    # scope: a date on the partnership's clock).
    defaults: dict[str, Any] = field(default_factory=dict)
    # Fields a create takes and no change moves (a seat's side).
    fixed: tuple[str, ...] = ()
    # Runs after the item is saved (create) in the same transaction, e.g. to record more.
    after_create: Callable[[M, Actor], None] | None = None
    # Who may change and delete one, beyond seeing it (e.g. only their own side's).
    may_change: Callable[[Actor, M], bool] | None = None
    # Checks the values against who acts, the scope and the item changed (None on a
    # create), after the visibility policy; may add values a create derives (raise InvalidInput).
    validate: Callable[[Actor, Scope, dict[str, Any], M | None], None] | None = None
    # Runs after an update is saved, in the same transaction, with the changed fields'
    # values from before.
    after_update: Callable[[M, Actor, dict[str, Any]], None] | None = None
    # Derives stored values from what a person typed (Markdown rendered to HTML), before any
    # transaction opens: on SQLite a transaction holds the one write lock.
    render: Callable[[dict[str, Any]], None] | None = None
    # Checks a delete once the person may make it, before anything is deleted, in the same
    # transaction: raise InvalidInput to refuse (e.g. while other rows depend on the item).
    before_remove: Callable[[M, Actor], None] | None = None
    # Runs after the item is deleted, in the same transaction (e.g. to close a gap in a list).
    after_remove: Callable[[M, Actor], None] | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        """What a person edits: the model's versioned fields."""
        return self.model.concurrency_fields

    @property
    def title(self) -> str:
        """The label as a heading or message begins: "Check-in"."""
        return self.label[:1].upper() + self.label[1:]

    @property
    def plural(self) -> str:
        return str(self.model._meta.verbose_name_plural)

    def one(self, actor: Actor, scope: Scope, pk: object, *, related: tuple[str, ...] = ()) -> M:
        """The item ``pk`` of ``scope`` as ``actor`` sees it (404 otherwise: not theirs, not
        there or not this scope's), with the people ``related`` names joined."""
        queryset = self.model.objects.select_related(*related)  # type: ignore[attr-defined]
        return item_for(queryset, actor, scope, pk)

    # Writes. Pages and the API both call these; every check of who may act is here.

    def require_scope(self, actor: Actor, scope: Scope) -> None:
        actor.require(actor.can_see_partnership(scope))
        if scope.is_program and not self.program:
            raise InvalidInput(f"{self.title}s belong to a partnership.")
        require_open(scope)

    def create(self, *, actor: Actor, partnership: Scope, **values: Any) -> M:
        """A new item in ``partnership`` (or the program level), from ``values``."""
        scope = partnership
        self.require_scope(actor, scope)
        if self.change == MANAGE:
            actor.require(actor.is_member(scope.workspace_id))
        self._refuse_unknown(values, *self.fixed)
        for name, default in self.defaults.items():
            if values.get(name) is None:
                values[name] = default(scope) if callable(default) else default
        self.check(values)  # tidied first: a title of spaces is a missing title
        for name, message in self.required.items():
            if values.get(name) in (None, ""):
                raise InvalidInput.on(name, message)
        if self.render is not None:
            self.render(values)
        # One transaction from the checks on: ``validate`` may lock what the values it
        # derives depend on (a place in a list).
        with transaction.atomic():
            values = self._checked(actor, scope, values)
            item = self.model(workspace_id=scope.workspace_id, partnership_id=scope.id, **values)
            core.create(item, actor=actor, fields=self.logged)
            if self.after_create is not None:
                self.after_create(item, actor)
        return item

    def update(self, item: M, *, actor: Actor, version: int | None, **changes: Any) -> M:
        """Change the versioned fields of ``item``, if nobody changed it since ``version``."""
        self._require_change(actor, item)
        if self.change == MANAGE:
            actor.require(actor.is_member(item.workspace_id))  # type: ignore[attr-defined]
        scope = scope_of(item)
        require_open(scope)
        self._refuse_unknown(changes)
        self.check(changes)
        for name, message in self.required.items():
            if name in changes and changes[name] in (None, ""):
                raise InvalidInput.on(name, message)
        if self.render is not None:
            self.render(changes)
        with transaction.atomic():
            changes = self._checked(actor, scope, changes, item=item)
            before = {name: getattr(item, name) for name in changes}
            core.update(item, actor=actor, version=version, changes=changes)
            if self.after_update is not None:
                self.after_update(item, actor, before)
        return item

    def remove(self, item: M, *, actor: Actor, version: int | None) -> None:
        """Delete ``item``, if nobody changed it since ``version``."""
        self._require_change(actor, item)
        if self.delete == MANAGE:
            actor.require(actor.is_member(item.workspace_id))  # type: ignore[attr-defined]
        require_open(scope_of(item))
        with transaction.atomic():
            if self.before_remove is not None:
                self.before_remove(item, actor)
            deleted = core.delete(item, actor=actor, version=version)
            if deleted and self.after_remove is not None:
                self.after_remove(item, actor)

    def _require_change(self, actor: Actor, item: M) -> None:
        actor.require(actor.can_change(item))
        if self.may_change is not None:
            actor.require(self.may_change(actor, item))

    def _refuse_unknown(self, values: dict[str, Any], *also: str) -> None:
        unknown = set(values) - set(self.fields) - set(also)
        if unknown:
            raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")

    def _checked(
        self, actor: Actor, scope: Scope, values: dict[str, Any], *, item: M | None = None
    ) -> dict[str, Any]:
        values = item_values(actor, scope, values, model=self.model)
        if self.validate is not None:
            self.validate(actor, scope, values, item)
        if "owner" in values or (item is not None and "visibility" in values):
            owner = values["owner"] if "owner" in values else getattr(item, "owner", None)
            if item is not None:
                default = getattr(item, "visibility", None)
            else:
                field = self.model._meta.get_field("visibility")
                default = field.get_default() if isinstance(field, Field) else None
            visibility = values.get("visibility", default)
            if hasattr(self.model, "owner_id"):
                check_owner(scope, owner, visibility)
        return values


def text_fields(*names: str) -> Callable[[dict[str, Any]], None]:
    """A ``check`` that strips the given text fields (and stores "" for none)."""

    def check(values: dict[str, Any]) -> None:
        for name in names:
            if name in values:
                values[name] = (values[name] or "").strip()

    return check


def checks(*steps: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    """Several ``check`` hooks, run in turn."""

    def check(values: dict[str, Any]) -> None:
        for step in steps:
            step(values)

    return check
