"""The calendar feed: a settings page to create, reset or turn off one's private address, and
the address itself, which any calendar application fetches without signing in."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tandem.accounts.actors import actor_for
from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.meetings.calendar import feed as calendar
from tandem.meetings.calendar import services as calendar_services
from tandem.meetings.models import CalendarFeed


@access("user")
@never_cache
def calendar_settings(request: TandemRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()  # type: ignore[misc]
    address = ""
    if request.method == "POST":
        had_one = feed is not None
        feed, secret = calendar_services.feed_reset(user=request.user)  # type: ignore[arg-type]
        address = request.build_absolute_uri(reverse("calendar_feed", args=[secret]))
        if had_one:
            messages.success(
                request, "Your calendar has a new address. The old one no longer works."
            )
    return render(
        request,
        "meetings/calendar_settings.html",
        {
            "feed": feed,
            "address": address,
            "webcal": address.replace("https://", "webcal://").replace("http://", "webcal://"),
            "partnerships": calendar.feed_partnerships(request.actor),
        },
    )


@access("user")
@require_POST
def calendar_delete(request: TandemRequest) -> HttpResponse:
    if calendar_services.feed_delete(user=request.user):  # type: ignore[arg-type]
        messages.success(
            request, "Your calendar feed is off. Calendars subscribed to it stop updating."
        )
    return redirect("calendar_settings")


@access("public")
@never_cache
def calendar_feed(request: TandemRequest, token: str) -> HttpResponse:
    user = calendar_services.user_for_feed(token)
    if user is None:
        raise Http404("No such calendar.")
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])
    ics = calendar.build(
        actor_for(user), absolute=request.build_absolute_uri, now=timezone.now()
    ).to_ical()
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem.ics"'
    return response
