"""The meeting schedule of a partnership: when it meets, and the next meetings in the
partnership's time zone and the viewer's. Both sides read it; members change it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.meetings.models import PULSE_SECTIONS, QUARTERLY_SECTIONS, Kind, Schedule
from tandem.meetings.schedule import services
from tandem.meetings.schedule.dates import default_schedule, duration
from tandem.meetings.schedule.forms import ScheduleForm
from tandem.meetings.schedule.selectors import (
    describe,
    next_meetings,
    viewer_zone,
)
from tandem.partners.models import Partnership


def _schedule(partnership: Partnership) -> Schedule:
    schedule = Schedule.objects.filter(partnership=partnership).first()
    if schedule is None:
        return default_schedule(partnership)  # not saved yet
    schedule.partnership = partnership
    return schedule


def _initial(
    request: TandemRequest, partnership: Partnership, schedule: Schedule
) -> dict[str, Any]:
    initial = {name: getattr(schedule, name) for name in services.SCHEDULE_FIELDS}
    if schedule.pk is None:
        # A first schedule starts in the viewer's own time zone when the browser told us.
        zone = viewer_zone(request)
        initial["timezone"] = zone.key if zone is not None else "UTC"
    initial["version"] = schedule.version if schedule.pk else 0
    initial["partnership_version"] = partnership.version
    initial["cadence"] = partnership.cadence
    return initial


def _context(
    request: TandemRequest, partnership: Partnership, schedule: Schedule, form: ScheduleForm | None
) -> dict[str, Any]:
    actor = request.actor
    can_manage = actor.is_member(partnership.workspace_id)
    if form is None and can_manage and not partnership.is_archived:
        form = ScheduleForm(initial=_initial(request, partnership, schedule))
    pulse = [
        (label, minutes)
        for (_, label, _, _), (_, minutes) in zip(
            PULSE_SECTIONS, schedule.timeboxes(Kind.PULSE), strict=True
        )
    ]
    quarterly = [(label, minutes) for _, label, minutes, _ in QUARTERLY_SECTIONS]
    return {
        "partnership": partnership,
        "schedule": schedule,
        "saved": schedule.pk is not None,
        "summary": describe(partnership, schedule),
        "can_manage": can_manage,
        "form": form,
        "tab": "meetings",
        "meetings": next_meetings(partnership, schedule, count=5, viewer=viewer_zone(request)),
        "viewer_zone": viewer_zone(request),
        "pulse_sections": pulse,
        "pulse_minutes": int(duration(schedule, Kind.PULSE).total_seconds() // 60),
        "quarterly_sections": quarterly,
        "quarterly_minutes": int(duration(schedule, Kind.QUARTERLY).total_seconds() // 60),
    }


@access("partnership")
def schedule_page(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "meetings/schedule_page.html",
        _context(request, partnership, _schedule(partnership), None),
    )


@access("partnership_manage")
@require_POST
def schedule_save(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    schedule = _schedule(partnership)
    form = ScheduleForm(request.POST, initial=_initial(request, partnership, schedule))
    if form.is_valid():
        saved = run_service(
            form,
            lambda: services.schedule_save(
                actor=request.actor,
                partnership=partnership,
                version=form.cleaned_data.get("version"),
                partnership_version=form.cleaned_data.get("partnership_version"),
                cadence=form.cleaned_data["cadence"],
                **form.schedule_values(),
            ),
        )
        conflict = form.conflict
        if conflict is not None and isinstance(conflict.current, Partnership):
            # The cadence collided, not the schedule: keep the schedule's version.
            assert isinstance(form.data, QueryDict)  # request.POST, or run_service's copy of it
            data = form.data.copy()
            data["version"] = str(form.cleaned_data.get("version") or 0)
            data["partnership_version"] = str(conflict.current.version)
            form.data = data
        if saved is not None:
            messages.success(request, "Schedule saved. " + describe(partnership, saved) + ".")
            return redirect("meeting_schedule", partnership.pk)
    return render(
        request,
        "meetings/schedule_page.html",
        _context(request, partnership, schedule, form),
        status=400,
    )
