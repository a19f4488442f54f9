"""Which tables a workspace owns, read from the app registry so that a new model is never
forgotten: every model with a foreign key path to the workspace (its own ``workspace``, its
``partnership``, or another owned row: a scorecard entry through its measurable, an issue's
to-dos through the issue), the people those rows name (``accounts.User``) and what belongs to
those people and travels with them (their e-mail addresses and choices).

What is left out is named, with why, in ``LEFT_OUT`` (and in every archive's manifest).
``unclassified()`` lists any model that names a workspace or a person and is neither archived
nor left out: a test keeps it empty, so a new model needs a decision.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.apps import apps
from django.db import models
from django.db.models import Q, QuerySet

WORKSPACE = "accounts.Workspace"
USER = "accounts.User"

# Tables that belong to a person rather than to a workspace, and move with the people the
# workspace's rows name. Password hashes stay in ``accounts.User``: they are the workspace
# owner's data, and people sign in after a move with the passwords they know.
PERSONAL = ("account.EmailAddress", "notifications.Preference", "digest.DigestPreference")

LEFT_OUT: dict[str, str] = {
    "alerts.Standing": "derived: each partnership's standing is recomputed when it is read",
    "pipeline.FunnelTally": "derived: the program funnel's counts, counted again when read",
    "pipeline.Tallied": "derived: when the program funnel's counts were counted",
    "pipeline.ProgramTally": "derived: the program funnel's counts summed, summed again when read",
    "pipeline.ProgramStays": "derived: the program funnel's days in stage, counted daily",
    "meetings.NextMeeting": "derived: each partnership's next meeting, computed when read",
    "core.ScheduledRun": "the scheduler's own bookkeeping, not the workspace's",
    "accounts.ApiToken": "secrets: people make new API tokens on the new instance",
    "meetings.CalendarFeed": "a secret address: people make a new calendar link",
    "digest.ActionLink": "single-use secret links in sent digests",
    "digest.WeeklyDigest": "which week's digest was sent to whom on this instance",
    "account.EmailConfirmation": "pending e-mail confirmation keys (secrets, short-lived)",
    "mfa.Authenticator": "second-factor secrets: people enrol their authenticator again",
    "accounts.User_groups": "Django's permission groups: Tandem does not use them",
    "accounts.User_user_permissions": "Django's permissions: Tandem does not use them",
    "sessions.Session": "sign-ins of this instance",
    "axes.AccessAttempt": "sign-in throttling of this instance",
    "axes.AccessFailureLog": "sign-in throttling of this instance",
    "axes.AccessLog": "sign-in throttling of this instance",
    "django_tasks_database.DBTaskResult": "the task queue of this instance",
    "imports.ImportJob": (
        "a CSV import's run on this instance (its upload stays in this instance's"
        " var/imports/); what it wrote is archived, and imports.ImportedRecord keeps a"
        " re-import of the same file updating"
    ),
    "imports.ImportRowError": "the row errors of an import's run on this instance",
    # Issue 18: an archive imported elsewhere must not start posting to the same tools (a
    # second installation sending the same events), and their addresses and signing secrets
    # are secrets: the admins connect the new instance themselves.
    "webhooks.Endpoint": "outgoing webhooks: secrets, connected again on the new instance",
    "webhooks.Delivery": "the delivery log of this instance's webhooks",
    "chat.ChatChannel": "a chat channel's incoming-webhook address is a secret: connect it again",
    "chat.DailyPost": "which day's to-do summary this instance posted",
    "sso.IdentityProvider": "identity providers hold client secrets: admins register them again",
    "sso.EmailDomain": "the e-mail domains of those identity providers",
    "socialaccount.SocialApp": "an identity provider's client and secret (sso.IdentityProvider)",
    "socialaccount.SocialAccount": "links to people's company logins: made again at first sign-in",
    "socialaccount.SocialToken": "no tokens are kept (SOCIALACCOUNT_STORE_TOKENS off)",
}


@dataclass(frozen=True)
class Table:
    """One archived table: its model, the lookup from a row to its workspace's id (``""``:
    the workspace itself; ``None``: a person's table, chosen by the people archived), and
    the foreign keys written in a second pass (self references and cycles)."""

    model: type[models.Model]
    path: str | None
    deferred: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def fields(self) -> list[models.Field[Any, Any]]:
        return list(self.model._meta.concrete_fields)

    def rows(self, workspace_id: int) -> QuerySet[Any]:
        """This table's rows of the workspace, by primary key."""
        manager = self.model._base_manager
        if self.model._meta.label == USER:
            found = manager.filter(_people_named(workspace_id))
        elif self.path is None:
            found = manager.filter(user__in=people_of(workspace_id))
        elif self.path == "":
            found = manager.filter(pk=workspace_id)
        else:
            found = manager.filter(**{f"{self.path}_id": workspace_id})
        return found.order_by("pk")


def people_of(workspace_id: int) -> QuerySet[Any]:
    user = apps.get_model(USER)
    return user._base_manager.filter(_people_named(workspace_id)).values("pk")


def _people_named(workspace_id: int) -> Q:
    """Everyone a row of the workspace names: members, partner-side people, and anyone who
    created, owns or was asked about something, even after they left."""
    named = Q(pk__in=[])
    for table in owned_tables():
        for field in table.fields:
            if field.is_relation and field.related_model._meta.label == USER:  # type: ignore[union-attr]
                rows = table.rows(workspace_id).exclude(**{field.attname: None})
                named |= Q(pk__in=rows.values(field.attname))
    return named


def _models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _foreign_keys(model: type[models.Model]) -> list[models.ForeignKey[Any, Any]]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.ForeignKey)]


@cache
def owned_tables() -> tuple[Table, ...]:
    """Every model a non-null foreign key path ties to a workspace, with its shortest path
    (breadth first from the workspace), but those ``LEFT_OUT``."""
    paths: dict[str, str] = {WORKSPACE: ""}
    by_label = {model._meta.label: model for model in _models()}
    queue = deque([WORKSPACE])
    while queue:
        target = queue.popleft()
        for label, model in sorted(by_label.items()):
            if label in paths:
                continue
            for field in _foreign_keys(model):
                if field.null or field.related_model._meta.label != target:
                    continue
                above = paths[target]
                paths[label] = f"{field.name}__{above}" if above else field.name
                queue.append(label)
                break
    return tuple(
        Table(by_label[label], path.removesuffix("__") if path else path)
        for label, path in sorted(paths.items())
        if label not in LEFT_OUT
    )


@cache
def archived_tables() -> tuple[Table, ...]:
    """The archive's tables in the order they are written and read back: each after the
    tables its foreign keys point to; a self reference, or a key closing a cycle, is written
    in a second pass (``Table.deferred``)."""
    by_label = {table.label: table for table in owned_tables()}
    for label in (USER, *PERSONAL):
        by_label[label] = Table(apps.get_model(label), None)
    needs = {
        label: {
            field.related_model._meta.label
            for field in _foreign_keys(table.model)
            if field.related_model is not table.model
        }
        for label, table in by_label.items()
    }
    outside = {
        f"{label} → {target}"
        for label, targets in needs.items()
        for target in targets
        if target not in by_label
    }
    if outside:
        raise LookupError(f"Archived tables point outside the archive: {sorted(outside)}")
    deferred: dict[str, set[str]] = {
        label: {
            field.name for field in _foreign_keys(table.model) if field.related_model is table.model
        }
        for label, table in by_label.items()
    }
    order: list[str] = []
    waiting = dict(needs)
    while waiting:
        ready = sorted(label for label, targets in waiting.items() if not targets - set(order))
        if not ready:
            # A cycle: write one nullable key of it in the second pass.
            label, field = next(
                (label, field)
                for label in sorted(waiting)
                for field in _foreign_keys(by_label[label].model)
                if field.null and field.related_model._meta.label in waiting
            )
            deferred[label].add(field.name)
            waiting[label] = waiting[label] - {field.related_model._meta.label}
            continue
        order.extend(ready)
        for label in ready:
            del waiting[label]
    return tuple(
        Table(by_label[label].model, by_label[label].path, tuple(sorted(deferred[label])))
        for label in order
    )


def unclassified() -> list[str]:
    """Models that name a workspace or a person (through any key, even a nullable one) and
    are neither archived nor left out."""
    known = {table.label for table in archived_tables()} | set(LEFT_OUT)
    found = []
    for model in _models():
        label = model._meta.label
        if label in known:
            continue
        targets = {f.related_model._meta.label for f in _foreign_keys(model)}
        if targets & (known - set(LEFT_OUT)) or targets & {WORKSPACE, USER}:
            found.append(label)
    return sorted(found)
