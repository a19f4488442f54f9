"""What each section of a live meeting shows, read for one attendee: ``CONTEXT[section]``
gives the template of ``meetings/sections/<section>.html`` its lists. Only the current
section is read, so a region costs the same whatever the meeting holds elsewhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tandem.core.numbers import percent
from tandem.core.policy import people_of
from tandem.issues import selectors as issue_selectors
from tandem.issues.models import VOTES_PER_PERSON, Issue, Term
from tandem.meetings import pipeline, selectors
from tandem.meetings.models import Headline, HeadlineKind, Kind, Meeting
from tandem.traction.models import RockStatus, Todo, default_due
from tandem.vision.selectors import goals_with_rocks


def _segue(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    return {
        "headlines": Headline.objects.visible_to(actor)
        .filter(meeting=meeting)
        .select_related("created_by"),
        "headline_kinds": HeadlineKind.choices,
    }


def _scorecard(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    sections, rows = selectors.scorecard_review(actor, partnership)
    return {
        "scorecard_sections": sections,  # not "sections": the live page's agenda has that
        "rows": rows,
        "misses": sum(1 for row in rows if row.missed),
    }


def _rocks(actor: Any, partnership: Any, meeting: Meeting, *, shift: int = 0) -> dict[str, Any]:
    rocks = list(selectors.quarter_rocks(actor, meeting, shift=shift))
    counted = [rock for rock in rocks if rock.status != RockStatus.DROPPED]
    done = sum(1 for rock in counted if rock.status == RockStatus.DONE)
    return {
        "rocks": rocks,
        "rock_statuses": RockStatus.choices,
        "rocks_done": done,
        "rocks_counted": len(counted),
        "rocks_percent": percent(done, len(counted)),
        "off_track": sum(1 for rock in rocks if rock.status == RockStatus.OFF_TRACK),
    }


def _todos(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    since = selectors.week_start(meeting)
    todos = list(selectors.week_todos(actor, meeting, since))
    return {
        "todos": todos,
        "since": since,
        "rate": selectors.week_rate(todos, since, selectors.meeting_day(meeting)),
    }


def _issues(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    term = Term.LONG if meeting.kind == Kind.QUARTERLY else Term.SHORT
    return {
        "term": term,
        "issues": list(issue_selectors.open_issues(actor, partnership, term)[:50]),
        "votes_left": issue_selectors.votes_left(actor, partnership, term),
        "votes_per_person": VOTES_PER_PERSON,
        "owners": list(people_of(partnership)),
        "due_default": default_due(),
    }


def _conclusion(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    window = {"created_at__gte": meeting.started_at}
    new_todos = (
        Todo.objects.visible_to(actor)
        .in_scope(partnership)
        .filter(**window, repeated_from__isnull=True)
        .select_related("owner")
        .order_by("id")
    )
    solved = (
        Issue.objects.visible_to(actor)
        .in_scope(partnership)
        .filter(solved_at__gte=meeting.started_at)
        .order_by("solved_at", "id")
    )
    carried = (
        Issue.objects.visible_to(actor)
        .in_scope(partnership)
        .filter(solved_at__isnull=True, **window)
        .order_by("id")
    )
    attending = {person.user_id: person for person in selectors.attendees(meeting)}
    expected = [
        {"user": user, "side": side, "attendee": attending.get(user.pk)}
        for user, side in selectors.expected_people(meeting)
    ]
    mine = attending.get(actor.user.pk)
    context: dict[str, Any] = {
        "new_todos": list(new_todos),
        "solved": list(solved),
        "carried": list(carried),
        "expected": expected,
        "my_rating": mine.rating if mine else None,
        "ratings": range(1, 11),
        "owners": list(people_of(partnership)),
        "due_default": default_due(),
        "rated": sum(1 for person in attending.values() if person.rating),
    }
    if meeting.kind == Kind.QUARTERLY:
        for add in QUARTERLY_CLOSING:
            context.update(add(actor, partnership, meeting))
    return context


# What other apps add to the quarterly meeting's closing step (the joint plan to sign:
# tandem.plans appends its part in its AppConfig.ready), so meetings imports none of them.
QUARTERLY_CLOSING: list[Callable[[Any, Any, Meeting], dict[str, Any]]] = []


def planned_quarter(meeting: Meeting) -> tuple[int, int]:
    """The quarter a quarterly meeting sets the rocks of (its "next quarter's rocks"), so
    the quarter whose plan both sides sign at its end."""
    return selectors.quarter_of_shift(meeting, selectors.review_shift(meeting) + 1)


def _review(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    shift = selectors.review_shift(meeting)
    context = _rocks(actor, partnership, meeting, shift=shift)
    context["quarter"] = "Q{1} {0}".format(*selectors.quarter_of_shift(meeting, shift))
    return context


def _pipeline(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    return {"pipeline": pipeline.review(actor, partnership, meeting)}


def _goals(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    return {"goals": list(goals_with_rocks(actor, partnership)[:30])}


def _next_rocks(actor: Any, partnership: Any, meeting: Meeting) -> dict[str, Any]:
    shift = selectors.review_shift(meeting) + 1
    context = _rocks(actor, partnership, meeting, shift=shift)
    context["owners"] = list(people_of(partnership))
    context["quarter"] = "Q{1} {0}".format(*selectors.quarter_of_shift(meeting, shift))
    return context


CONTEXT = {
    "segue": _segue,
    "scorecard": _scorecard,
    "rocks": _rocks,
    "todos": _todos,
    "issues": _issues,
    "conclusion": _conclusion,
    "review": _review,
    "pipeline": _pipeline,
    "goals": _goals,
    "next_rocks": _next_rocks,
}
