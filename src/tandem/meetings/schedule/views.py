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
from tandem.core.views import page_context
from tandem.meetings.models import PULSE_SECTIONS, QUARTERLY_SECTIONS, Kind, Schedule
from tandem.meetings.schedule import services
from tandem.meetings.schedule.dates import duration, schedule_of
from tandem.meetings.schedule.forms import ScheduleForm
from tandem.meetings.schedule.selectors import as_read, describe, next_meetings, viewer_zone
from tandem.partners.models import Partnership


def _initial(
    request: TandemRequest, partnership: Partnership, schedule: Schedule
) -> dict[str, Any]:
    initial = as_read(partnership, schedule)
    if schedule.pk is None:
        # A first schedule starts in the viewer's own time zone when the browser told us.
        zone = viewer_zone(request)
        initial["timezone"] = zone.key if zone is not None else "UTC"
    return initial


def _context(
    request: TandemRequest, partnership: Partnership, schedule: Schedule, form: ScheduleForm | None
) -> dict[str, Any]:
    can_manage = request.actor.is_member(partnership.workspace_id)
    if form is None and can_manage and not partnership.is_archived:
        form = ScheduleForm(initial=_initial(request, partnership, schedule))
    return page_context(
        request,
        partnership,
        ("meetings", ""),
        schedule=schedule,
        saved=schedule.pk is not None,
        summary=describe(partnership, schedule),
        form=form,
        meetings=next_meetings(partnership, schedule, count=5, viewer=viewer_zone(request)),
        viewer_zone=viewer_zone(request),
        pulse_sections=[
            (label, getattr(schedule, f"{key}_minutes")) for key, label, _, _ in PULSE_SECTIONS
        ],
        pulse_minutes=int(duration(schedule, Kind.PULSE).total_seconds() // 60),
        quarterly_sections=[(label, minutes) for _, label, minutes, _ in QUARTERLY_SECTIONS],
        quarterly_minutes=int(duration(schedule, Kind.QUARTERLY).total_seconds() // 60),
    )


@access("partnership")
def schedule_page(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    return render(
        request,
        "meetings/schedule_page.html",
        _context(request, partnership, schedule_of(partnership), None),
    )


@access("partnership_manage")
@require_POST
def schedule_save(request: TandemRequest, partnership: Partnership) -> HttpResponse:
    schedule = schedule_of(partnership)
    form = ScheduleForm(request.POST, initial=_initial(request, partnership, schedule))
    if form.is_valid():
        values = form.cleaned_data  # the versions, the cadence and the schedule's fields
        saved = run_service(
            form,
            lambda: services.schedule_save(actor=request.actor, partnership=partnership, **values),
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
