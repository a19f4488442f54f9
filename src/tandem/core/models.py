"""Shared building blocks: scoped querysets, versioned rows, items with a visibility, and
the activity log."""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, cast

from django.conf import settings
from django.db import models
from django.db.models import Exists, Expression, OuterRef, Q
from django.db.models.expressions import RawSQL

from tandem.core.access import Actor, Visibility

if TYPE_CHECKING:
    from tandem.accounts.models import User
    from tandem.core.scope import Scope


class ScopedQuerySet(models.QuerySet):
    """Items that belong to a workspace and, optionally, to one of its partnerships.

    ``visible_to`` is the only way views and API endpoints reach these rows: members see
    everything in their workspaces; partner-side users see the shared items of the
    partnerships they were invited into, and nothing at the workspace (program) level —
    unless the model says its program items are stated to partners
    (``program_items_shared_with_partners``): then they also see its shared program items
    of the workspaces their partnerships belong to.
    """

    def visible_to(self, actor: Actor) -> Self:
        if not actor.is_authenticated:
            return self.none()
        condition = Q(workspace_id__in=actor.workspace_ids)
        if actor.partner_partnerships:
            partnerships = sorted(actor.partner_partnerships)
            condition |= Q(partnership_id__in=partnerships, visibility=Visibility.SHARED)
            if shares_program_items(self.model):
                from django.apps import apps  # partners builds on core: no import at load

                workspaces = apps.get_model("partners", "Partnership").objects.filter(
                    pk__in=partnerships
                )
                condition |= Q(
                    partnership__isnull=True,
                    workspace_id__in=workspaces.values("workspace_id"),
                    visibility=Visibility.SHARED,
                )
        return self.filter(condition)

    def with_visible(self, actor: Actor, *names: str) -> Self:
        """Prefetch the related items ``names`` (a foreign key or many-to-many to another
        item, ``"rock__goal"`` through one) each through its own ``visible_to``: one the
        reader may not see reads as None, or is left out of the set. Pages, answers and
        e-mails reach related items only this way, so none of them decides visibility.
        (Do not also ``select_related`` them: a row already fetched is not fetched again.)"""
        lookups = []
        for name in names:
            model: Any = self.model
            for part in name.split("__"):
                model = model._meta.get_field(part).related_model
            visible = model._default_manager.all().visible_to(actor)
            lookups.append(models.Prefetch(name, queryset=visible))
        return self.prefetch_related(*lookups)

    def in_scope(self, scope: Scope) -> Self:
        """The items of one partnership or, for the program stand-in (id None), the
        workspace's program-level items."""
        return self.filter(workspace_id=scope.workspace_id, partnership_id=scope.id)


def shares_program_items(model: type[models.Model] | None) -> bool:
    """Whether partner-side people may see ``model``'s shared program-level items (the
    program's values, stated to every partner); for every other model the program level is
    the workspace's own."""
    return bool(getattr(model, "program_items_shared_with_partners", False))


class Versioned(models.Model):
    """A row that carries a version: every update names the version it was based on, and an
    update based on a stale version is refused (see ``tandem.core.services.update``)."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    # Fields shown when an edit collides with another person's change.
    concurrency_fields: tuple[str, ...] = ()


class PartnershipItem(Versioned):
    """Anything that lives inside a workspace or one of its partnerships and has a
    visibility. Later components (rocks, to-dos, issues …) build on this."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visibility = models.CharField(
        max_length=8,
        choices=[(Visibility.SHARED, "Shared with partner"), (Visibility.INTERNAL, "Internal")],
        default=Visibility.SHARED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def is_internal(self) -> bool:
        return self.visibility == Visibility.INTERNAL


def follows_its_item(model: type[models.Model]) -> str | None:
    """How a reader's view of an activity entry about ``model`` is decided: ``"item"`` (the
    item's own ``visible_to``: the entry shows while the item does), ``"shared"`` (a record
    both sides always see, such as a partnership's idea board) or None (members only)."""
    fixed = model.__dict__.get("activity_visibility") or next(
        (
            base.__dict__["activity_visibility"]
            for base in model.__mro__[1:]
            if "activity_visibility" in base.__dict__
        ),
        None,
    )
    if isinstance(fixed, str):
        return "shared" if fixed == Visibility.SHARED else None
    if issubclass(model, PartnershipItem):
        return "item"
    return None


class ActivityQuerySet(ScopedQuerySet):
    def visible_to(self, actor: Actor) -> ActivityQuerySet:
        """Members see their workspaces' whole log. A partner-side reader sees an entry of
        their partnership only while the item it is about is visible to them — asked of the
        item's own ``visible_to``, now, not of a copy taken when the entry was written — and
        only if the change itself touched nothing internal (the entry's ``visibility``). An
        entry about a deleted item shows only if the item was shared when it was deleted."""
        if not actor.is_authenticated:
            return self.none()
        if not actor.partner_partnerships:
            return super().visible_to(actor)
        # Every item the change names (a rock's goal, the idea it was raised above) must be
        # visible to the reader now too, or the entry would show its title.
        hidden_mentions = ActivityMention.objects.filter(entry=OuterRef("pk")).exclude(
            _still_visible(actor)
        )
        return self.filter(
            Q(workspace_id__in=actor.workspace_ids)
            | Q(
                Q(target_gone=True) | items_visible_to(actor),
                ~Exists(hidden_mentions),
                partnership_id__in=sorted(actor.partner_partnerships),
                visibility=Visibility.SHARED,
            )
        )


def _still_visible(actor: Actor) -> Q:
    """The item an entry (or a mention) is about is visible to ``actor`` now, or was shared
    when it was deleted."""
    return Q(target_gone=True, visibility=Visibility.SHARED) | Q(items_visible_to(actor))


@functools.cache
def _item_models() -> tuple[tuple[type[models.Model], str], ...]:
    from django.apps import apps

    rules = ((model, follows_its_item(model)) for model in apps.get_models())
    return tuple((model, rule) for model, rule in rules if rule)


def items_visible_to(actor: Actor) -> ItemVisible:
    """The entry's item exists and ``actor`` may see it, as the item's own ``visible_to``
    decides (one branch per kind of item)."""
    branches: list[tuple[str, str | None, Any]] = []
    for model, rule in _item_models():
        label = model._meta.label_lower
        if rule == "shared":
            branches.append((label, None, ()))
        else:
            branches.append((label, *_visible_ids_sql(model, actor.partner_partnerships)))
    return ItemVisible(tuple(branches))


class ItemVisible(Expression):
    """``(target_model = 'partners.note' AND target_id IN (<the notes visible_to the
    reader>)) OR …`` — written as one expression because twenty ORM lookups, each with its
    subquery, cost more to build on every page than the page itself."""

    output_field = models.BooleanField()
    conditional = True

    def __init__(self, branches: tuple[tuple[str, str | None, Any], ...]) -> None:
        super().__init__()
        self.branches = branches
        self.alias: str | None = None

    def resolve_expression(self, query: Any = None, *args: Any, **kwargs: Any) -> ItemVisible:
        resolved = copy.copy(self)
        resolved.alias = query.get_initial_alias() if query is not None else None
        return resolved

    def relabeled_clone(self, change_map: Mapping[str, str]) -> ItemVisible:
        clone = copy.copy(self)
        clone.alias = change_map.get(self.alias, self.alias) if self.alias else None
        return clone

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        table = compiler.quote_name_unless_alias(self.alias or ActivityEntry._meta.db_table)
        parts, params = [], []
        for label, sql, sql_params in self.branches:
            if sql is None:
                parts.append(f"{table}.target_model = %s")
                params.append(label)
            else:
                narrowed = sql.replace(_OUTER, table)
                parts.append(f"({table}.target_model = %s AND {table}.target_id IN ({narrowed}))")
                params.extend([label, *sql_params])
        return "(" + (" OR ".join(parts) or "1 = 0") + ")", tuple(params)


# Stands for the table of the rows asked about in the compiled subqueries below, named when
# the expression is written into a query.
_OUTER = '"__outer_table__"'


@functools.lru_cache(maxsize=1024)
def _visible_ids_sql(model: type[models.Model], partnerships: frozenset[int]) -> tuple[str, Any]:
    """The SQL of ``model.objects.visible_to(reader)`` for a partner-side reader of
    ``partnerships``, narrowed to the one item the row names (``_OUTER``'s ``target_id``)
    and giving its id when the reader may see it, compiled once: building
    twenty such subqueries through the ORM on every page would cost more than the page
    itself. Narrowed, each row's question is one look-up by id; asked of every visible item
    at once, SQLite listed them all first (the to-dos of three years for a bell of three
    unread notifications)."""
    reader = Actor(user=cast("User", _READER), partner_partnerships=partnerships)
    visible = model.objects.visible_to(reader)  # type: ignore[attr-defined]
    narrowed = visible.filter(pk=RawSQL(f"{_OUTER}.target_id", ())).order_by()  # noqa: S611
    return narrowed.values("pk").query.sql_with_params()


class _Reader:
    """Stands in for a user when compiling the subqueries above: only signed-in-ness counts."""

    pk = 0
    is_authenticated = True


_READER = _Reader()


class ActivityEntry(models.Model):
    """Who changed what, when, from what to what. A partner-side user sees an entry only
    while its item is visible to them (``ActivityQuerySet.visible_to``); ``visibility`` says
    whether the change itself may be shown to partners at all (it is internal when the item
    was internal before or after it, or when it names an internal item)."""

    workspace = models.ForeignKey("accounts.Workspace", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey(
        "partners.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    visibility = models.CharField(max_length=8, default=Visibility.INTERNAL)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    verb = models.CharField(max_length=32)
    target_type = models.CharField(max_length=64)
    # The item's model ("partners.note"), so a reader's view follows the item's visibility.
    target_model = models.CharField(max_length=100, blank=True)
    target_id = models.PositiveBigIntegerField(null=True)
    # The item was deleted; its entries keep the visibility it had last.
    target_gone = models.BooleanField(default=False)
    target_label = models.CharField(max_length=200)
    changes = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["partnership", "-created_at"]),
            models.Index(fields=["workspace", "-created_at"]),
            models.Index(fields=["target_model", "target_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.verb} {self.target_type} {self.target_label}"

    @property
    def action(self) -> str:
        """The words between the person and the item: "created note", "invited"."""
        if self.verb in {
            "created",
            "updated",
            "deleted",
            "archived",
            "restored",
            "completed",
            "reopened",
        }:
            return f"{self.verb} {self.target_type}"
        return self.verb

    def change_rows(self) -> list[dict[str, Any]]:
        return [
            # A change is [old, new]; a row written with the new value alone reads as such.
            {
                "field": name.replace("_", " "),
                "old": pair[0] if len(pair) > 1 else "",
                "new": pair[-1],
            }
            for name, pair in self.changes.items()
        ]


class ActivityMention(models.Model):
    """Another item an entry names in its changes: a partner-side reader sees the entry only
    while every item it names is visible to them as well (``ActivityQuerySet.visible_to``).
    ``visibility`` is the item's last when it is gone."""

    entry = models.ForeignKey(ActivityEntry, on_delete=models.CASCADE, related_name="mentions")
    target_model = models.CharField(max_length=100)
    target_id = models.PositiveBigIntegerField()
    target_gone = models.BooleanField(default=False)
    visibility = models.CharField(max_length=8, default=Visibility.SHARED)

    class Meta:
        indexes = [models.Index(fields=["target_model", "target_id"])]

    def __str__(self) -> str:
        return f"{self.target_model}:{self.target_id}"


class ScheduledRun(models.Model):
    """A scheduled task enqueued for one period (``tandem.core.schedule``). The pair
    (name, period_start) is unique: it is what keeps two workers, or two ticks of one, from
    enqueuing the same period twice."""

    name = models.CharField(max_length=200)  # the task's module path and name
    period = models.CharField(max_length=8)  # "hour" or "week"
    period_start = models.DateTimeField()
    task_id = models.CharField(max_length=64, blank=True)  # the enqueued task result's id
    enqueued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["name", "period_start"], name="core_scheduledrun_once_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} for {self.period_start.isoformat()}"
