from __future__ import annotations

from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from tandem.core.decorators import access
from tandem.core.http import TandemRequest
from tandem.core.unavailable import RETRY_AFTER_SECONDS
from tandem.meetings.schedule.selectors import upcoming_meetings, viewer_zone
from tandem.partners.models import Partnership


@access("user")
def home(request: TandemRequest) -> HttpResponse:
    """Members land on the portfolio dashboard; partner-side people on their partnerships."""
    actor = request.actor
    if actor.roles:
        return redirect("dashboard")
    partnerships = Partnership.objects.visible_to(actor).select_related("workspace", "owner")
    if len(partnerships) == 1:
        return redirect("partnership_detail", partnerships[0].pk)
    upcoming = upcoming_meetings(actor, viewer=viewer_zone(request))
    return render(
        request, "web/home_partner.html", {"partnerships": partnerships, "upcoming": upcoming}
    )


@access("public")
@never_cache
def healthz(request: TandemRequest) -> HttpResponse:
    """200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        response = JsonResponse({"status": "unavailable", "database": "down"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return JsonResponse({"status": "ok", "database": "up"})


@access("public")
def favicon(request: TandemRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links to: send them to the icon."""
    return HttpResponseRedirect(static("tandem/favicon.svg"))


@access("public")
def floor(request: TandemRequest) -> HttpResponse:
    """The benchmark floor: the cheapest page this server can serve."""
    return HttpResponse("ok", content_type="text/plain")
