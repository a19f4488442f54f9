"""The value exchange ledger's writes: the workspace's kinds, entries (an item type on the
framework) and the other side's confirmation or dispute. Pages and the API both call these.

An entry names the side that logged it (set from who logs it); only the OTHER side confirms
or disputes it, so nobody vouches for what they claim themselves. Changing what an entry
claims (its value, date, kind, direction …) after it was confirmed or disputed puts it back
to "not confirmed yet": the other side confirmed something else.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tandem.core import services as core
from tandem.core import text
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.items import ItemType, checks, text_fields
from tandem.core.policy import require_open
from tandem.core.scope import Scope, scope_of
from tandem.exchange.ledger.forms import EntryForm
from tandem.exchange.ledger.models import DEFAULT_KINDS, Confirmation, Direction, Entry, Kind
from tandem.exchange.ledger.sides import side_of
from tandem.exchange.money.services import validate_amount, validate_currency

# What an entry claims: changing one of these asks the other side again.
CLAIMS = ("kind", "direction", "occurred_on", "title", "amount", "currency", "estimated")


# --- Kinds ----------------------------------------------------------------------------------


def _member(actor: Actor, workspace_id: int) -> None:
    actor.require(actor.is_member(workspace_id))


def ensure_kinds(workspace_id: int) -> None:
    """The default kinds, made the first time a workspace's ledger is used (never again: a
    workspace that archived them all keeps its choice)."""
    if Kind.objects.filter(workspace_id=workspace_id).exists():
        return
    try:
        with transaction.atomic():
            Kind.objects.bulk_create(
                Kind(workspace_id=workspace_id, name=name, position=index)
                for index, name in enumerate(DEFAULT_KINDS)
            )
    except IntegrityError:  # made at the same moment by another request
        pass


def _kind_name(workspace_id: int, name: Any, *, exclude: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise InvalidInput.on("name", "Name the kind.")
    if len(name) > 60:
        raise InvalidInput.on("name", "Keep the name under 60 characters.")
    taken = Kind.objects.filter(workspace_id=workspace_id, name__iexact=name)
    if exclude is not None:
        taken = taken.exclude(pk=exclude)
    if taken.exists():
        raise InvalidInput.on("name", f"There is already a kind called {name}.")
    return name


def kind_create(*, actor: Actor, workspace_id: int, name: str) -> Kind:
    """Add a kind (it goes last)."""
    _member(actor, workspace_id)
    ensure_kinds(workspace_id)
    name = _kind_name(workspace_id, name)
    with transaction.atomic():
        last = Kind.objects.filter(workspace_id=workspace_id).aggregate(last=Max("position"))
        kind = Kind(workspace_id=workspace_id, name=name, position=(last["last"] or 0) + 1)
        try:
            with transaction.atomic():
                core.create(kind, actor=actor, fields=("name",))
        except IntegrityError:
            raise InvalidInput.on("name", f"There is already a kind called {name}.") from None
    return kind


def kind_update(kind: Kind, *, actor: Actor, version: int | None, **changes: Any) -> Kind:
    """Rename a kind, or archive it (new entries cannot use it; past ones keep it) or bring
    it back. Entries of the kind show the new name."""
    _member(actor, kind.workspace_id)
    unknown = set(changes) - set(Kind.concurrency_fields)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "name" in changes:
        changes["name"] = _kind_name(kind.workspace_id, changes["name"], exclude=kind.pk)
    if "archived" in changes:
        if changes["archived"] is None:
            raise InvalidInput.on("archived", "Say whether the kind is archived.")
        changes["archived"] = bool(changes["archived"])
    try:
        with transaction.atomic():
            core.update(kind, actor=actor, version=version, changes=changes)
    except IntegrityError:
        raise InvalidInput.on("name", "There is already a kind of that name.") from None
    return kind


def kind_move(kind: Kind, *, actor: Actor, version: int | None, direction: str) -> Kind:
    """Swap a kind with its neighbour above (``up``) or below (``down``)."""
    _member(actor, kind.workspace_id)
    if direction not in {"up", "down"}:
        raise InvalidInput.on("move", "Move a kind up or down.")
    core.check_version(kind, version)
    siblings = Kind.objects.filter(workspace_id=kind.workspace_id).exclude(pk=kind.pk)
    if direction == "up":
        neighbour = (
            siblings.filter(position__lte=kind.position).order_by("-position", "-id").first()
        )
    else:
        neighbour = siblings.filter(position__gte=kind.position).order_by("position", "id").first()
    if neighbour is None:
        return kind
    mine, theirs = kind.position, neighbour.position
    if mine == theirs:
        mine, theirs = (theirs + 1, theirs) if direction == "up" else (theirs, theirs + 1)
    with transaction.atomic():
        Kind.objects.filter(pk=neighbour.pk).update(position=mine)
        core.update(
            kind,
            actor=actor,
            version=version,
            changes={"position": theirs},
            verb="moved",
            logged={"position": [str(mine + 1), str(theirs + 1)]},
        )
    return kind


# --- Entries --------------------------------------------------------------------------------


def _check(values: dict[str, Any]) -> None:
    """Tidy and refuse values whoever logs them: a value is an amount (never negative) with
    an ISO 4217 currency, or nothing. A spoofed title is refused before anything else is
    asked for (the write would refuse it too, after the kind)."""
    if values.get("title"):
        values["title"] = text.line("title", values["title"])
    if values.get("currency") is not None:
        values["currency"] = str(values["currency"]).strip().upper()
    if values.get("amount") is not None and values["amount"] != "":
        values["amount"] = validate_amount(values["amount"])
    elif "amount" in values:
        values["amount"] = None
    if values.get("currency"):
        values["currency"] = validate_currency(values["currency"])
    if "direction" in values and values["direction"] not in Direction.values:
        raise InvalidInput.on("direction", "Say which side gave it: ours or the partner's.")
    core.check_date("occurred_on", values.get("occurred_on"))


def can_edit(actor: Actor, entry: Entry) -> bool:
    """Members change any entry they see; partner-side people the entries their side logged."""
    if actor.is_member(entry.workspace_id):
        return True
    return actor.can_see(entry) and entry.logged_by_side == Direction.PARTNER


def can_confirm(actor: Actor, entry: Entry) -> bool:
    """The side that did not log it answers for it (an internal entry has no other side)."""
    if not actor.can_see(entry) or entry.visibility == Visibility.INTERNAL:
        return False
    return side_of(actor, scope_of(entry)) != entry.logged_by_side


def _validate(actor: Actor, scope: Scope, values: dict[str, Any], entry: Entry | None) -> None:
    if entry is None:
        values["logged_by_side"] = side_of(actor, scope)
        if values.get("owner") is None:  # the form's "Me"
            values["owner"] = actor.user
    elif not can_edit(actor, entry):
        raise InvalidInput("Only the side that logged this entry can change it.")
    if entry is None or "kind" in values:
        kind = values.get("kind")
        if kind is None:
            raise InvalidInput.on("kind", "Choose the kind of value.")
        if kind.workspace_id != scope.workspace_id:
            raise InvalidInput.on("kind", "Choose a kind of this workspace.")
        if kind.archived and (entry is None or kind.pk != entry.kind_id):
            raise InvalidInput.on("kind", f"{kind.name} is archived: choose another kind.")
    if values.get("opportunity") is not None:
        opportunity = values["opportunity"]
        if opportunity.partnership_id != scope.id or not actor.can_see(opportunity):
            raise InvalidInput.on("opportunity", "Choose an opportunity of this partnership.")
    amount = values["amount"] if "amount" in values else getattr(entry, "amount", None)
    currency = values["currency"] if "currency" in values else getattr(entry, "currency", "")
    estimated = values.get("estimated", getattr(entry, "estimated", False))
    if amount is not None and not currency:
        raise InvalidInput.on("currency", "Give the amount's currency (e.g. EUR).")
    if amount is None and currency and ("currency" in values and values["currency"]):
        raise InvalidInput.on("amount", f"Give the amount in {currency}, or clear the currency.")
    if estimated and amount is None:
        raise InvalidInput.on("amount", "Give the estimated value (an amount and its currency).")
    if entry is not None and entry.confirmation != Confirmation.PENDING:
        if any(name in values and values[name] != getattr(entry, name) for name in CLAIMS):
            values.update(
                confirmation=Confirmation.PENDING,
                confirmation_note="",
                confirmed_by=None,
                confirmed_at=None,
            )


ENTRIES = ItemType(
    model=Entry,
    name="entry",
    label="ledger entry",
    form=EntryForm,
    required={
        "title": "Say what was given.",
        "occurred_on": "Give the date it was given.",
        "kind": "Choose the kind of value.",
        "direction": "Say which side gave it.",
    },
    defaults={"visibility": Visibility.SHARED, "currency": ""},
    check=checks(text_fields("title", "notes"), _check),
    validate=_validate,
    may_change=can_edit,
    logged=("kind", "direction", "title", "occurred_on", "amount", "currency", "visibility"),
)

entry_create = ENTRIES.create
entry_update = ENTRIES.update
entry_delete = ENTRIES.remove


def entry_answer(
    entry: Entry, *, actor: Actor, version: int | None, confirm: bool, note: str = ""
) -> Entry:
    """Confirm (``confirm=True``) or dispute an entry, as the side that did not log it; a
    dispute says why. Names the version read: an entry changed meanwhile is refused."""
    if not can_confirm(actor, entry):
        if entry.visibility == Visibility.INTERNAL:
            raise InvalidInput("An internal entry is ours alone: there is no one to confirm it.")
        raise InvalidInput("The other side confirms or disputes what your side logged.")
    require_open(scope_of(entry))
    note = core.short_note(note, field="note", limit=2000)
    if not confirm and not note:
        raise InvalidInput.on("note", "Say what is wrong (e.g. this introduction didn't happen).")
    state = Confirmation.CONFIRMED if confirm else Confirmation.DISPUTED
    before = Confirmation(entry.confirmation).label
    changes: dict[str, Any] = {
        "confirmation": state,
        "confirmation_note": note,
        "confirmed_by": actor.user,
        "confirmed_at": timezone.now(),
    }
    core.update(
        entry,
        actor=actor,
        version=version,
        changes=changes,
        verb="confirmed" if confirm else "disputed",
        logged={"confirmation": [str(before), str(state.label)]},
        message="Someone changed this entry while you were answering it.",
    )
    return entry
