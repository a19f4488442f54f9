"""The parts of a partnership's health, each a function of many partnerships at once.

Every part reads through the reader's ``visible_to`` (a partner-side reader's parts come
from shared items only) and takes one to three grouped queries whatever the number of
partnerships or the length of their history: windows bound what is read. Each returns, per
partnership id, a ``Part``: a score 0–100, one line of evidence in plain words, the page it
comes from — or no score ("no data"), which the total leaves out instead of counting zero.
The rule of each part is in its docstring; the health page shows the same words.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.urls import reverse

from tandem.accounts.models import PartnerAccess
from tandem.core.access import Actor
from tandem.core.dates import quarter_of
from tandem.core.models import ActivityEntry
from tandem.core.numbers import percent
from tandem.exchange.ledger.models import Confirmation, Direction
from tandem.exchange.ledger.models import Entry as LedgerEntry
from tandem.exchange.pipeline.models import (
    STALL_DAYS,
    Opportunity,
    Outcome,
    PipelineSettings,
    Registration,
    StageChange,
)
from tandem.meetings.models import Meeting
from tandem.meetings.schedule.dates import occurrences, schedule_of
from tandem.partners.models import Partnership
from tandem.relationship.asks.models import Ask, AskStatus
from tandem.relationship.checkins.models import CheckInKind
from tandem.relationship.checkins.selectors import LAPSE_DAYS, checkin_health_for
from tandem.relationship.commitments.models import Commitment, CommitmentReview
from tandem.relationship.commitments.models import Side as PromiseSide
from tandem.scorecard.models import Entry as ScoreEntry
from tandem.scorecard.models import Frequency, Measurable, Source, goal_met, period_of, shift
from tandem.traction.models import COMPLETION_TARGET, Rock, RockStatus, Todo


@dataclass(frozen=True)
class Part:
    """One named part of a partnership's health as one reader sees it. ``score`` is None
    when there is nothing to judge ("no data": left out of the total, never zero)."""

    key: str
    label: str
    score: int | None
    evidence: str
    url: str
    weight: int = 0

    @property
    def has_data(self) -> bool:
        return self.score is not None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "label": self.label,
            "score": self.score,
            "evidence": self.evidence,
            "url": self.url,
            "weight": self.weight,
        }


@dataclass
class Context:
    """What every part reads: the reader, the partnerships (loaded with their schedule and
    workspace) and the day the health is computed for."""

    actor: Actor
    partnerships: list[Partnership]
    today: date

    @cached_property
    def ids(self) -> list[int]:
        return sorted(p.pk for p in self.partnerships)

    @cached_property
    def end(self) -> datetime:
        """The end of ``today`` (UTC): datetime windows end here."""
        return datetime.combine(self.today + timedelta(days=1), time.min, tzinfo=UTC)

    def since(self, days: int) -> datetime:
        return self.end - timedelta(days=days)

    def names(self, partnership: Partnership) -> tuple[str, str]:
        """(the workspace's name, the partner's name): the two sides, named the same for
        every reader (snapshots are read by both)."""
        return partnership.workspace.name, partnership.name


@dataclass
class _Counts:
    good: int = 0
    total: int = 0
    more: dict[str, int] = field(default_factory=dict)


def _link(name: str) -> Callable[[int], str]:
    """The page ``name`` of a partnership, reversed once (a thousand partnerships would
    otherwise reverse eleven thousand times)."""
    template = reverse(name, args=["0"])
    head, _, tail = template.rpartition("/0/")
    return lambda pk: f"{head}/{pk}/{tail}"


def _percent(good: int, total: int) -> int:
    return percent(good, total) or 0


def _plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


# --- Meetings ------------------------------------------------------------------------------

# How far back each cadence is judged: about four meetings (a quarter's two for quarterly).
MEETING_WINDOW_DAYS = {"weekly": 28, "biweekly": 56, "monthly": 91, "quarterly": 182}
MEETING_NOUN = {
    "weekly": "weekly meetings",
    "biweekly": "meetings every two weeks",
    "monthly": "monthly meetings",
    "quarterly": "quarterly meetings",
}
RECAP_WINDOW_DAYS = 90


def _ended_meetings(ctx: Context) -> list[tuple[Any, ...]]:
    """(partnership, started, ended, recap sent) of the meetings ended in the longest window
    any part looks at: one query."""
    longest = max(*MEETING_WINDOW_DAYS.values(), RECAP_WINDOW_DAYS)
    return list(
        Meeting.objects.visible_to(ctx.actor)
        .filter(
            partnership_id__in=ctx.ids,
            ended_at__isnull=False,
            started_at__gte=ctx.since(longest),
            started_at__lt=ctx.end,
        )
        .order_by()
        .values_list("partnership_id", "started_at", "ended_at", "recap_sent_at")
    )


def meetings(ctx: Context, ended: list[tuple[Any, ...]]) -> dict[int, Part]:
    """Meetings held at the planned cadence. The window is about four meetings long: 28 days
    for weekly, 56 for every two weeks, 91 for monthly, 182 for quarterly. Planned: the
    meetings the schedule (meetings/schedule) holds in the window, before today's end.
    Held: meetings ended that started in the window (at most as many as planned).
    Score = held / planned. No data when nothing was planned (paused, ended or archived, or
    a schedule that starts later)."""
    link = _link("meeting_list")
    held: dict[int, list[datetime]] = defaultdict(list)
    for pk, started, _ended, _sent in ended:
        held[pk].append(started)
    found = {}
    for partnership in ctx.partnerships:
        days = MEETING_WINDOW_DAYS.get(partnership.cadence, 28)
        start = ctx.since(days)
        planned = len(occurrences(partnership, schedule_of(partnership), start, ctx.end))
        count = min(sum(1 for when in held[partnership.pk] if when >= start), planned)
        weeks = days // 7
        noun = MEETING_NOUN.get(partnership.cadence, "meetings")
        if not planned:
            score, evidence = None, f"No meeting was planned in the last {weeks} weeks."
        else:
            score = _percent(count, planned)
            evidence = f"{count} of {planned} {noun} held in the last {weeks} weeks."
        found[partnership.pk] = Part(
            "meetings", "Meetings held", score, evidence, link(partnership.pk)
        )
    return found


def recaps(ctx: Context, ended: list[tuple[Any, ...]]) -> dict[int, Part]:
    """Recaps sent. Of the meetings that ended in the last 90 days, the share whose recap
    was mailed to the attendees. No data when no meeting ended in that time."""
    link = _link("meeting_list")
    since = ctx.since(RECAP_WINDOW_DAYS)
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for pk, _started, ended_at, sent in ended:
        if ended_at >= since:
            counts[pk].total += 1
            counts[pk].good += sent is not None
    found = {}
    for pk in ctx.ids:
        c = counts[pk]
        if not c.total:
            score, evidence = None, f"No meeting ended in the last {RECAP_WINDOW_DAYS} days."
        else:
            score = _percent(c.good, c.total)
            evidence = (
                f"{c.good} of {_plural(c.total, 'meeting')} in the last"
                f" {RECAP_WINDOW_DAYS} days had their recap sent."
            )
        found[pk] = Part("recaps", "Recaps sent", score, evidence, link(pk))
    return found


# --- Traction ------------------------------------------------------------------------------

TODO_WINDOW_DAYS = 28


def todos(ctx: Context) -> dict[int, Part]:
    """To-do completion against 90%. Of the to-dos that fell due in the last 4 weeks (due
    before today), the share done by their due date; reaching 90% (seed 000: "90% should
    drop off every week") scores 100, less scores in proportion (45% done scores 50). An
    overdue to-do counts as not done. No data when none fell due."""
    link = _link("todo_list")
    start = ctx.today - timedelta(days=TODO_WINDOW_DAYS)
    window = Q(due_on__gte=start, due_on__lt=ctx.today)
    rows = (
        Todo.objects.visible_to(ctx.actor)
        .filter(window, partnership_id__in=ctx.ids)
        .order_by()
        .values("partnership_id")
        .annotate(
            due=Count("pk"),
            done=Count("pk", filter=Q(done_at__isnull=False, done_at__date__lte=F("due_on"))),
        )
    )
    counts = {row["partnership_id"]: (row["done"], row["due"]) for row in rows}
    target = round(COMPLETION_TARGET * 100)
    found = {}
    for pk in ctx.ids:
        done, due = counts.get(pk, (0, 0))
        if not due:
            score, evidence = None, "No to-do fell due in the last 4 weeks."
        else:
            # Against the target: 90% done on time scores 100.
            score = min(100, percent(done, Decimal(due) * Decimal(str(COMPLETION_TARGET))) or 0)
            evidence = (
                f"{done} of {_plural(due, 'to-do')} due in the last 4 weeks done on time"
                f" ({_percent(done, due)}%, target {target}%)."
            )
        found[pk] = Part("todos", "To-dos done on time", score, evidence, link(pk))
    return found


def rocks(ctx: Context) -> dict[int, Part]:
    """Rocks on track. Of the current quarter's rocks (dropped ones left out), the share on
    track or done. No data when the quarter has no rocks."""
    link = _link("rock_list")
    year, quarter = quarter_of(ctx.today)
    rows = (
        Rock.objects.visible_to(ctx.actor)
        .filter(partnership_id__in=ctx.ids, year=year, quarter=quarter)
        .exclude(status=RockStatus.DROPPED)
        .order_by()
        .values("partnership_id")
        .annotate(
            total=Count("pk"),
            good=Count("pk", filter=Q(status__in=[RockStatus.ON_TRACK, RockStatus.DONE])),
        )
    )
    counts = {row["partnership_id"]: (row["good"], row["total"]) for row in rows}
    found = {}
    for pk in ctx.ids:
        good, total = counts.get(pk, (0, 0))
        if not total:
            score, evidence = None, f"No rocks for Q{quarter} {year}."
        else:
            score = _percent(good, total)
            evidence = f"{good} of {_plural(total, 'rock')} of Q{quarter} {year} on track or done."
        found[pk] = Part("rocks", "Rocks on track", score, evidence, link(pk))
    return found


# --- Scorecard -----------------------------------------------------------------------------

SCORE_WEEKS, SCORE_MONTHS = 4, 3


def scorecard(ctx: Context) -> dict[int, Part]:
    """Scorecard on track. The values entered by hand in the last 4 finished weeks (weekly
    measurables) and 3 finished months (monthly ones), each judged against its goal (the
    period's own goal when one was set, else the measurable's): the share on goal. Values
    without a goal, and computed measurables (formulas, ledger and pipeline figures), are
    left out. No data when no value could be judged."""
    link = _link("scorecard")
    this_week = period_of(ctx.today, Frequency.WEEKLY)
    this_month = period_of(ctx.today, Frequency.MONTHLY)
    starts: dict[str, tuple[date, date]] = {
        Frequency.WEEKLY: (shift(this_week, Frequency.WEEKLY, -SCORE_WEEKS), this_week),
        Frequency.MONTHLY: (shift(this_month, Frequency.MONTHLY, -SCORE_MONTHS), this_month),
    }
    visible = Measurable.objects.visible_to(ctx.actor).filter(
        partnership_id__in=ctx.ids, formula="", source=Source.MANUAL
    )
    rows = (
        ScoreEntry.objects.filter(
            measurable__in=visible.values("pk"),
            value__isnull=False,
            period_start__gte=min(start for start, _ in starts.values()),
            period_start__lt=max(end for _, end in starts.values()),
        )
        .order_by()
        .values_list(
            "measurable__partnership_id",
            "measurable__frequency",
            "measurable__comparator",
            "measurable__goal",
            "measurable__goal_high",
            "period_start",
            "value",
            "goal",
            "goal_high",
        )
    )
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for pk, frequency, comparator, goal, goal_high, period, value, own, own_high in rows:
        start, end = starts.get(frequency, starts[Frequency.WEEKLY])
        if not start <= period < end:
            continue
        if own is not None:
            goal, goal_high = own, own_high
        met = goal_met(value, comparator, goal, goal_high)
        if met is None:
            continue
        counts[pk].total += 1
        counts[pk].good += met
    found = {}
    for pk in ctx.ids:
        c = counts[pk]
        if not c.total:
            score = None
            evidence = "No scorecard value against a goal in the last 4 weeks or 3 months."
        else:
            score = _percent(c.good, c.total)
            evidence = (
                f"{c.good} of {_plural(c.total, 'value')} on goal in the last 4 weeks and 3 months."
            )
        found[pk] = Part("scorecard", "Scorecard on track", score, evidence, link(pk))
    return found


# --- Relationship --------------------------------------------------------------------------

PROMISE_WINDOW_DAYS = 365


def commitments(ctx: Context) -> dict[int, Part]:
    """Commitments kept on each side. The reviews (kept or missed) of periods that started
    in the last 12 months, per side: the score is the mean of each reviewed side's kept
    share, so a side that keeps every promise does not hide one that keeps none. No data
    when nothing was reviewed."""
    link = _link("commitment_list")
    visible = Commitment.objects.visible_to(ctx.actor).filter(partnership_id__in=ctx.ids)
    rows = (
        CommitmentReview.objects.filter(
            commitment__in=visible.values("pk"),
            period_start__gte=ctx.today - timedelta(days=PROMISE_WINDOW_DAYS),
        )
        .order_by()
        .values("commitment__partnership_id", "commitment__side")
        .annotate(reviewed=Count("pk"), kept=Count("pk", filter=Q(kept=True)))
    )
    sides: dict[int, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        sides[row["commitment__partnership_id"]][row["commitment__side"]] = (
            row["kept"],
            row["reviewed"],
        )
    found = {}
    for partnership in ctx.partnerships:
        pk = partnership.pk
        ours, theirs = ctx.names(partnership)
        reviewed = sides[pk]
        if not reviewed:
            score, evidence = None, "No commitment reviewed in the last 12 months."
        else:
            score = round(sum(100 * k / r for k, r in reviewed.values()) / len(reviewed))
            said = [
                f"{name}: {reviewed[side][0]} of {reviewed[side][1]} kept"
                if side in reviewed
                else f"{name}: none reviewed"
                for side, name in ((PromiseSide.OURS, ours), (PromiseSide.PARTNER, theirs))
            ]
            evidence = " · ".join(said) + " (last 12 months)."
        found[pk] = Part("commitments", "Commitments kept", score, evidence, link(pk))
    return found


ASK_WINDOW_DAYS = 90
ASK_DEFAULT_DAYS = 7  # an ask with no date needed is due within a week


def asks(ctx: Context) -> dict[int, Part]:
    """Asks answered on time. The asks of the last 90 days, both ways (withdrawn ones left
    out), each due by its date needed or, without one, 7 days after it was asked. On time:
    answered or declined by then. Late: answered after it, or still open past it. Open asks
    not yet due are not judged. No data when none could be judged."""
    link = _link("ask_list")
    rows = (
        Ask.objects.visible_to(ctx.actor)
        .filter(partnership_id__in=ctx.ids, asked_at__gte=ctx.since(ASK_WINDOW_DAYS))
        .exclude(status=AskStatus.WITHDRAWN)
        .order_by()
        .values_list("partnership_id", "status", "asked_at", "answered_at", "needed_by")
    )
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for pk, status, asked_at, answered_at, needed_by in rows:
        due = needed_by or asked_at.astimezone(UTC).date() + timedelta(days=ASK_DEFAULT_DAYS)
        if status == AskStatus.OPEN or answered_at is None:
            if due < ctx.today:
                counts[pk].total += 1
            continue
        counts[pk].total += 1
        counts[pk].good += answered_at.astimezone(UTC).date() <= due
    found = {}
    for pk in ctx.ids:
        c = counts[pk]
        if not c.total:
            score, evidence = None, "No ask of the last 90 days was due yet."
        else:
            score = _percent(c.good, c.total)
            evidence = (
                f"{c.good} of {_plural(c.total, 'ask')} of the last 90 days answered on time."
            )
        found[pk] = Part("asks", "Asks answered on time", score, evidence, link(pk))
    return found


def checkins(ctx: Context) -> dict[int, Part]:
    """Check-in rhythm (seed 002: monthly and quarterly check-ins). For each of the two: 100
    when the last one was held within its limit (35 and 100 days), 50 within twice the
    limit, else 0 (or none held). Score = the mean of the two. No data when the partnership
    has no check-in at all, held or planned."""
    link = _link("checkin_list")
    health = checkin_health_for(ctx.actor, ctx.ids, today=ctx.today)
    found = {}
    for pk in ctx.ids:
        kinds = health[pk].kinds
        if all(k.last_held is None and k.next_planned is None for k in kinds.values()):
            score, evidence = None, "No check-in recorded yet."
        else:
            scores, said = [], []
            for kind in (CheckInKind.MONTHLY, CheckInKind.QUARTERLY):
                figures, limit = kinds[kind], LAPSE_DAYS[kind]
                days = figures.days_since
                scores.append(
                    0 if days is None else 100 if days <= limit else 50 if days <= 2 * limit else 0
                )
                name = "monthly" if kind == CheckInKind.MONTHLY else "quarterly"
                said.append(
                    f"no {name} check-in held"
                    if days is None
                    else f"last {name} check-in {_plural(days, 'day')} ago"
                )
            score = round(sum(scores) / len(scores))
            evidence = "; ".join(said).capitalize() + " (due every 35 and 100 days)."
        found[pk] = Part("checkins", "Check-in rhythm", score, evidence, link(pk))
    return found


# --- Exchange ------------------------------------------------------------------------------

VALUE_WINDOW_DAYS = 365


def value(ctx: Context) -> dict[int, Part]:
    """Value balance. The ledger entries of the last 12 months (disputed ones left out),
    counted per side that gave: score = the smaller count over the larger (as much given as
    received scores 100; one side giving alone scores 0). Counted, not summed, so entries
    in different currencies or with no amount weigh alike. No data when nothing was
    logged."""
    link = _link("entry_list")
    rows = (
        LedgerEntry.objects.visible_to(ctx.actor)
        .filter(
            partnership_id__in=ctx.ids,
            occurred_on__gt=ctx.today - timedelta(days=VALUE_WINDOW_DAYS),
            occurred_on__lte=ctx.today,
        )
        .exclude(confirmation=Confirmation.DISPUTED)
        .order_by()
        .values("partnership_id", "direction")
        .annotate(count=Count("pk"))
    )
    given: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        given[row["partnership_id"]][row["direction"]] = row["count"]
    found = {}
    for partnership in ctx.partnerships:
        pk = partnership.pk
        ours, theirs = ctx.names(partnership)
        we, they = given[pk].get(Direction.OURS, 0), given[pk].get(Direction.PARTNER, 0)
        if not we and not they:
            score, evidence = None, "Nothing logged in the ledger in the last 12 months."
        else:
            score = _percent(min(we, they), max(we, they))
            evidence = (
                f"In the last 12 months {ours} gave {_plural(we, 'entry', 'entries')}"
                f" and {theirs} gave {_plural(they, 'entry', 'entries')}."
            )
        found[pk] = Part("value", "Value balance", score, evidence, link(pk))
    return found


MOVE_WINDOW_DAYS = 30


def pipeline(ctx: Context) -> dict[int, Part]:
    """Pipeline movement. The open deals (pending and rejected registrations left out):
    the share not stalled, a deal being stalled when its stage has not changed for the
    workspace's stall days (30 by default). The evidence adds the stage changes of the last
    30 days. No data when there is no open deal."""
    link = _link("opportunity_list")
    workspaces = {p.workspace_id for p in ctx.partnerships}
    stall = dict(
        PipelineSettings.objects.filter(workspace_id__in=workspaces).values_list(
            "workspace_id", "stall_days"
        )
    )
    visible = Opportunity.objects.visible_to(ctx.actor).filter(partnership_id__in=ctx.ids)
    open_deals = (
        visible.filter(stage__outcome=Outcome.OPEN)
        .exclude(registration__in=[Registration.PENDING, Registration.REJECTED])
        .order_by()
        .values_list("partnership_id", "workspace_id", "stage_entered_at")
    )
    counts: dict[int, _Counts] = defaultdict(_Counts)
    for pk, workspace_id, entered in open_deals:
        counts[pk].total += 1
        counts[pk].good += entered >= ctx.since(stall.get(workspace_id, STALL_DAYS))
    moves = dict(
        StageChange.objects.filter(
            opportunity__in=visible.values("pk"), changed_at__gte=ctx.since(MOVE_WINDOW_DAYS)
        )
        .order_by()
        .values("opportunity__partnership_id")
        .annotate(n=Count("pk"))
        .values_list("opportunity__partnership_id", "n")
    )
    found = {}
    for partnership in ctx.partnerships:
        pk, c = partnership.pk, counts[partnership.pk]
        days = stall.get(partnership.workspace_id, STALL_DAYS)
        moved = _plural(moves.get(pk, 0), "stage change")
        if not c.total:
            score = None
            evidence = f"No open deal ({moved} in the last {MOVE_WINDOW_DAYS} days)."
        else:
            score = _percent(c.good, c.total)
            stalled = c.total - c.good
            evidence = (
                f"{stalled} of {_plural(c.total, 'open deal')} stalled (no stage change in"
                f" {days} days); {moved} in the last {MOVE_WINDOW_DAYS} days."
            )
        found[pk] = Part("pipeline", "Pipeline movement", score, evidence, link(pk))
    return found


# --- The partner's own activity ------------------------------------------------------------

ACTIVE_DAYS, SILENT_DAYS = 14, 60


def partner_activity(ctx: Context) -> dict[int, Part]:
    """The partner side's own activity: the days since the last change recorded in the
    activity log by one of the partner's people (their partner-side seats). Within 14 days
    scores 100, then less each day down to 0 at 60 days; none in 60 days scores 0 (only that
    window is read, so years of history cost nothing). No data when nobody from the partner
    has a seat yet."""
    link = _link("partnership_activity")
    seats = dict(
        PartnerAccess.objects.filter(partnership_id__in=ctx.ids)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"))
        .values_list("partnership_id", "n")
    )
    theirs = PartnerAccess.objects.filter(
        partnership_id=OuterRef("partnership_id"), user_id=OuterRef("actor_id")
    )
    # Per partnership, its log read newest first (its own index) down to the first entry by
    # one of the partner's people, within the window that can score: the cost stays the same
    # with years of history, and one partnership does not read the whole workspace's log.
    latest = (
        ActivityEntry.objects.visible_to(ctx.actor)
        .filter(
            Exists(theirs),
            partnership_id=OuterRef("pk"),
            created_at__lt=ctx.end,
            created_at__gte=ctx.since(SILENT_DAYS),
        )
        .order_by("-created_at")
        .values("created_at")[:1]
    )
    last = dict(
        Partnership.objects.filter(pk__in=ctx.ids)
        .annotate(last=Subquery(latest))
        .order_by()
        .values_list("pk", "last")
    )
    found = {}
    for partnership in ctx.partnerships:
        pk = partnership.pk
        _ours, name = ctx.names(partnership)
        when = last.get(pk)
        if not seats.get(pk):
            score, evidence = None, f"Nobody from {name} has access yet."
        elif when is None:
            score, evidence = 0, f"No action by {name}'s people in {SILENT_DAYS} days."
        else:
            days = max(0, (ctx.today - when.astimezone(UTC).date()).days)
            span = SILENT_DAYS - ACTIVE_DAYS
            score = 100 if days <= ACTIVE_DAYS else percent(max(0, SILENT_DAYS - days), span) or 0
            ago = "today" if days == 0 else f"{_plural(days, 'day')} ago"
            evidence = f"Last action by {name}'s people {ago}."
        found[pk] = Part(
            "partner_activity", "The partner's own activity", score, evidence, link(pk)
        )
    return found


def all_parts(ctx: Context) -> dict[str, dict[int, Part]]:
    """Every part for every partnership of ``ctx``, by part key, in the page's order."""
    ended = _ended_meetings(ctx)
    return {
        "meetings": meetings(ctx, ended),
        "recaps": recaps(ctx, ended),
        "todos": todos(ctx),
        "rocks": rocks(ctx),
        "scorecard": scorecard(ctx),
        "commitments": commitments(ctx),
        "asks": asks(ctx),
        "checkins": checkins(ctx),
        "value": value(ctx),
        "pipeline": pipeline(ctx),
        "partner_activity": partner_activity(ctx),
    }
