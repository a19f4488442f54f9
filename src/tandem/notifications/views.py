"""The notifications page (newest first, paginated), opening one (marks it read), marking
all read, the e-mail preferences, and the people an item may mention."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from tandem.core.access import Visibility
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.core.ids import parse_id
from tandem.core.scope import Scope
from tandem.notifications import services
from tandem.notifications.models import Kind, Notification

PER_PAGE = 25


@access("user")
def notification_list(request: TandemRequest) -> HttpResponse:
    unread = request.GET.get("unread") == "1"
    found = services.notifications_for(request.actor, unread=unread)
    page = Paginator(found, PER_PAGE).get_page(request.GET.get("page"))
    chosen = services.preferences(request.user)  # type: ignore[arg-type]
    return render(
        request,
        "notifications/notification_list.html",
        {
            "page": page,
            "unread_only": unread,
            "query": "unread=1" if unread else "",
            "kinds": [(kind.value, kind.label, chosen[kind.value]) for kind in Kind],
        },
    )


@access("user")
def notification_open(request: TandemRequest, notification_id: str) -> HttpResponse:
    """Go to what the notification is about, marking it read."""
    note = _mine(request, notification_id)
    services.mark_read(request.actor, note)
    if url_has_allowed_host_and_scheme(note.url, allowed_hosts=None):
        return redirect(note.url)
    return redirect("notification_list")


@access("user")
@require_POST
def notification_read_all(request: TandemRequest) -> HttpResponse:
    count = services.mark_all_read(request.actor)
    messages.success(request, f"Marked {count} as read." if count else "Nothing was unread.")
    return redirect("notification_list")


@access("user")
@require_POST
def notification_preferences(request: TandemRequest) -> HttpResponse:
    """Per kind: in the app only, or also by e-mail (a checkbox each)."""
    services.preferences_set(
        request.user,  # type: ignore[arg-type]
        {kind.value: request.POST.get(f"email_{kind.value}") == "on" for kind in Kind},
    )
    messages.success(request, "Your notification choices are saved.")
    return redirect("notification_list")


@access("partnership", program=True)
@require_GET
def mentionable_people(request: TandemRequest, partnership: Scope) -> HttpResponse:
    """The people an item of this partnership with ``?visibility=`` may mention, as a
    ``<datalist id="mention-people">`` the mention picker (``mentions.js``) offers: all but
    the reader, since naming oneself tells nobody."""
    visibility = request.GET.get("visibility", Visibility.SHARED)
    if visibility not in Visibility.__members__.values():
        visibility = Visibility.SHARED
    people = services.mentionable(
        partnership.workspace_id, None if partnership.is_program else partnership, visibility
    )
    others = [person for person in people if person.pk != request.user.pk]
    return render(request, "notifications/mentionable.html", {"people": others})


def _mine(request: TandemRequest, notification_id: str) -> Notification:
    """The reader's own notification; anything else (not an id, someone else's) is a 404."""
    pk = parse_id(notification_id)
    note = Notification.objects.visible_to(request.actor).filter(pk=pk).first()
    if note is None:
        raise Http404
    return note
