"""Account events that other parts of the app react to."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_reset
from axes.models import AccessAttempt
from django.dispatch import receiver
from django.utils import timezone

from tandem.accounts.models import ApiToken


@receiver(password_reset)
def revoke_tokens_after_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """A reset means someone proved they own the address: whoever held the account before
    (and any token they made) must not keep a way in."""
    ApiToken.objects.active().filter(user=user).update(revoked_at=timezone.now())


@receiver(password_reset)
def clear_signin_pauses_after_reset(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    """Guesses at the old password say nothing about the new one: the owner, who just proved
    the address is theirs, signs in at once from wherever they are."""
    AccessAttempt.objects.filter(username=user.email.lower()).delete()
