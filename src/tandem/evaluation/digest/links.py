"""The one-click links of a digest: issued for one person, one action and one item; used
once; refused after 7 days, after use, or when the person may no longer do it.

The secret (``dg_`` and 43 random characters) goes into the e-mail and nowhere else; the
database keeps its SHA-256 digest. A changed or made-up secret matches no row. At use the
person's access is asked again, with a fresh actor: a partner-side person who lost their
seat, or an item made internal meanwhile, is refused.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import models
from django.utils import timezone

from tandem.accounts.actors import actor_for
from tandem.accounts.models import User, digest
from tandem.core.access import Actor, Visibility
from tandem.evaluation.digest.models import Action, ActionLink, WeeklyDigest

PREFIX = "dg_"
LIFETIME = timedelta(days=7)


class Refused(Exception):
    """A link that cannot be used; ``status`` and words for the page that says so."""

    def __init__(self, status: int, title: str, message: str) -> None:
        super().__init__(message)
        self.status, self.title, self.message = status, title, message


UNKNOWN = (404, "This link doesn't work", "It is not a link Tandem sent, or it was cut short.")


def may_link(actor: Actor, item: models.Model) -> bool:
    """Whether a link to act on ``item`` may be given to ``actor``'s person: never one to
    an internal item for a partner-side person, whatever else they may see."""
    workspace_id = getattr(item, "workspace_id", None)
    if actor.is_member(workspace_id):
        return True
    return (
        getattr(item, "visibility", None) == Visibility.SHARED
        and getattr(item, "partnership_id", None) in actor.partner_partnerships
    )


def issue(
    user: User,
    actor: Actor,
    action: str,
    item: models.Model,
    *,
    key: str = "",
    digest_row: WeeklyDigest | None = None,
) -> tuple[ActionLink, str]:
    """A new link for ``user`` (whose actor is ``actor``) to do ``action`` on ``item``;
    returns the row and the secret, which is not stored."""
    if not may_link(actor, item):
        raise ValueError(f"{user.pk} may not be given a link to {item._meta.label_lower}.")
    secret = PREFIX + secrets.token_urlsafe(32)
    link = ActionLink.objects.create(
        user=user,
        digest=digest_row,
        action=Action(action),
        target_model=item._meta.label_lower,
        target_id=item.pk,
        target_key=key,
        token_digest=digest(secret),
        expires_at=timezone.now() + LIFETIME,
    )
    return link, secret


@dataclass
class Use:
    """A link that may be used now: its row, its person and their fresh actor."""

    link: ActionLink
    user: User
    actor: Actor


def check(secret: str) -> Use:
    """The link of ``secret`` if it may be used now, else ``Refused`` with the reason."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        raise Refused(*UNKNOWN)
    link = ActionLink.objects.filter(token_digest=digest(secret)).first()
    if link is None:
        raise Refused(*UNKNOWN)
    if link.used_at is not None:
        raise Refused(
            410,
            "This link was already used",
            f"It was used {timezone.localtime(link.used_at):%d %b %Y at %H:%M}. Each link in "
            "a digest works once: open Tandem to see where things stand.",
        )
    if link.expires_at <= timezone.now():
        raise Refused(
            410,
            "This link has expired",
            "Links in a digest work for 7 days. Open Tandem, or use the links in your latest "
            "digest.",
        )
    # A fresh user: their actor is built from the database now, not from anything kept.
    user = User.objects.filter(pk=link.user_id, is_active=True).first()
    if user is None:
        raise Refused(403, "This link no longer works", "The account it was sent to is closed.")
    return Use(link=link, user=user, actor=actor_for(user))


def lost() -> Refused:
    return Refused(
        403,
        "You no longer have access to this",
        "Since the digest was sent, this item was removed or made internal, or your access to "
        "its partnership changed. Sign in to Tandem to see what you can still open.",
    )


def mark_used(link: ActionLink) -> bool:
    """Use the link once: true for the first caller only (two clicks at once: one wins).
    Call it inside the action's transaction, so a refused action leaves it unused."""
    return bool(
        ActionLink.objects.filter(pk=link.pk, used_at__isnull=True).update(used_at=timezone.now())
    )
