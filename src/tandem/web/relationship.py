"""The relationship at a glance: one line per component of a partnership (seeds 001–004) for
its overview page, each saying whether it needs attention and linking to where to act.

It reads every component through its own selectors, as the person asking, so a partner-side
reader's figures count shared items only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.text import capfirst

from tandem.core.access import Actor
from tandem.core.clock import local_today
from tandem.core.sides import OURS, PARTNER, side_name
from tandem.relationship.asks.selectors import ask_health
from tandem.relationship.checkins.selectors import checkin_health
from tandem.relationship.commitments.selectors import trust_record
from tandem.relationship.communication.selectors import plan_health
from tandem.relationship.people.selectors import seat_board
from tandem.relationship.way.selectors import way_followed
from tandem.vision.values.selectors import alignment

if TYPE_CHECKING:
    from tandem.partners.models import Partnership


@dataclass(frozen=True)
class Signal:
    label: str
    figure: str
    detail: str
    ok: bool
    url: str


def _duration(span: timedelta | None) -> str:
    if span is None:
        return "—"
    hours = span.total_seconds() / 3600
    return f"{hours:.0f} h" if hours < 48 else f"{hours / 24:.0f} days"


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def relationship_signals(actor: Actor, partnership: Partnership) -> list[Signal]:
    today = local_today(partnership)
    pk = partnership.pk
    ours, theirs = side_name(OURS, actor, partnership), side_name(PARTNER, actor, partnership)
    signals = []

    # Each line reads what its page shows, through the same selector, so the two never
    # disagree (an empty partnership is not "all seats set" beside a People page of gaps).
    people = seat_board(actor, partnership)["warnings"]
    signals.append(
        Signal(
            "People",
            f"{len(people)} warning{'s' if len(people) != 1 else ''}"
            if people
            else "all seats set",
            " ".join(people) or "Every seat has a person; the right people run it.",
            not people,
            reverse("seat_list", args=[pk]),
        )
    )

    values = alignment(actor, partnership)
    signals.append(
        Signal(
            "Values",
            f"{len(values.shared_ids)} shared",
            ", ".join(value.name for value in values.shared)
            if values.aligned
            else "No shared values yet: compare both sides' values.",
            values.aligned,
            reverse("values", args=[pk]),
        )
    )

    trust = trust_record(actor, partnership)
    reviewed = trust["ours"].reviewed + trust["partner"].reviewed
    low = [r for r in trust.values() if r.percent is not None and r.percent < 80]
    signals.append(
        Signal(
            "Commitments kept",
            f"{_percent(trust['ours'].percent)} {ours.name}"
            f" · {_percent(trust['partner'].percent)} {theirs.name}",
            "Nothing reviewed yet: mark commitments kept or missed at the review."
            if not reviewed
            else "Below 80% on a side: talk about what slipped."
            if low
            else "Both sides do what they said.",
            bool(reviewed) and not low,
            reverse("commitment_list", args=[pk]),
        )
    )

    plan = plan_health(actor, partnership, today=today)
    signals.append(
        Signal(
            "Communication plan",
            f"{_percent(plan.percent)} happened",
            "No planned touches yet: agree channels and cadences."
            if not plan.entries
            else f"{plan.overdue} touch{'es' if plan.overdue != 1 else ''} to mark."
            if plan.overdue
            else f"{plan.happened} of {plan.planned} planned touches in 90 days.",
            bool(plan.entries) and not plan.overdue and (plan.percent or 0) >= 80,
            reverse("plan_entry_list", args=[pk]),
        )
    )

    asks = ask_health(actor, partnership, today=today)
    signals.append(
        Signal(
            "Asks",
            f"{asks.open} open",
            (f"{asks.overdue} overdue. " if asks.overdue else "")
            + (
                f"{capfirst(ours.does('answer'))} in {_duration(asks.partner.median_response)},"
                f" {theirs.does('answer')} in {_duration(asks.ours.median_response)}"
                " (median, 90 days)."
                if asks.partner.median_response is not None or asks.ours.median_response is not None
                else "No asks answered in the last 90 days."
            ),
            not asks.overdue,
            reverse("ask_list", args=[pk]),
        )
    )

    way = way_followed(actor, partnership)
    signals.append(
        Signal(
            "The Way",
            f"{_percent(way['percent'])} followed",
            "No processes documented yet: write down the program's Way."
            if not way["total"]
            else f"{way['followed']} of {way['total']} steps followed.",
            bool(way["total"]) and (way["percent"] or 0) >= 80,
            reverse("way", args=[pk]),
        )
    )

    checkins = checkin_health(actor, partnership, today=today)
    last = checkins.days_since_last
    signals.append(
        Signal(
            "Check-ins",
            "none yet" if last is None else f"{last} days ago",
            " ".join(checkins.warnings) or "The monthly and quarterly rhythm holds.",
            not checkins.warning,
            reverse("checkin_list", args=[pk]),
        )
    )
    return signals
