"""What a meeting produced, written down the moment it ends (seed 001: notes and action
items go out at once, not "next week").

The stored recap holds every item with its visibility and a reference to it (``ref``);
``for_reader`` cuts it down to what one reader may see *now*: a partner-side reader's copy (on
screen, by e-mail, in a search) holds the items that were shared when the meeting ended and
still are — an item made internal (or deleted while internal) since leaves their recap too,
asked of the items' own ``visible_to`` (``seen_by``), not of the flags stored with the recap.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format

from tandem.core.access import Visibility
from tandem.core.numbers import percent
from tandem.core.scope import scope_of
from tandem.issues.models import Issue
from tandem.meetings import pipeline, selectors
from tandem.meetings.models import Headline, Kind, Meeting
from tandem.meetings.schedule.dates import next_occurrence, schedule_of
from tandem.traction.models import Todo
from tandem.traction.selectors import Rate

# The one list of a recap that names people (the attendees' ratings), not items. Every
# other list holds items, and a partner-side reader's copy keeps of each only the items they
# see now: a list added to the recap reaches them only through its items' ``visible_to``.
PEOPLE = "ratings"


def _name(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.email


def _shared(item: Any) -> bool:
    return item.visibility == Visibility.SHARED


def _ref(item: Any) -> str:
    return f"{item._meta.label_lower}:{item.pk}"


def _item(item: Any, **fields: Any) -> dict[str, Any]:
    """One item of a recap's list: its words, its visibility then and its reference."""
    return {**fields, "shared": _shared(item), "ref": _ref(item)}


def item_lists(recap: dict[str, Any]) -> list[str]:
    """The names of the recap's lists of items (every list but the people's)."""
    return [name for name, value in recap.items() if isinstance(value, list) and name != PEOPLE]


class Seen:
    """What of a partnership's recaps a partner-side reader may see now: the refs of its items
    visible to them (each kind's own ``visible_to``, asked once per kind a recap names) and
    of its deleted items that were shared when deleted (the activity log keeps that). A
    kind that is not an item with a visibility is never seen."""

    def __init__(self, actor: Any, partnership: Any) -> None:
        self.actor, self.partnership = actor, partnership
        self._kinds: dict[str, set[str]] = {}
        self._gone: set[str] | None = None

    def __contains__(self, ref: object) -> bool:
        label = str(ref).partition(":")[0]
        if label not in self._kinds:
            self._kinds[label] = self._visible(label)
        return ref in self._kinds[label] or ref in self._deleted()

    def _visible(self, label: str) -> set[str]:
        from django.apps import apps

        from tandem.core.models import PartnershipItem

        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return set()
        if not issubclass(model, PartnershipItem):
            return set()
        items = model._default_manager.visible_to(self.actor).in_scope(self.partnership)
        return {f"{label}:{pk}" for pk in items.values_list("pk", flat=True)}

    def _deleted(self) -> set[str]:
        from tandem.core.models import ActivityEntry

        if self._gone is None:
            gone = (
                ActivityEntry.objects.visible_to(self.actor)
                .filter(partnership_id=self.partnership.pk, target_gone=True)
                .values_list("target_model", "target_id")
            )
            self._gone = {f"{label}:{pk}" for label, pk in gone}
        return self._gone


def seen_by(actor: Any, partnership: Any) -> Seen | None:
    """What of a recap ``actor`` may see now: None for a member (everything), else a
    ``Seen``. A few queries, whatever the number of meetings or items."""
    if actor.is_member(partnership.workspace_id):
        return None
    return Seen(actor, partnership)


def _sees(seen: Seen | None, item: Any) -> bool:
    if seen is None:
        return True
    if not isinstance(item, dict) or not item.get("shared"):
        return False
    # Recaps stored before items carried a ref keep the flag they were written with.
    return "ref" not in item or item["ref"] in seen


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def build(meeting: Meeting) -> dict[str, Any]:
    """The recap of an ended meeting, every item tagged ``shared`` or not."""
    partnership = scope_of(meeting)
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
            _item(todo, title=todo.title, owner=_name(todo.owner), due_on=_day(todo.due_on))
            for todo in new_todos
        ],
        "solved": [_item(issue, title=issue.title, decision=issue.decision) for issue in solved],
        "carried": [_item(issue, title=issue.title) for issue in carried],
        "rocks": [_rock(rock) for rock in rocks],
        "next_rocks": [_rock(rock) for rock in next_rocks],
        "misses": [_miss(row) for row in misses],
        "headlines": [
            _item(
                headline,
                kind=headline.get_kind_display(),
                text=headline.text,
                by=_name(headline.created_by),
            )
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
                _item(todo, done=todo.done_at is not None)
                for todo in selectors.week_due(week, since, until)
            ],
        },
        "next_meeting": next_meeting.isoformat() if next_meeting else "",
        "next_meeting_zone": _zone(meeting),
        # The quarterly meeting's forecast against actual and funnel: a member's figures and
        # the partner's (shared deals only); ``for_reader`` hands each reader theirs.
        "pipeline": pipeline.for_recap(meeting, partnership, everyone) if quarterly else None,
    }


def _rock(rock: Any) -> dict[str, Any]:
    return _item(
        rock,
        title=rock.title,
        owner=_name(rock.owner),
        status=rock.status,
        status_label=rock.get_status_display(),
    )


def _miss(row: selectors.ReviewedRow) -> dict[str, Any]:
    latest = row.latest
    assert latest is not None, "a missed row is missed in its latest period"
    return _item(
        row.measurable,
        title=row.measurable.title,
        owner=row.owner_name,
        value=latest.shown,
        goal=latest.goal_shown or row.goal_shown,
        period=latest.period_start.isoformat(),
    )


def _zone(meeting: Meeting) -> str:
    return schedule_of(selectors.partnership_of(meeting)).timezone


def _next_meeting(meeting: Meeting) -> datetime | None:
    # After the meeting, and after the slot it was held for (a meeting held early must
    # not name its own slot as the next one).
    after = meeting.ended_at
    assert after is not None, "a recap is written once the meeting has ended"
    if meeting.scheduled_for is not None:
        after = max(after, meeting.scheduled_for + timedelta(minutes=1))
    partnership = selectors.partnership_of(meeting)
    upcoming = next_occurrence(partnership, schedule_of(partnership), after)
    return upcoming.start if upcoming else None


def completion_for(recap: dict[str, Any], seen: Seen | None) -> Rate | None:
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


def for_reader(recap: dict[str, Any], seen: Seen | None) -> dict[str, Any]:
    """The recap one reader may see (``seen``: see ``seen_by``)."""
    if not recap:
        return {}
    copy = dict(recap)
    if seen is not None:
        for name in item_lists(recap):
            copy[name] = [item for item in recap[name] if _sees(seen, item)]
    copy["pipeline"] = pipeline.of_reader(recap.get("pipeline"), member=seen is None)
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
    return datetime.fromisoformat(value)


def search_text(recap: dict[str, Any], *, partner_side: bool = False) -> str:
    """The words a history search finds a meeting by: every item's, or (``partner_side``)
    those of the items shared when it ended. A partner-side search starts from the latter,
    then keeps the meetings whose words still match what the reader sees (``matches``)."""
    if partner_side:
        recap = {
            **recap,
            **{
                name: [i for i in recap[name] if isinstance(i, dict) and i.get("shared")]
                for name in item_lists(recap)
            },
        }
    return _words(recap)


def _words(recap: dict[str, Any]) -> str:
    parts: list[str] = [recap.get("kind_label", "")]
    for name in item_lists(recap):
        for item in recap[name]:
            if not isinstance(item, dict):
                continue
            parts.extend(
                str(item.get(key, ""))[:SEARCH_PART] for key in ("title", "decision", "text")
            )
    return "\n".join(part for part in parts if part)[:SEARCH_TEXT]


def matches(recap: dict[str, Any], query: str, seen: Seen | None) -> bool:
    """Whether a history search for ``query`` finds this recap as the reader sees it now."""
    return query.casefold() in _words(for_reader(recap, seen)).casefold()


def search(
    meetings: QuerySet[Meeting], query: str, seen: Seen | None
) -> QuerySet[Meeting] | list[Meeting]:
    """The history search (the page's and the API's): the meetings whose recap holds
    ``query`` in the database's words, then, for a partner-side reader, as they see it now."""
    found = selectors.search_recaps(meetings, query, seen)
    if query and seen is not None:
        return [meeting for meeting in found if matches(meeting.recap, query, seen)]
    return found


SEARCH_PART = 500  # of one title, decision or headline: a long one cannot crowd out the rest
SEARCH_TEXT = 100_000


def when(value: Any, zone: str) -> str:
    """A moment as the partnership's clock shows it: "Tue 2 Dec 2026, 10:00 EST"."""
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    local = value.astimezone(ZoneInfo(zone or "UTC"))
    return f"{date_format(local, 'D j M Y, H:i')} {local.tzname()}"
