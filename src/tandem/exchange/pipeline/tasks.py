"""Background work for deal registration, run by the database-backed task worker."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django_tasks import task

from tandem.accounts.actors import actor_for
from tandem.core.scope import scope_of
from tandem.exchange.pipeline.models import Opportunity, Registration
from tandem.partners.services import members_of


@task()
def send_registration_mail(opportunity_id: int, event: str) -> str:
    """``registered``: the partnership's owner (or else the workspace's members) hears of a
    new registration and the registrant gets a receipt. ``decided``: the registrant and the
    partnership's owner hear the decision. Each reads only what their side may know: the
    partner never learns who else registered the account."""
    deal = (
        Opportunity.objects.select_related("partnership", "workspace", "created_by", "decided_by")
        .filter(pk=opportunity_id)
        .first()
    )
    if deal is None:
        return "skipped: gone"
    if event == "registered" and deal.registration != Registration.PENDING:
        return "skipped: already decided"
    if event == "decided" and deal.registration not in (
        Registration.ACCEPTED,
        Registration.REJECTED,
    ):
        return "skipped: not decided"
    if event not in {"registered", "decided"}:
        return "skipped: unknown event"
    partnership = scope_of(deal)
    owner = getattr(partnership, "owner", None)
    members = [owner] if owner is not None else list(members_of(deal.workspace_id))
    readers = [*members, deal.created_by]
    sent = 0
    seen: set[int] = set()
    for reader in readers:
        if reader is None or reader.pk in seen or not reader.email or not reader.is_active:
            continue
        seen.add(reader.pk)
        actor = actor_for(reader)
        if not actor.can_see(deal):
            continue
        member = actor.is_member(deal.workspace_id)
        context = {
            "deal": deal,
            "event": event,
            "reader": reader,
            "member": member,
            "partnership": partnership,
            "link": settings.SITE_URL
            + reverse("opportunity_detail", args=[partnership.pk, deal.pk]),
        }
        if event == "registered":
            subject = (
                f"{partnership.name} registered a deal: {deal.account_name}"
                if member
                else f"Your deal registration was received: {deal.account_name}"
            )
        else:
            subject = (
                f"Deal registration {deal.get_registration_display().lower()}: {deal.account_name}"
            )
        message = EmailMultiAlternatives(
            subject=subject[:250],
            body=render_to_string("pipeline/email/registration.txt", context),
            to=[reader.email],
        )
        message.attach_alternative(
            render_to_string("pipeline/email/registration.html", context), "text/html"
        )
        message.send()
        sent += 1
    return f"sent {sent}"
