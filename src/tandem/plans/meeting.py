"""The quarterly meeting closes on the quarter's plan: its closing step shows the plan's
status and the way to sign it, and its end asks both sides to sign. Meetings imports no
plan code: its closing step takes this part through ``meetings.sections.QUARTERLY_CLOSING``
and its end is read from the activity log."""

from __future__ import annotations

from typing import Any

from tandem.accounts.actors import actor_for
from tandem.core.models import ActivityEntry
from tandem.meetings.models import Kind, Meeting
from tandem.meetings.sections import planned_quarter
from tandem.plans.notify import after_quarterly_meeting
from tandem.plans.selectors import plan_state


def closing_step(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    """The plan of the quarter the meeting set the rocks of, as the attendee reads it."""
    return {"plan": plan_state(actor, partnership, *planned_quarter(meeting))}


def meeting_ended(entry: ActivityEntry) -> int:
    """A quarterly meeting ended (its activity entry): ask both sides to sign its plan."""
    if entry.target_id is None:
        return 0
    meeting = (
        Meeting.objects.filter(pk=entry.target_id, kind=Kind.QUARTERLY)
        .select_related("partnership__workspace")
        .first()
    )
    if meeting is None or meeting.partnership is None:
        return 0
    actor = actor_for(entry.actor)
    return after_quarterly_meeting(meeting.partnership, *planned_quarter(meeting), actor=actor)
