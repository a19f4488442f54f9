"""Filing, editing, answering and withdrawing asks. Pages and the API both call these.

Seed 002: "It's your job to make those asks and listen to those requests from your partner —
ensuring both parties are communicating." So an ask always names which side made it (set
from who files it), the person on the other side who should answer is told by e-mail, and
the asker hears back the moment it is answered.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.policy import item_values, require_open
from tandem.partners.models import Partnership
from tandem.partners.services import members_of, partner_people_of
from tandem.relationship.asks.models import RESPONDED, Ask, AskStatus, Side

EDITABLE = Ask.concurrency_fields


def side_of(actor: Actor, partnership: Partnership) -> str:
    """A workspace member asks for our side; a partner-side person for the partner."""
    return Side.OURS if actor.is_member(partnership.workspace_id) else Side.PARTNER


def answerers(partnership: Partnership, side: str) -> QuerySet[User]:
    """Who can be asked: the people on the other side of ``side``."""
    if side == Side.PARTNER:
        return members_of(partnership.workspace_id)
    return partner_people_of(partnership)


def _check_owner(partnership: Partnership, side: str, owner: User | None, visibility: str) -> None:
    if owner is None:
        return
    if side == Side.OURS and visibility == Visibility.INTERNAL:
        raise InvalidInput.on(
            "owner", "An internal ask stays with us: the partner's people cannot see it."
        )
    if not answerers(partnership, side).filter(pk=owner.pk).exists():
        raise InvalidInput.on(
            "owner",
            "Choose someone from our workspace."
            if side == Side.PARTNER
            else "Choose someone on the partner's side of this partnership.",
        )


def _check_needed_by(needed_by: date | None) -> None:
    core.check_date("needed_by", needed_by)


def can_edit(actor: Actor, ask: Ask) -> bool:
    """Members change any ask; partner-side people their own side's asks while open."""
    if actor.is_member(ask.workspace_id):
        return True
    return actor.can_see(ask) and ask.side == Side.PARTNER and ask.is_open


def can_answer(actor: Actor, ask: Ask) -> bool:
    """The side that was asked answers (members may also record an answer for the partner);
    an answer may be corrected, a withdrawn ask has nothing to answer."""
    if ask.status == AskStatus.WITHDRAWN or not actor.can_see(ask):
        return False
    return actor.is_member(ask.workspace_id) or ask.side == Side.OURS


def can_withdraw(actor: Actor, ask: Ask) -> bool:
    if not ask.is_open or not actor.can_see(ask):
        return False
    return actor.is_member(ask.workspace_id) or ask.side == Side.PARTNER


def _require(allowed: bool, message: str) -> None:
    """A refusal the person can read, on the page and in the API (400): they can see the
    ask; this is the partnership's rule, not a hidden object."""
    if not allowed:
        raise InvalidInput(message)


def _mail(ask: Ask, event: str) -> None:
    from tandem.relationship.asks.tasks import send_ask_mail

    transaction.on_commit(lambda: send_ask_mail.enqueue(ask.pk, event))


def ask_create(
    *,
    actor: Actor,
    partnership: Partnership,
    title: str,
    details: str = "",
    owner: User | None = None,
    needed_by: date | None = None,
    visibility: str = Visibility.SHARED,
) -> Ask:
    """File an ask for the actor's side. Its owner (if any) is mailed once it is saved."""
    actor.require(actor.can_see_partnership(partnership))
    if getattr(partnership, "is_program", False):
        raise InvalidInput("Asks belong to a partnership.")
    require_open(partnership)
    values = item_values(actor, partnership, {"visibility": visibility})
    side = side_of(actor, partnership)
    _check_owner(partnership, side, owner, values["visibility"])
    _check_needed_by(needed_by)
    ask = Ask(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.id,
        side=side,
        title=(title or "").strip(),
        details=(details or "").strip(),
        owner=owner,
        needed_by=needed_by,
        visibility=values["visibility"],
    )
    with transaction.atomic():
        core.create(ask, actor=actor, fields=("title", "owner", "needed_by", "visibility"))
        if owner is not None and owner != actor.user:
            _mail(ask, "asked")
    return ask


def ask_update(ask: Ask, *, actor: Actor, version: int | None, **changes: Any) -> Ask:
    """Edit what was asked. A new owner is told of it."""
    _require(can_edit(actor, ask), "Only the side that asked can change this ask.")
    require_open(ask.partnership)  # type: ignore[arg-type]
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    changes = item_values(actor, ask.partnership, changes)  # type: ignore[arg-type]
    if ask.side == Side.PARTNER and changes.get("visibility") == Visibility.INTERNAL:
        # The partner filed it: hiding it from them would leave their ask unanswered unseen.
        raise InvalidInput.on("visibility", "The partner's own asks stay shared with them.")
    if "title" in changes:
        changes["title"] = (changes["title"] or "").strip()
    if "details" in changes:
        changes["details"] = (changes["details"] or "").strip()
    owner = changes.get("owner", ask.owner)
    if "owner" in changes or "visibility" in changes:
        _check_owner(
            ask.partnership,  # type: ignore[arg-type]
            ask.side,
            owner,
            changes.get("visibility", ask.visibility),
        )
    _check_needed_by(changes.get("needed_by"))
    new_owner = "owner" in changes and owner is not None and owner != ask.owner
    with transaction.atomic():
        core.update(ask, actor=actor, version=version, changes=changes)
        if new_owner and ask.is_open and owner != actor.user:
            _mail(ask, "asked")
    return ask


def ask_answer(
    ask: Ask, *, actor: Actor, version: int | None, answer: str, decline: bool = False
) -> Ask:
    """Answer (or decline) an ask; the asker is mailed. Answering names the version read, so
    two people answering at once cannot overwrite each other: the second is refused."""
    _require(
        can_answer(actor, ask),
        "This ask was withdrawn." if ask.status == AskStatus.WITHDRAWN
        else "The other side answers this ask.",
    )  # fmt: skip
    require_open(ask.partnership)  # type: ignore[arg-type]
    answer = (answer or "").strip()
    if not answer and not decline:
        raise InvalidInput.on("answer", "Write the answer (or decline the ask).")
    changes: dict[str, Any] = {
        "answer": answer,
        "status": AskStatus.DECLINED if decline else AskStatus.ANSWERED,
    }
    first = ask.status not in RESPONDED
    if first:
        changes["answered_by"] = actor.user
        changes["answered_at"] = timezone.now()
    with transaction.atomic():
        try:
            core.update(
                ask,
                actor=actor,
                version=version,
                changes=changes,
                verb="declined" if decline else "answered",
            )
        except Conflict as error:
            raise Conflict(
                "Someone changed or answered this ask while you were writing.",
                current=error.current,
                attempted={"status": changes["status"], "answer": answer},
                fields=("status", "answer"),
            ) from error
        if first and ask.created_by_id and ask.created_by_id != getattr(actor.user, "pk", None):
            _mail(ask, "answered")
    return ask


def ask_withdraw(ask: Ask, *, actor: Actor, version: int | None) -> Ask:
    _require(
        can_withdraw(actor, ask),
        "Only open asks can be withdrawn." if not ask.is_open
        else "Only the side that asked can withdraw it.",
    )  # fmt: skip
    require_open(ask.partnership)  # type: ignore[arg-type]
    core.update(
        ask, actor=actor, version=version, changes={"status": AskStatus.WITHDRAWN}, verb="withdrew"
    )
    return ask


def ask_reopen(ask: Ask, *, actor: Actor, version: int | None) -> Ask:
    """Members open a closed ask again (the answer did not settle it); the clock restarts
    from the original ask, so the response time stays honest."""
    _require(actor.is_member(ask.workspace_id), "Only the workspace can reopen an ask.")
    _require(not ask.is_open, "This ask is already open.")
    require_open(ask.partnership)  # type: ignore[arg-type]
    core.update(
        ask,
        actor=actor,
        version=version,
        changes={"status": AskStatus.OPEN, "answered_by": None, "answered_at": None},
        verb="reopened",
    )
    return ask


def ask_delete(ask: Ask, *, actor: Actor, version: int | None) -> None:
    actor.require(actor.is_member(ask.workspace_id))
    require_open(ask.partnership)  # type: ignore[arg-type]
    core.delete(ask, actor=actor, version=version)
