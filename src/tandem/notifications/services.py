"""Telling people: ``notify`` writes notifications (and queues the e-mails people chose),
reading them marks them read, and each person says what also comes by e-mail.

Feature apps call ``notify``; what every item type shares (an owner given, a mention in a
note, an issue or a headline) arrives through ``tandem.core.services.written``
(``tandem.notifications.receivers``), so core imports no app.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from django.db import models, transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from tandem.accounts.actors import actor_for
from tandem.accounts.models import User
from tandem.core.access import Actor, Visibility
from tandem.core.errors import InvalidInput
from tandem.core.models import follows_its_item
from tandem.notifications.models import (
    MAILED_BY_DEFAULT,
    TEXT_LENGTH,
    Kind,
    Notification,
    Preference,
)
from tandem.partners.services import members_of, partner_people_of


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    item: models.Model,
    text: str,
    url: str,
    actor: Actor,
    email: bool = True,
) -> list[Notification]:
    """Tell ``recipients`` about ``item`` (a row with ``workspace_id``, ``partnership_id``
    and ``visibility``, such as any ``PartnershipItem``). Never the actor themself, nor
    anyone who may not see the item now (a partner-side person never hears of an internal
    item). One transaction; the e-mails of those who chose e-mail for ``kind`` go through
    the task worker once it commits. ``email=False``: the caller mails this event itself
    (an ask), so notify sends none."""
    kind = Kind(kind)
    acting = actor.user.pk if actor.user is not None else None
    people: dict[int, User] = {}
    for person in recipients:
        if person is not None and person.is_active and person.pk != acting:
            people.setdefault(person.pk, person)
    told = [person for person in people.values() if may_see(actor_for(person), item)]
    if not told:
        return []
    workspace_id = item.workspace_id  # type: ignore[attr-defined]
    line = _line(text)
    with transaction.atomic():
        made = Notification.objects.bulk_create(
            Notification(
                recipient=person,
                workspace_id=workspace_id,
                partnership_id=getattr(item, "partnership_id", None),
                kind=kind,
                target_model=item._meta.label_lower,
                target_id=item.pk,
                text=line,
                url=url,
                actor=actor.user,
            )
            for person in told
        )
        mailed = [
            note.pk for note in made if email and note.pk and wants_email(note.recipient, kind)
        ]
        if mailed:
            from tandem.notifications.tasks import send_notification_mail

            transaction.on_commit(lambda: _enqueue(send_notification_mail, mailed))
    return made


def _enqueue(task: Any, ids: list[int]) -> None:
    for pk in ids:
        task.enqueue(pk)


def _line(text: str) -> str:
    """One short plain line."""
    line = " ".join((text or "").split())
    return line if len(line) <= TEXT_LENGTH else line[: TEXT_LENGTH - 1] + "…"


def may_see(reader: Actor, item: models.Model) -> bool:
    """Whether ``reader`` may see ``item`` now, by the rule their list is read with: a
    partner-side reader only an item whose visibility follows the item (never one that is
    the workspace's own)."""
    if reader.is_member(getattr(item, "workspace_id", None)):
        return True
    return follows_its_item(type(item)) is not None and reader.can_see(item)


def wants_email(user: User, kind: str) -> bool:
    """Whether ``user`` also wants ``kind`` by e-mail (their choice, else the default)."""
    chosen = (
        Preference.objects.filter(user_id=user.pk, kind=kind)
        .values_list("by_email", flat=True)
        .first()
    )
    return kind in MAILED_BY_DEFAULT if chosen is None else chosen


def preferences(user: User) -> dict[str, bool]:
    """Every kind, with whether it also comes to ``user`` by e-mail."""
    chosen = dict(Preference.objects.filter(user_id=user.pk).values_list("kind", "by_email"))
    return {kind.value: chosen.get(kind.value, kind in MAILED_BY_DEFAULT) for kind in Kind}


def preferences_set(user: User, by_email: dict[str, bool]) -> dict[str, bool]:
    """Store the kinds ``user`` wants by e-mail (kinds not named keep their choice)."""
    unknown = sorted(set(by_email) - set(Kind.values))
    if unknown:
        raise InvalidInput(f"Unknown kinds: {', '.join(unknown)}.")
    with transaction.atomic():
        for kind, wanted in by_email.items():
            Preference.objects.update_or_create(
                user_id=user.pk, kind=kind, defaults={"by_email": bool(wanted)}
            )
    return preferences(user)


def notifications_for(actor: Actor, *, unread: bool = False) -> QuerySet[Notification]:
    """The actor's notifications they may still read, newest first."""
    found = Notification.objects.visible_to(actor).select_related("actor")
    return found.unread() if unread else found


def unread_count(actor: Actor) -> int:
    """The bell's number: one query."""
    return Notification.objects.visible_to(actor).unread().count()


def mark_read(actor: Actor, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def mark_all_read(actor: Actor) -> int:
    """Mark every unread notification of the actor read; answers how many were."""
    return Notification.objects.visible_to(actor).unread().update(read_at=timezone.now())


# --- Where an item is read --------------------------------------------------------------------


def url_of(item: models.Model) -> str:
    """The page of ``item``: its own page, else its edit page, else its list, else its
    partnership's overview."""
    name = item._meta.model_name
    partnership = getattr(item, "partnership_id", None) or "program"
    pages: tuple[tuple[str, list[Any]], ...] = ()
    if getattr(item, "meeting_id", None):  # a headline: the meeting it was told in
        pages = (("meeting_detail", [partnership, item.meeting_id]),)  # type: ignore[attr-defined]
    elif item._meta.label_lower == "partners.note":
        pages = (("item_edit", [partnership, "notes", item.pk]),)
    for page, args in (
        *pages,
        (f"{name}_detail", [partnership, item.pk]),
        (f"{name}_edit", [partnership, item.pk]),
        (f"{name}_list", [partnership]),
    ):
        try:
            return reverse(page, args=args)
        except NoReverseMatch:
            continue
    if partnership != "program":
        return reverse("partnership_detail", args=[partnership])
    return reverse("notification_list")


# --- Mentions -----------------------------------------------------------------------------------


def mentionable(workspace_id: int, partnership: Any, visibility: str) -> list[User]:
    """The people who may see an item of ``partnership`` (None: the program level) with
    ``visibility``: the workspace's members, and for a shared item of a partnership its
    partner-side people too. Mentions resolve only to them, and the forms offer only them."""
    people = list(members_of(workspace_id))
    if partnership is not None and visibility == Visibility.SHARED:
        seen = {person.pk for person in people}
        people += [p for p in partner_people_of(partnership) if p.pk not in seen]
    return sorted(people, key=lambda person: (person.get_full_name().lower(), person.pk))


def mentioned(text: str, people: Iterable[User]) -> list[User]:
    """The people ``text`` names as ``@Full Name`` or, when no one else shares it,
    ``@First`` (either case)."""
    if "@" not in (text or ""):
        return []
    candidates = list(people)
    firsts: dict[str, int] = {}
    for person in candidates:
        first = person.get_short_name().lower()
        firsts[first] = firsts.get(first, 0) + 1
    found = []
    for person in candidates:
        names = [person.get_full_name()]
        if firsts[person.get_short_name().lower()] == 1:
            names.append(person.get_short_name())
        if any(
            re.search(r"(?<![\w@])@" + re.escape(name) + r"(?![\w-])", text, re.IGNORECASE)
            for name in names
            if name
        ):
            found.append(person)
    return found
