"""Background work for accounts, run by the database-backed task worker (`db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from tandem.accounts.models import Invitation, digest


@task()
def send_invitation(invitation_id: int) -> str:
    """Mint the invitation's secret link and mail it. Only the e-mail ever holds the secret;
    the database keeps its digest, so a re-sent invitation replaces the old link."""
    invitation = (
        Invitation.objects.pending()
        .select_related("workspace", "partnership", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None:
        return "skipped: no longer pending"
    token = Invitation.new_token()
    Invitation.objects.filter(pk=invitation.pk).update(token_digest=digest(token))
    context = {
        "invitation": invitation,
        "inviter": invitation.invited_by,
        "link": settings.SITE_URL + reverse("invitation_accept", args=[token]),
    }
    if invitation.partnership_id:
        subject = f"{invitation.workspace} invites you to the {invitation.partnership} partnership"
    else:
        subject = f"You're invited to join {invitation.workspace} on Tandem"
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("accounts/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("accounts/email/invitation.html", context), "text/html"
    )
    message.send()
    return "sent"
