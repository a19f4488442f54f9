"""A person's private calendar address: created, reset (a new secret; the old address stops
working at once) and turned off. Only the digest of the secret is kept, like API tokens."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User, digest
from tandem.meetings.models import CalendarFeed

PREFIX = "cal_"


def feed_reset(*, user: User) -> tuple[CalendarFeed, str]:
    """A new address for the person's feed (the first one, or one replacing the old). The
    secret is returned once and never stored."""
    secret = PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        CalendarFeed.objects.filter(user=user).delete()
        feed = CalendarFeed.objects.create(user=user, token_digest=digest(secret))
    return feed, secret


def feed_delete(*, user: User) -> bool:
    deleted, _ = CalendarFeed.objects.filter(user=user).delete()
    return bool(deleted)


def user_for_feed(secret: str) -> User | None:
    """The owner of a feed address, or None (unknown, reset, turned off, or the person's
    account closed). Notes when it was last fetched, at most once a minute."""
    if not secret or not secret.startswith(PREFIX) or len(secret) > 100:
        return None
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token_digest=digest(secret), user__is_active=True)
        .first()
    )
    if feed is None:
        return None
    now = timezone.now()
    if feed.last_used_at is None or (now - feed.last_used_at).total_seconds() > 60:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)
    return feed.user
