"""Filing, editing, answering and withdrawing asks. Pages and the API both call these.

Seed 002: "It's your job to make those asks and listen to those requests from your partner —
ensuring both parties are communicating." So an ask always names which side made it (set
from who files it), the person on the other side who should answer is told by e-mail, and
the asker hears back the moment it is answered.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import services as core
from tandem.core.access import Actor, Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.items import ItemType, checks, text_fields
from tandem.core.policy import require_open
from tandem.core.scope import Scope, scope_of
from tandem.notifications.services import notify
from tandem.relationship.asks.forms import AskForm
from tandem.relationship.asks.models import RESPONDED, Ask, AskStatus, Side
from tandem.relationship.asks.selectors import answerers, side_of


def _check_owner(partnership: Scope, side: str, owner: User | None, visibility: str) -> None:
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


def _validate(actor: Actor, scope: Scope, values: dict[str, Any], ask: Ask | None) -> None:
    """A new ask is the actor's side's; a change is the asking side's, and the partner's own
    asks stay shared with them. Whoever should answer is on the other side."""
    if ask is None:
        side = values["side"] = side_of(actor, scope)
    else:
        _require(can_edit(actor, ask), "Only the side that asked can change this ask.")
        side = ask.side
        if side == Side.PARTNER and values.get("visibility") == Visibility.INTERNAL:
            # The partner filed it: hiding it from them would leave their ask unanswered unseen.
            raise InvalidInput.on("visibility", "The partner's own asks stay shared with them.")
    if ask is None or "owner" in values or "visibility" in values:
        _check_owner(
            scope,
            side,
            values.get("owner", getattr(ask, "owner", None)),
            values.get("visibility", getattr(ask, "visibility", Visibility.SHARED)),
        )


def _asked(ask: Ask, actor: Actor) -> None:
    """The person who should answer is mailed once the ask is saved (if they chose e-mail
    for asks), and the bell tells them it waits for them."""
    if ask.owner is not None and ask.owner != actor.user:
        _mail(ask, "asked")
        _waiting(ask, actor)


def _waiting(ask: Ask, actor: Actor) -> None:
    who = actor.user.get_full_name() if actor.user is not None else "Someone"
    url = reverse("ask_detail", args=[ask.partnership_id, ask.pk])
    text = f"{who} asks you: {ask.title}"
    notify(
        recipients=[ask.owner], kind="ask", item=ask, text=text, url=url, actor=actor, email=False
    )


def _changed(ask: Ask, actor: Actor, before: dict[str, Any]) -> None:
    """A new owner of an open ask is told of it."""
    if "owner" in before and ask.owner is not None and ask.owner != before["owner"]:
        if ask.is_open and ask.owner != actor.user:
            _mail(ask, "asked")
            _waiting(ask, actor)


ASKS = ItemType(
    model=Ask,
    name="ask",
    label="ask",
    form=AskForm,
    required={"title": "Say what you ask."},
    defaults={"visibility": Visibility.SHARED},
    check=checks(
        text_fields("title", "details"),
        lambda values: core.check_date("needed_by", values.get("needed_by")),
    ),
    validate=_validate,
    logged=("title", "owner", "needed_by", "visibility"),
    after_create=_asked,
    after_update=_changed,
)

ask_create = ASKS.create
ask_update = ASKS.update
ask_delete = ASKS.remove


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
    require_open(scope_of(ask))
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
    require_open(scope_of(ask))
    core.update(
        ask, actor=actor, version=version, changes={"status": AskStatus.WITHDRAWN}, verb="withdrew"
    )
    return ask


def ask_reopen(ask: Ask, *, actor: Actor, version: int | None) -> Ask:
    """Members open a closed ask again (the answer did not settle it); the clock restarts
    from the original ask, so the response time stays honest."""
    _require(actor.is_member(ask.workspace_id), "Only the workspace can reopen an ask.")
    _require(not ask.is_open, "This ask is already open.")
    require_open(scope_of(ask))
    core.update(
        ask,
        actor=actor,
        version=version,
        changes={"status": AskStatus.OPEN, "answered_by": None, "answered_at": None},
        verb="reopened",
    )
    return ask
