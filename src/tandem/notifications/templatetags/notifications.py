"""The bell: the unread count in the layout's header, one query per page."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

from tandem.notifications.services import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int | None:
    """The signed-in reader's unread count (None when nobody is signed in)."""
    request: Any = context.get("request")
    actor = getattr(request, "actor", None)
    if actor is None or not actor.is_authenticated:
        return None
    return unread_count(actor)


@register.filter
def ago(moment: datetime) -> str:
    """How long ago, in words: "just now" within the minute (never "0 minutes ago")."""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment, depth=1)} ago"
