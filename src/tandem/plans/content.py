"""What a quarter's plan holds, as plain data: the partnership's SHARED rocks of the quarter
(dropped ones left out: a dropped rock is out of the plan), its shared commitments (all of
them are in force: a commitment stands until it is deleted) and the shared 1-year goals those
rocks serve. Internal items are never part of a plan: both sides sign it.

The content is ordered and JSON-able, so its hash names one version of the plan: a
signature holds the hash and the content it was given, and any later difference is a change
since signing. Progress (a rock on or off track) is not the plan and changes nothing."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from tandem.core.access import Visibility
from tandem.core.errors import display
from tandem.core.scope import Scope
from tandem.relationship.commitments.models import Commitment
from tandem.traction.models import Rock, RockStatus
from tandem.vision.models import Goal, Horizon

SECTIONS = ("rocks", "commitments", "goals")
SECTION_LABELS = {"rocks": "Rock", "commitments": "Commitment", "goals": "1-year goal"}
# The fields a signer agreed to, in the order a change lists them, with their words.
FIELDS = {
    "rocks": {"title": "title", "owner": "owner", "due_on": "due", "goal": "serves"},
    "commitments": {
        "side": "side",
        "description": "description",
        "target": "target",
        "period": "period",
        "owner": "owner",
    },
    "goals": {"title": "title", "target": "target", "due_on": "by"},
}


def quarter_key(year: int, quarter: int) -> str:
    """``2026-Q4``: how a plan's quarter is written in its content, URLs and the API."""
    return f"{year}-Q{quarter}"


def build(partnership: Scope, year: int, quarter: int) -> dict[str, Any]:
    """The plan's content, in three queries whatever the partnership holds."""
    shared = {"visibility": Visibility.SHARED}
    rocks = list(
        Rock.objects.in_scope(partnership)
        .filter(year=year, quarter=quarter, **shared)
        .exclude(status=RockStatus.DROPPED)
        .select_related("owner")
        .order_by("due_on", "id")
    )
    goal_ids = {rock.goal_id for rock in rocks if rock.goal_id}
    goals = list(
        Goal.objects.in_scope(partnership)
        .filter(pk__in=goal_ids, horizon=Horizon.ONE_YEAR, **shared)
        .order_by("due_on", "id")
    )
    kept = {goal.pk for goal in goals}
    commitments = (
        Commitment.objects.in_scope(partnership)
        .filter(**shared)
        .select_related("owner")
        .order_by("side", "kind", "id")
    )
    return {
        "quarter": quarter_key(year, quarter),
        "rocks": [
            {
                "id": rock.pk,
                "title": rock.title,
                "owner": _person(rock.owner),
                "due_on": rock.due_on.isoformat(),
                "goal": rock.goal_id if rock.goal_id in kept else None,
            }
            for rock in rocks
        ],
        "commitments": [
            {
                "id": commitment.pk,
                "side": commitment.side,
                "description": commitment.description,
                "target": commitment.target,
                "period": commitment.get_period_display(),
                "owner": _person(commitment.owner),
            }
            for commitment in commitments
        ],
        "goals": [
            {
                "id": goal.pk,
                "title": goal.title,
                "target": goal.target,
                "due_on": goal.due_on.isoformat(),
            }
            for goal in goals
        ],
    }


def _person(user: Any) -> str:
    return "" if user is None else display(user)


def readable(content: dict[str, Any]) -> dict[str, Any]:
    """A content as a page lists it: each rock with the title of the goal it serves, the
    commitments of each side apart."""
    goals = {goal["id"]: goal["title"] for goal in content.get("goals", [])}
    commitments = content.get("commitments", [])
    return {
        "rocks": [
            {**rock, "goal_title": goals.get(rock.get("goal"), "")}
            for rock in content.get("rocks", [])
        ],
        "ours": [item for item in commitments if item.get("side") == "ours"],
        "partner": [item for item in commitments if item.get("side") != "ours"],
        "goals": content.get("goals", []),
    }


def digest(content: dict[str, Any]) -> str:
    """The hash of a content: the same plan, the same hash, on every database and process."""
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass(frozen=True)
class Change:
    """One field of one item that differs: its words before and after."""

    field: str
    before: str
    after: str


@dataclass(frozen=True)
class ItemChange:
    section: str
    kind: str  # "added", "removed" or "changed"
    title: str
    changes: tuple[Change, ...] = ()

    @property
    def label(self) -> str:
        return SECTION_LABELS[self.section]


@dataclass(frozen=True)
class Changes:
    """What differs between a signed content and the current one."""

    items: tuple[ItemChange, ...] = field(default_factory=tuple)

    def __bool__(self) -> bool:
        return bool(self.items)

    def of(self, kind: str) -> list[ItemChange]:
        return [item for item in self.items if item.kind == kind]

    @property
    def added(self) -> list[ItemChange]:
        return self.of("added")

    @property
    def removed(self) -> list[ItemChange]:
        return self.of("removed")

    @property
    def changed(self) -> list[ItemChange]:
        return self.of("changed")


def title_of(section: str, item: dict[str, Any]) -> str:
    return str(item.get("description") if section == "commitments" else item.get("title"))


def _words(section: str, name: str, value: Any, content: dict[str, Any]) -> str:
    """A field's value as a reader reads it: a goal by its title, a day as a day."""
    from tandem.core.dates import day

    if value in (None, ""):
        return "—"
    if section == "rocks" and name == "goal":
        goal = next((g for g in content.get("goals", []) if g["id"] == value), None)
        return goal["title"] if goal else "—"
    if name == "due_on":
        return day(str(value))
    if name == "side":
        return "ours" if value == "ours" else "the partner's"
    return str(value)


def compare(signed: dict[str, Any], current: dict[str, Any]) -> Changes:
    """Items added, removed and changed (field by field) from ``signed`` to ``current``."""
    found: list[ItemChange] = []
    for section in SECTIONS:
        before = {item["id"]: item for item in signed.get(section, [])}
        after = {item["id"]: item for item in current.get(section, [])}
        for pk, item in after.items():
            if pk not in before:
                found.append(ItemChange(section, "added", title_of(section, item)))
                continue
            old = before[pk]
            differences = tuple(
                Change(
                    words,
                    _words(section, name, old.get(name), signed),
                    _words(section, name, item.get(name), current),
                )
                for name, words in FIELDS[section].items()
                if _words(section, name, old.get(name), signed)
                != _words(section, name, item.get(name), current)
            )
            if differences:
                found.append(ItemChange(section, "changed", title_of(section, item), differences))
        for pk, item in before.items():
            if pk not in after:
                found.append(ItemChange(section, "removed", title_of(section, item)))
    return Changes(tuple(found))
