"""The pipeline's writes: a workspace's stages and stall rule, opportunities (an item type on
the framework), stage moves, and deal registration by the partner's people with a member's
decision. Pages and the API both call these; every rule of who may act is here.

A registration for an account the workspace already has (same normalised domain, or name) is
flagged for members, who see which deal it matched; the partner learns only that the account
is already registered, never by whom or in which partnership.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.items import ItemType, checks, text_fields
from tandem.core.policy import require_open
from tandem.core.scope import Scope, scope_of
from tandem.exchange.money.services import validate_amount, validate_currency
from tandem.exchange.pipeline.forms import OpportunityForm
from tandem.exchange.pipeline.models import (
    Opportunity,
    Outcome,
    PipelineSettings,
    Registration,
    Stage,
    StageChange,
)
from tandem.exchange.pipeline.stages import first_open_stage, stages_of
from tandem.exchange.pipeline.stages import stall_days_of as stall_days_of  # used by callers

TAKEN = "This account is already registered."

# What happens elsewhere when a deal is won, inside the move's transaction: the ledger records
# the value the deal brought (filled in its app's ``ready()``, so the pipeline needs no import
# of the ledger). Each hook receives the deal, now at its won stage, and who moved it.
ON_WON: list[Callable[[Opportunity, Actor], object]] = []


# Stages and the stall rule --------------------------------------------------------------


def _member(actor: Actor, workspace_id: int) -> None:
    actor.require(actor.is_member(workspace_id))


def _stage_values(workspace_id: int, values: dict[str, Any], exclude: int | None = None) -> None:
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
        if not values["name"]:
            raise InvalidInput.on("name", "Name the stage.")
        if len(values["name"]) > 60:
            raise InvalidInput.on("name", "Keep the name to 60 characters.")
        taken = Stage.objects.filter(workspace_id=workspace_id, name__iexact=values["name"])
        if taken.exclude(pk=exclude or 0).exists():
            raise InvalidInput.on("name", "There is already a stage of that name.")
    if "probability" in values:
        probability = values["probability"]
        if probability is None or not 0 <= int(probability) <= 100:
            raise InvalidInput.on("probability", "A win probability is between 0 and 100 %.")
    if "outcome" in values and values["outcome"] not in Outcome.values:
        raise InvalidInput.on("outcome", "Choose open, won or lost.")


def stage_create(
    *, actor: Actor, workspace_id: int, name: str, probability: int, outcome: str = Outcome.OPEN
) -> Stage:
    """A new stage, last in the order."""
    _member(actor, workspace_id)
    stages_of(workspace_id)
    values: dict[str, Any] = {"name": name, "probability": probability, "outcome": outcome}
    _stage_values(workspace_id, values)
    position = Stage.objects.filter(workspace_id=workspace_id).aggregate(last=Max("position"))
    stage = Stage(workspace_id=workspace_id, position=(position["last"] or 0) + 1, **values)
    core.create(stage, actor=actor)
    return stage


def stage_update(stage: Stage, *, actor: Actor, version: int | None, **changes: Any) -> Stage:
    """Rename, reweight, change the outcome, archive or restore a stage. Deals keep it."""
    _member(actor, stage.workspace_id)
    unknown = set(changes) - set(Stage.concurrency_fields)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    _stage_values(stage.workspace_id, changes, exclude=stage.pk)
    if changes.get("archived") or changes.get("outcome", Outcome.OPEN) != Outcome.OPEN:
        others = Stage.objects.filter(
            workspace_id=stage.workspace_id, archived=False, outcome=Outcome.OPEN
        ).exclude(pk=stage.pk)
        if not others.exists():
            raise InvalidInput("Keep at least one open stage: new deals start there.")
    core.update(stage, actor=actor, version=version, changes=changes)
    return stage


def stage_move(stage: Stage, *, actor: Actor, version: int | None, direction: str) -> Stage:
    """Swap a stage with its neighbour above (``up``) or below (``down``)."""
    _member(actor, stage.workspace_id)
    if direction not in {"up", "down"}:
        raise InvalidInput.on("direction", "Move a stage up or down.")
    core.check_version(stage, version)
    stages = stages_of(stage.workspace_id)
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(stages):
        return stage
    neighbour = stages[other]
    with transaction.atomic():
        order = [s.pk for s in stages]
        order[index], order[other] = order[other], order[index]
        for position, pk in enumerate(order):
            Stage.objects.filter(pk=pk).update(position=position)
        Stage.objects.filter(pk__in=[stage.pk, neighbour.pk]).update(version=F("version") + 1)
    stage.refresh_from_db()
    return stage


def set_stall_days(
    *, actor: Actor, workspace_id: int, stall_days: int, version: int | None = None
) -> PipelineSettings:
    """How many days without a stage change flag an open deal as stalled (1–365)."""
    _member(actor, workspace_id)
    if stall_days is None or not 1 <= int(stall_days) <= 365:
        raise InvalidInput.on("stall_days", "Between 1 and 365 days.")
    found, made = PipelineSettings.objects.get_or_create(workspace_id=workspace_id)
    core.update(
        found,
        actor=actor,
        version=found.version if made or version is None else version,
        changes={"stall_days": int(stall_days)},
    )
    return found


# Opportunities ------------------------------------------------------------------------


def normalised_domain(domain: str) -> str:
    """``https://www.Contoso.com/about`` → ``contoso.com``."""
    text = (domain or "").strip().lower()
    text = re.sub(r"^[a-z][a-z0-9+.-]*://", "", text)
    text = re.split(r"[/?#]", text, maxsplit=1)[0]
    text = text.split("@")[-1].split(":")[0].strip(".")
    return text[4:] if text.startswith("www.") else text


def normalised_name(name: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", (name or "").lower()).split())


def account_key(name: str, domain: str) -> str:
    return normalised_domain(domain) or normalised_name(name)


def _money(values: dict[str, Any], item: Opportunity | None) -> None:
    if "currency" in values:
        code = str(values["currency"] or "").strip()
        values["currency"] = validate_currency(code) if code else ""
    if values.get("amount") == "":
        values["amount"] = None
    if "amount" in values and values["amount"] is not None:
        amount = validate_amount(values["amount"])
        if amount >= Decimal("1e12"):
            raise InvalidInput.on("amount", "That amount is too large.")
        values["amount"] = amount.quantize(Decimal("0.01"))
    given = values.get("amount", getattr(item, "amount", None))
    currency = values.get("currency", getattr(item, "currency", ""))
    if given is not None and not currency:
        raise InvalidInput.on("currency", "Give the amount's currency (e.g. EUR).")


def _check(values: dict[str, Any]) -> None:
    text_fields("account_name", "account_domain", "next_step")(values)
    if "account_domain" in values and values["account_domain"]:
        domain = normalised_domain(values["account_domain"])
        if not re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)+", domain):
            raise InvalidInput.on("account_domain", "Give a web domain such as contoso.com.")
        values["account_domain"] = domain
    if "expected_close" in values:
        core.check_date("expected_close", values["expected_close"])


def is_taken(workspace_id: int, key: str, *, exclude: int | None = None) -> bool:
    """Whether another live deal of the workspace (any partnership) has this account."""
    return (
        Opportunity.objects.filter(workspace_id=workspace_id, account_key=key)
        .exclude(registration=Registration.REJECTED)
        .exclude(pk=exclude or 0)
        .exists()
    )


def _validate(actor: Actor, scope: Scope, values: dict[str, Any], item: Opportunity | None) -> None:
    member = actor.is_member(scope.workspace_id)
    _money(values, item)
    if item is None:
        if member:
            stage = values.get("stage") or first_open_stage(scope.workspace_id)
            if stage.workspace_id != scope.workspace_id or stage.archived:
                raise InvalidInput.on("stage", "Choose a stage of this workspace's pipeline.")
            if stage.is_closed:
                raise InvalidInput.on(
                    "stage", "A new deal starts in an open stage; move it to won or lost later."
                )
            values["stage"] = stage
        else:  # a partner-side person registers the deal
            values["stage"] = first_open_stage(scope.workspace_id)
            values["registration"] = Registration.PENDING
            values["visibility"] = Visibility.SHARED
    else:
        if not member and values.get("visibility") == Visibility.INTERNAL:
            raise InvalidInput.on("visibility", "Only the workspace chooses the visibility.")
        if not member and item.registration == Registration.REJECTED:
            raise InvalidInput("This registration was rejected: it cannot be changed.")
        if item.registration and values.get("visibility") == Visibility.INTERNAL:
            raise InvalidInput.on("visibility", "A registration stays shared with the partner.")
    if item is None or "account_name" in values or "account_domain" in values:
        key = account_key(
            values.get("account_name", getattr(item, "account_name", "")),
            values.get("account_domain", getattr(item, "account_domain", "")),
        )
        if not key:
            raise InvalidInput.on("account_name", "Name the customer account.")
        values["account_key"] = key
        registering = values.get("registration") == Registration.PENDING or (
            item is not None and item.registration == Registration.PENDING
        )
        if registering:
            values["already_registered"] = is_taken(
                scope.workspace_id, key, exclude=getattr(item, "pk", None)
            )


def _started(item: Opportunity, actor: Actor) -> None:
    StageChange.objects.create(
        opportunity=item,
        workspace_id=item.workspace_id,
        from_stage=None,
        to_stage=item.stage,
        changed_at=item.stage_entered_at,
        changed_by=actor.user,
    )
    if item.registration == Registration.PENDING:
        _mail(item, "registered")


def _mail(item: Opportunity, event: str) -> None:
    from tandem.exchange.pipeline.tasks import send_registration_mail

    transaction.on_commit(lambda: send_registration_mail.enqueue(item.pk, event))


def may_change(actor: Actor, item: Opportunity) -> bool:
    """Members change any deal; partner-side people the shared deals of their partnership
    (a rejected registration is closed to them)."""
    if actor.is_member(item.workspace_id):
        return True
    return item.registration != Registration.REJECTED


OPPORTUNITIES = ItemType(
    model=Opportunity,
    name="opportunity",
    label="opportunity",
    form=OpportunityForm,
    required={"account_name": "Name the customer account."},
    defaults={"visibility": Visibility.SHARED},
    fixed=("stage",),
    check=checks(_check),
    validate=_validate,
    may_change=may_change,
    logged=("account_name", "amount", "currency", "owner", "visibility"),
    after_create=_started,
)

opportunity_create = OPPORTUNITIES.create
opportunity_update = OPPORTUNITIES.update
opportunity_delete = OPPORTUNITIES.remove


def register_deal(*, actor: Actor, partnership: Scope, **values: Any) -> Opportunity:
    """A partner-side person registers a deal: pending, in the first open stage, shared;
    flagged when the workspace already has the account. Members add deals directly."""
    if actor.is_member(partnership.workspace_id):
        raise InvalidInput("Members add deals directly; registration is for the partner's people.")
    values.pop("stage", None)
    return OPPORTUNITIES.create(actor=actor, partnership=partnership, **values)


def can_move(actor: Actor, item: Opportunity) -> bool:
    return (
        actor.can_see(item)
        and may_change(actor, item)
        and not item.stage.is_closed
        and item.registration not in (Registration.PENDING, Registration.REJECTED)
    )


def move_stage(
    item: Opportunity,
    *,
    actor: Actor,
    version: int | None,
    stage: Stage,
    lost_reason: str = "",
) -> Opportunity:
    """Move a deal to ``stage``: its history gains a row, the clock of the stage restarts, a
    won or lost stage closes it (a lost one needs the reason). A closed deal stays closed."""
    actor.require(actor.can_change(item) and may_change(actor, item))
    require_open(scope_of(item))
    if item.stage.is_closed:
        raise InvalidInput(f"This deal is closed ({item.stage.name}): its stage cannot change.")
    if item.registration == Registration.PENDING:
        raise InvalidInput("Accept the registration before moving the deal.")
    if item.registration == Registration.REJECTED:
        raise InvalidInput("This registration was rejected: its stage cannot change.")
    if stage.workspace_id != item.workspace_id or stage.archived:
        raise InvalidInput.on("stage", "Choose a stage of this workspace's pipeline.")
    if stage.pk == item.stage_id:
        raise InvalidInput.on("stage", f"The deal is already at {stage.name}.")
    lost_reason = (lost_reason or "").strip()
    if stage.outcome == Outcome.LOST and not lost_reason:
        raise InvalidInput.on("lost_reason", "Say why the deal was lost.")
    if len(lost_reason) > 300:
        raise InvalidInput.on("lost_reason", "Keep the reason to 300 characters.")
    now = timezone.now()
    previous = item.stage
    changes: dict[str, Any] = {
        "stage": stage,
        "stage_entered_at": now,
        "closed_on": timezone.localdate(now) if stage.is_closed else None,
        "lost_reason": lost_reason if stage.outcome == Outcome.LOST else "",
    }
    with transaction.atomic():
        try:
            core.update(
                item,
                actor=actor,
                version=version,
                changes=changes,
                verb="moved",
                logged={"stage": [previous.name, stage.name]},
            )
        except Conflict as error:
            raise Conflict(
                "Someone changed this deal while you were moving it.",
                current=error.current,
                attempted={"stage": stage.name},
                fields=("stage",),
            ) from error
        StageChange.objects.create(
            opportunity=item,
            workspace_id=item.workspace_id,
            from_stage=previous,
            to_stage=stage,
            changed_at=now,
            changed_by=actor.user,
        )
        if stage.outcome == Outcome.WON:
            for hook in ON_WON:
                hook(item, actor)
    return item


def decide_registration(
    item: Opportunity, *, actor: Actor, version: int | None, accept: bool, reason: str = ""
) -> Opportunity:
    """A member accepts or rejects (with the reason) a pending registration; the partner's
    registrant and the partnership's owner are told by e-mail."""
    _member(actor, item.workspace_id)
    require_open(scope_of(item))
    if item.registration != Registration.PENDING:
        raise InvalidInput("This registration has already been decided.")
    reason = (reason or "").strip()
    if not accept and not reason:
        raise InvalidInput.on("reason", "Say why the registration is rejected.")
    if len(reason) > 2000:
        raise InvalidInput.on("reason", "Keep the reason to 2,000 characters.")
    changes = {
        "registration": Registration.ACCEPTED if accept else Registration.REJECTED,
        "decision_reason": reason,
        "decided_by": actor.user,
        "decided_at": timezone.now(),
    }
    with transaction.atomic():
        core.update(
            item,
            actor=actor,
            version=version,
            changes=changes,
            verb="accepted" if accept else "rejected",
            logged={"registration": ["pending", str(changes["registration"])]},
            message="Someone changed or decided this registration while you were reading it.",
        )
        _mail(item, "decided")
    return item
