"""What a meeting produced, written down the moment it ends (seed 001: notes and action
items go out at once, not "next week").

The stored recap holds every item with its visibility and a reference to it (``ref``);
``for_reader`` cuts it down to what one reader may see *now*: a partner-side reader's copy (on
screen, by e-mail, in a search) holds the items that were shared when the meeting ended and
still are — an item made internal (or deleted while internal) since leaves their recap too,
asked of the items' own ``visible_to`` (``seen_by``), not of the flags stored with the recap.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils.formats import date_format

from tandem.core.access import Visibility
from tandem.core.numbers import percent
from tandem.issues.models import Issue
from tandem.meetings import selectors
from tandem.meetings.models import Headline, Kind, Meeting
from tandem.meetings.schedule.dates import next_occurrence, schedule_of
from tandem.traction.models import Todo
from tandem.traction.selectors import Rate

LISTS = ("todos", "solved", "carried", "rocks", "next_rocks", "misses", "headlines")


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _shared(item: Any) -> bool:
    return item.visibility == Visibility.SHARED


def _ref(item: Any) -> str:
    return f"{item._meta.label_lower}:{item.pk}"


# The kinds of item a recap names, by the lists that hold them.
ITEM_MODELS = ("traction.todo", "issues.issue", "traction.rock", "scorecard.measurable",
               "meetings.headline")  # fmt: skip


def seen_by(actor: Any, partnership: Any) -> set[str] | None:
    """What of a recap ``actor`` may see now: None for a member (everything), else the refs
    of the partnership's items visible to them (the items' own ``visible_to``) and of its
    deleted items that were shared when deleted (the activity log keeps that). A constant
    number of queries, whatever the number of meetings or items."""
    from django.apps import apps

    from tandem.core.models import ActivityEntry

    if actor.is_member(partnership.workspace_id):
        return None
    seen = set()
    for label in ITEM_MODELS:
        model = apps.get_model(label)
        ids = model.objects.visible_to(actor).in_scope(partnership).values_list("pk", flat=True)
        seen.update(f"{label}:{pk}" for pk in ids)
    gone = (
        ActivityEntry.objects.visible_to(actor)
        .filter(partnership_id=partnership.pk, target_gone=True, target_model__in=ITEM_MODELS)
        .values_list("target_model", "target_id")
    )
    seen.update(f"{label}:{pk}" for label, pk in gone)
    return seen


def _sees(seen: set[str] | None, item: dict[str, Any]) -> bool:
    if seen is None:
        return True
    if not item.get("shared"):
        return False
    # Recaps stored before items carried a ref keep the flag they were written with.
    return "ref" not in item or item["ref"] in seen


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def build(meeting: Meeting) -> dict[str, Any]:
    """The recap of an ended meeting, every item tagged ``shared`` or not."""
    partnership = meeting.partnership
    everyone = selectors.seeing_all(meeting.workspace_id)
    window = {"created_at__gte": meeting.started_at, "created_at__lte": meeting.ended_at}
    new_todos = (
        Todo.objects.in_scope(partnership)
        .filter(**window, repeated_from__isnull=True)  # not a repeating to-do's next round
        .select_related("owner")
        .order_by("id")
    )
    solved = (
        Issue.objects.in_scope(partnership)
        .filter(solved_at__gte=meeting.started_at, solved_at__lte=meeting.ended_at)
        .order_by("solved_at", "id")
    )
    carried = (
        Issue.objects.in_scope(partnership).filter(solved_at__isnull=True, **window).order_by("id")
    )
    since = selectors.week_start(meeting)
    until = selectors.meeting_day(meeting)
    week = list(selectors.week_todos(everyone, meeting, since))
    shared_week = [todo for todo in week if _shared(todo)]
    quarterly = meeting.kind == Kind.QUARTERLY
    reviewed = selectors.review_shift(meeting) if quarterly else 0
    rocks = selectors.quarter_rocks(everyone, meeting, shift=reviewed)
    next_rocks = selectors.quarter_rocks(everyone, meeting, shift=reviewed + 1) if quarterly else []
    misses = [row for row in selectors.scorecard_rows(everyone, partnership) if row.missed]
    headlines = Headline.objects.filter(meeting=meeting).select_related("created_by")
    people = selectors.attendees(meeting)
    next_meeting = _next_meeting(meeting)
    all_rate = selectors.week_rate(week, since, until)
    shared_rate = selectors.week_rate(shared_week, since, until)
    return {
        "kind": meeting.kind,
        "kind_label": meeting.get_kind_display(),
        "partnership": partnership.name,
        "started_at": meeting.started_at.isoformat(),
        "ended_at": meeting.ended_at.isoformat() if meeting.ended_at else "",
        "minutes": round((meeting.ended_at - meeting.started_at).total_seconds() / 60)
        if meeting.ended_at
        else 0,
        "todos": [
            {
                "title": todo.title,
                "owner": _name(todo.owner),
                "due_on": _day(todo.due_on),
                "shared": _shared(todo),
                "ref": _ref(todo),
            }
            for todo in new_todos
        ],
        "solved": [
            {
                "title": issue.title,
                "decision": issue.decision,
                "shared": _shared(issue),
                "ref": _ref(issue),
            }
            for issue in solved
        ],
        "carried": [
            {"title": issue.title, "shared": _shared(issue), "ref": _ref(issue)}
            for issue in carried
        ],
        "rocks": [_rock(rock) for rock in rocks],
        "next_rocks": [_rock(rock) for rock in next_rocks],
        "misses": [
            {
                "title": row.measurable.title,
                "owner": row.owner_name,
                "value": row.latest.shown,
                "goal": row.latest.goal_shown or row.goal_shown,
                "period": row.latest.period_start.isoformat(),
                "shared": _shared(row.measurable),
                "ref": _ref(row.measurable),
            }
            for row in misses
        ],
        "headlines": [
            {
                "kind": headline.get_kind_display(),
                "text": headline.text,
                "by": _name(headline.created_by),
                "shared": _shared(headline),
                "ref": _ref(headline),
            }
            for headline in headlines
        ],
        "ratings": [
            {
                "name": _name(person.user),
                "side": person.side,
                "rating": person.rating,
                "absent": person.absent,
            }
            for person in people
        ],
        "rating_average": str(meeting.rating_average) if meeting.rating_average else "",
        "completion": {
            "all": [all_rate.done, all_rate.due],
            "shared": [shared_rate.done, shared_rate.due],
            # The to-dos those figures count, so each reader's figure counts what they see.
            "week": [
                {"ref": _ref(todo), "shared": _shared(todo), "done": todo.done_at is not None}
                for todo in selectors.week_due(week, since, until)
            ],
        },
        "next_meeting": next_meeting.isoformat() if next_meeting else "",
        "next_meeting_zone": _zone(meeting),
    }


def _rock(rock: Any) -> dict[str, Any]:
    return {
        "title": rock.title,
        "owner": _name(rock.owner),
        "status": rock.status,
        "status_label": rock.get_status_display(),
        "shared": _shared(rock),
        "ref": _ref(rock),
    }


def _zone(meeting: Meeting) -> str:
    return schedule_of(meeting.partnership).timezone


def _next_meeting(meeting: Meeting) -> Any:
    # After the meeting, and after the slot it was held for (a meeting held early must
    # not name its own slot as the next one).
    after = meeting.ended_at
    if meeting.scheduled_for is not None:
        after = max(after, meeting.scheduled_for + timedelta(minutes=1))
    upcoming = next_occurrence(meeting.partnership, schedule_of(meeting.partnership), after)
    return upcoming.start if upcoming else None


def completion_for(recap: dict[str, Any], seen: set[str] | None) -> Rate | None:
    """The week's to-do completion as one reader counts it (``seen``: see ``seen_by``), or
    None for a meeting without a recap yet."""
    pairs = (recap or {}).get("completion")
    if not pairs:
        return None
    if seen is None:
        done, due = pairs["all"]
    elif "week" in pairs:
        counted = [todo for todo in pairs["week"] if _sees(seen, todo)]
        done, due = sum(1 for todo in counted if todo["done"]), len(counted)
    else:
        done, due = pairs["shared"]
    return Rate(done=done, due=due)


def for_reader(recap: dict[str, Any], seen: set[str] | None) -> dict[str, Any]:
    """The recap one reader may see (``seen``: see ``seen_by``)."""
    if not recap:
        return {}
    copy = dict(recap)
    if seen is not None:
        for name in LISTS:
            copy[name] = [item for item in recap.get(name, []) if _sees(seen, item)]
    rate = completion_for(recap, seen)
    copy["rate"] = {
        "done": rate.done if rate else 0,
        "total": rate.due if rate else 0,
        "percent": rate.percent if rate else None,
        "on_target": rate.on_target if rate else False,
    }
    counted = [rock for rock in copy.get("rocks", []) if rock.get("status") != "dropped"]
    done_rocks = sum(1 for rock in counted if rock.get("status") == "done")
    copy["rocks_done"] = {
        "done": done_rocks,
        "counted": len(counted),
        "percent": percent(done_rocks, len(counted)),
    }
    rated = [row["rating"] for row in recap.get("ratings", []) if row.get("rating")]
    copy["rated"] = len(rated)
    copy["next_meeting_at"] = _parse(recap.get("next_meeting"))
    copy["started"] = _parse(recap.get("started_at"))
    return copy


def _parse(value: str | None) -> Any:
    if not value:
        return None
    from datetime import datetime

    return datetime.fromisoformat(value)


def search_text(recap: dict[str, Any], *, partner_side: bool = False) -> str:
    """The words a history search finds a meeting by: every item's, or (``partner_side``)
    those of the items shared when it ended. A partner-side search starts from the latter,
    then keeps the meetings whose words still match what the reader sees (``matches``)."""
    if partner_side:
        recap = {
            **recap,
            **{name: [i for i in recap.get(name, []) if i.get("shared")] for name in LISTS},
        }
    return _words(recap)


def _words(recap: dict[str, Any]) -> str:
    parts: list[str] = [recap.get("kind_label", "")]
    for name in LISTS:
        for item in recap.get(name, []):
            parts.extend(
                str(item.get(key, ""))[:SEARCH_PART] for key in ("title", "decision", "text")
            )
    return "\n".join(part for part in parts if part)[:SEARCH_TEXT]


def matches(recap: dict[str, Any], query: str, seen: set[str] | None) -> bool:
    """Whether a history search for ``query`` finds this recap as the reader sees it now."""
    return query.casefold() in _words(for_reader(recap, seen)).casefold()


SEARCH_PART = 500  # of one title, decision or headline: a long one cannot crowd out the rest
SEARCH_TEXT = 100_000


def when(value: Any, zone: str) -> str:
    """A moment as the partnership's clock shows it: "Tue 2 Dec 2026, 10:00 EST"."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo(zone or "UTC"))
    return f"{date_format(local, 'D j M Y, H:i')} {local.tzname()}"
