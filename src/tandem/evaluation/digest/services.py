"""A person's digest choices, and what the one-click links do.

Each action calls the feature app's own service with the person's actor, so it is checked,
versioned and written to the activity log as theirs, exactly as if they had clicked in the
app. The link is spent in the same transaction: a refused action leaves it usable.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from tandem.accounts.models import User
from tandem.core.errors import InvalidInput
from tandem.evaluation.digest import links
from tandem.evaluation.digest.links import Refused, Use, lost
from tandem.evaluation.digest.models import (
    DEFAULT_HOUR,
    DEFAULT_WEEKDAY,
    Action,
    DigestPreference,
)
from tandem.meetings.models import validate_timezone
from tandem.plans.models import PlanReminder
from tandem.plans.selectors import PlanState, plan_state, side_of
from tandem.plans.services import sign
from tandem.relationship.asks.models import Ask, AskStatus
from tandem.relationship.asks.services import ask_answer, can_answer
from tandem.traction.models import Todo
from tandem.traction.services import todo_set_done

# --- Choices ----------------------------------------------------------------------------------


def preference_of(user: User) -> DigestPreference:
    """The person's choices; the defaults (on, Monday at 8, unsaved) until they choose."""
    found = DigestPreference.objects.filter(user_id=user.pk).first()
    if found is None:
        found = DigestPreference(user=user, weekday=DEFAULT_WEEKDAY, hour=DEFAULT_HOUR)
    return found


def preferences_set(
    user: User, *, enabled: bool, weekday: int, hour: int, timezone: str | None = None
) -> DigestPreference:
    """Store the person's choices; ``timezone`` (their own, which the day and hour are read
    in) changes their account's time zone when given."""
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise InvalidInput.on("weekday", "Choose a day of the week.")
    if not isinstance(hour, int) or not 0 <= hour <= 23:
        raise InvalidInput.on("hour", "Choose an hour from 0 to 23.")
    if timezone is not None:
        try:
            validate_timezone(timezone)
        except ValidationError as error:
            raise InvalidInput.on("timezone", error.messages[0]) from error
    with transaction.atomic():
        preference, _ = DigestPreference.objects.update_or_create(
            user_id=user.pk, defaults={"enabled": bool(enabled), "weekday": weekday, "hour": hour}
        )
        if timezone is not None and timezone != user.timezone:
            User.objects.filter(pk=user.pk).update(timezone=timezone)
            user.timezone = timezone
    return preference


# --- One-click actions -----------------------------------------------------------------------


def target(use: Use) -> Any:
    """The item the link acts on, as the person may see it now; ``Refused`` when they no
    longer may, or when there is nothing left to do."""
    link, actor = use.link, use.actor
    if link.action == Action.TODO_DONE:
        todo = (
            Todo.objects.visible_to(actor)
            .filter(pk=link.target_id)
            .select_related("partnership")
            .first()
        )
        if todo is None or not links.may_link(actor, todo) or not actor.can_change(todo):
            raise lost()
        if todo.is_done:
            raise Refused(410, "This to-do is already done", f"“{todo.title}” was ticked off.")
        return todo
    if link.action == Action.ASK_ANSWER:
        ask = (
            Ask.objects.visible_to(actor)
            .filter(pk=link.target_id)
            .select_related("partnership", "created_by")
            .first()
        )
        if ask is None or not links.may_link(actor, ask) or not can_answer(actor, ask):
            raise lost()
        if ask.status != AskStatus.OPEN:
            raise Refused(
                410,
                "This ask needs no answer now",
                f"“{ask.title}” is {ask.get_status_display().lower()}.",
            )
        return ask
    if link.action == Action.PLAN_SIGN:
        return _plan(use)
    raise Refused(*links.UNKNOWN)


def _plan(use: Use) -> PlanState:
    """The plan the link asks to sign, as it is now, while the person's side has still to
    sign this version."""
    actor = use.actor
    reminder = (
        PlanReminder.objects.visible_to(actor)
        .filter(pk=use.link.target_id)
        .select_related("partnership")
        .first()
    )
    if reminder is None or not links.may_link(actor, reminder):
        raise lost()
    partnership = reminder.partnership
    side = side_of(actor, partnership)
    if side is None or partnership.archived_at is not None:
        raise lost()
    state = plan_state(actor, partnership, reminder.year, reminder.quarter)
    if side not in state.to_sign():
        raise Refused(
            410,
            "Your side has signed this plan",
            f"The {state.label} plan of {partnership.name} is signed for your side as it "
            "is now. Should it change, you will be asked again.",
        )
    return state


def act(use: Use, item: Any, *, answer: str = "", content_hash: str = "") -> Any:
    """Do what the link says, as its person; spend the link with it. ``InvalidInput`` or
    ``Conflict`` from the service leave the link usable."""
    with transaction.atomic():
        if not links.mark_used(use.link):
            raise Refused(410, "This link was already used", "Each link in a digest works once.")
        try:
            if use.link.action == Action.TODO_DONE:
                return todo_set_done(item, actor=use.actor, version=item.version, done=True)
            if use.link.action == Action.ASK_ANSWER:
                return ask_answer(item, actor=use.actor, version=item.version, answer=answer)
            if use.link.action == Action.PLAN_SIGN:
                return sign(
                    actor=use.actor,
                    partnership=item.partnership,
                    year=item.year,
                    quarter=item.quarter,
                    content_hash=content_hash,
                )
        except PermissionDenied as error:
            raise lost() from error
    raise Refused(*links.UNKNOWN)
