"""The weekly digest, sent by the task worker.

``send_digests`` runs at the top of every hour (the scheduler, ``apps.ready``): it finds the
people whose digest is due at that run in their own time zone (``timing``) and who have not
had that week's yet, and enqueues ``send_digest`` for each. ``send_digest`` takes the
person's unique row for the week first (``WeeklyDigest``: never twice, whatever reruns or
how many workers), builds the digest through their own actor, and mails it as text and
HTML. A digest with nothing in it is not sent (the row says so). A failed send gives the
row back, so the next hourly run tries again while the week's digest is still on time.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.accounts.models import Membership, PartnerAccess, User
from tandem.evaluation.digest import content, links, timing
from tandem.evaluation.digest.models import (
    DEFAULT_HOUR,
    DEFAULT_WEEKDAY,
    ActionLink,
    DigestStatus,
    WeeklyDigest,
)

KEEP_EXPIRED = dt.timedelta(days=30)


def people_due(at: dt.datetime) -> list[tuple[int, dt.date]]:
    """Who gets a digest at the run ``at`` (an aware datetime), and for which week: people
    of a workspace or a partnership, with an e-mail address, their digest on, due at this
    run on their clock, and not yet sent that week. Two queries, whatever the number."""
    people = (
        User.objects.filter(is_active=True)
        .exclude(email="")
        .filter(
            Exists(Membership.objects.filter(user=OuterRef("pk")))
            | Exists(PartnerAccess.objects.filter(user=OuterRef("pk")))
        )
        .exclude(digest_preference__enabled=False)
        .values_list("pk", "timezone", "digest_preference__weekday", "digest_preference__hour")
        .order_by("pk")
    )
    due: list[tuple[int, dt.date]] = []
    for pk, zone_name, weekday, hour in people:
        week = timing.due_week(
            timing.zone_of(zone_name),
            DEFAULT_WEEKDAY if weekday is None else weekday,
            DEFAULT_HOUR if hour is None else hour,
            at,
        )
        if week is not None:
            due.append((pk, week))
    if not due:
        return []
    sent = set(
        WeeklyDigest.objects.filter(
            user_id__in=[pk for pk, _ in due], week__in={week for _, week in due}
        ).values_list("user_id", "week")
    )
    return [(pk, week) for pk, week in due if (pk, week) not in sent]


@task()
def send_digests(period_start: str) -> str:
    """The hourly run: enqueue the digest of everyone due at ``period_start`` (ISO 8601)."""
    at = dt.datetime.fromisoformat(period_start)
    if timezone.is_naive(at):
        at = at.replace(tzinfo=dt.UTC)
    due = people_due(at)
    for pk, week in due:
        send_digest.enqueue(pk, week.isoformat(), at.isoformat())
    # Links expired a month ago go: until then a late click still reads "expired".
    ActionLink.objects.filter(expires_at__lt=timezone.now() - KEEP_EXPIRED).delete()
    return f"{len(due)} digests due at {at.isoformat()}"


def claim(user_id: int, week: dt.date) -> WeeklyDigest | None:
    """Take the person's row for the week; None when it was taken already."""
    try:
        with transaction.atomic():
            return WeeklyDigest.objects.create(
                user_id=user_id, week=week, status=DigestStatus.SENDING
            )
    except IntegrityError:
        return None


@task()
def send_digest(user_id: int, week: str, at: str) -> str:
    """Build and mail one person's digest of ``week`` (its Monday) as of ``at``."""
    person = User.objects.filter(pk=user_id, is_active=True).exclude(email="").first()
    if person is None:
        return "skipped: nobody to tell"
    row = claim(person.pk, dt.date.fromisoformat(week))
    if row is None:
        return "skipped: already sent this week"
    try:
        digest = compose(person, dt.datetime.fromisoformat(at), row)
        if digest is None:
            return "skipped: nothing waiting"
        mail(person, digest)
    except Exception:
        # Give the week back: the next hourly run tries again while it is still on time.
        row.links.all().delete()
        row.delete()
        raise
    WeeklyDigest.objects.filter(pk=row.pk).update(
        status=DigestStatus.SENT, items=digest.items, sent_at=timezone.now()
    )
    return f"sent: {digest.items} items"


def compose(person: User, at: dt.datetime, row: WeeklyDigest) -> content.Digest | None:
    """The digest with its one-click links issued; None (and the row marked) when empty."""
    actor = actor_for(person)
    digest = content.build(actor, person, timing.zone_of(person.timezone), at)
    if digest.is_empty:
        WeeklyDigest.objects.filter(pk=row.pk).update(status=DigestStatus.EMPTY)
        return None
    for section in digest.sections:
        for line in section.lines:
            if line.action and line.item is not None and links.may_link(actor, line.item):
                _, secret = links.issue(person, actor, line.action, line.item, digest_row=row)
                line.action_url = settings.SITE_URL + reverse("digest_action", args=[secret])
    return digest


def mail(person: User, digest: content.Digest) -> None:
    context = {
        "digest": digest,
        "reader": person,
        "site": settings.SITE_URL,
        "home": settings.SITE_URL + reverse("my_week"),
        "settings_link": settings.SITE_URL + reverse("digest_preferences"),
        "zone": digest.zone.key,
    }
    message = EmailMultiAlternatives(
        subject=f"Your week in Tandem: {_summary(digest)}"[:250],
        body=render_to_string("digest/email/digest.txt", context),
        to=[person.email],
    )
    message.attach_alternative(render_to_string("digest/email/digest.html", context), "text/html")
    message.send()


def _summary(digest: content.Digest) -> str:
    parts = []
    for key, one, many in (
        ("todos", "to-do", "to-dos"),
        ("asks", "ask", "asks"),
        ("plans", "plan to sign", "plans to sign"),
        ("stalled", "stalled partnership", "stalled partnerships"),
    ):
        section = digest.section(key)
        if section is not None and section.count:
            parts.append(f"{section.count} {one if section.count == 1 else many}")
    return ", ".join(parts) or f"week of {digest.today:%d %b}"
