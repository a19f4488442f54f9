"""Background work for meetings, run by the database-backed task worker (`db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.core.scope import scope_of
from tandem.core.services import touch
from tandem.meetings import recap
from tandem.meetings.models import Attendee, Meeting


@task()
def send_recaps(meeting_id: int) -> str:
    """Mail the stored recap to every attendee who came, each cut down to what they may
    see: a partner-side attendee's copy holds shared items only."""
    meeting = (
        Meeting.objects.select_related("partnership", "facilitator")
        .filter(pk=meeting_id, ended_at__isnull=False)
        .first()
    )
    if meeting is None:
        return "skipped: not an ended meeting"
    people = Attendee.objects.filter(meeting=meeting, absent=False).select_related("user")
    link = settings.SITE_URL + reverse("meeting_detail", args=[meeting.partnership_id, meeting.pk])
    zone = meeting.recap.get("next_meeting_zone") or "UTC"
    messages = []
    for person in people:
        actor = actor_for(person.user)
        if not person.user.email or not actor.can_see(meeting):
            continue  # no longer in the partnership: they get nothing
        shown = recap.for_reader(meeting.recap, recap.seen_by(actor, scope_of(meeting)))
        context = {
            "meeting": meeting,
            "recap": shown,
            "reader": person.user,
            "link": link,
            "next_meeting": recap.when(shown["next_meeting_at"], zone),
            "held": recap.when(meeting.started_at, zone),
        }
        message = EmailMultiAlternatives(
            subject=f"Recap: {meeting.get_kind_display()} · {scope_of(meeting).name}",
            body=render_to_string("meetings/email/recap.txt", context),
            to=[person.user.email],
        )
        message.attach_alternative(
            render_to_string("meetings/email/recap.html", context), "text/html"
        )
        messages.append(message)
    with get_connection() as connection:
        connection.send_messages(messages)
    with transaction.atomic():
        Meeting.objects.filter(pk=meeting.pk).update(recap_sent_at=timezone.now())
        # Not news in the activity log, but the partnership's health and alerts read it.
        touch(meeting.workspace_id, meeting.partnership_id)
    return f"sent {len(messages)}"
