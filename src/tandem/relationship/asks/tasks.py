"""Background work for asks, run by the database-backed task worker (`db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.core.scope import scope_of
from tandem.notifications.services import wants_email
from tandem.relationship.asks.models import RESPONDED, Ask, AskStatus


@task()
def send_ask_mail(ask_id: int, event: str) -> str:
    """``asked``: tell the owner what they are asked. ``answered``: tell the asker what came
    back. Nobody is mailed an ask they can no longer see."""
    ask = (
        Ask.objects.select_related("partnership", "workspace", "owner", "created_by", "answered_by")
        .filter(pk=ask_id)
        .first()
    )
    if ask is None:
        return "skipped: gone"
    if event == "asked":
        if ask.status != AskStatus.OPEN:
            return "skipped: no longer open"
        reader = ask.owner
    elif event == "answered":
        if ask.status not in RESPONDED:
            return "skipped: not answered"
        reader = ask.created_by
    else:
        return "skipped: unknown event"
    if reader is None or not reader.email or not reader.is_active:
        return "skipped: nobody to tell"
    if not actor_for(reader).can_see(ask):
        return "skipped: cannot see it"
    if event == "asked" and not wants_email(reader, "ask"):
        return "skipped: not by e-mail"
    partnership = scope_of(ask)
    context = {
        "ask": ask,
        "event": event,
        "reader": reader,
        "partnership": partnership,
        "asker": ask.created_by,
        "link": settings.SITE_URL + reverse("ask_detail", args=[partnership.pk, ask.pk]),
    }
    if event == "asked":
        subject = f"{partnership.name}: you are asked — {ask.title}"
    elif ask.status == AskStatus.DECLINED:
        subject = f"{partnership.name}: your ask was declined — {ask.title}"
    else:
        subject = f"{partnership.name}: your ask was answered — {ask.title}"
    message = EmailMultiAlternatives(
        subject=subject[:250],
        body=render_to_string("asks/email/ask.txt", context),
        to=[reader.email],
    )
    message.attach_alternative(render_to_string("asks/email/ask.html", context), "text/html")
    message.send()
    return "sent"
