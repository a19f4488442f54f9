"""Background work for notifications, run by the database-backed task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.notifications.models import Notification


@task()
def send_notification_mail(notification_id: int) -> str:
    """Mail one notification to its recipient, unless it was read meanwhile or they may no
    longer see what it is about (asked again now, as their list would)."""
    note = (
        Notification.objects.select_related("recipient", "actor", "partnership")
        .filter(pk=notification_id)
        .first()
    )
    if note is None:
        return "skipped: gone"
    reader = note.recipient
    if not reader.is_active or not reader.email:
        return "skipped: nobody to tell"
    if note.read_at is not None:
        return "skipped: already read"
    if not Notification.objects.visible_to(actor_for(reader)).filter(pk=note.pk).exists():
        return "skipped: cannot see it"
    context = {
        "note": note,
        "reader": reader,
        "link": settings.SITE_URL + note.url,
        "settings_link": settings.SITE_URL + "/notifications/#preferences",
    }
    where = f"{note.partnership.name}: " if note.partnership is not None else ""
    message = EmailMultiAlternatives(
        subject=f"{where}{note.text}"[:250],
        body=render_to_string("notifications/email/notification.txt", context),
        to=[reader.email],
    )
    message.attach_alternative(
        render_to_string("notifications/email/notification.html", context), "text/html"
    )
    message.send()
    return "sent"
