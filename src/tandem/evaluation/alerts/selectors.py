"""Stall alerts: what in a partnership needs someone now, each with what to do next.

Computed when read, never stored, through the reader's ``visible_to``: a partner-side reader's
alerts come from shared items only. ``alerts_of`` serves any number of partnerships in a fixed
number of queries (about ten), whatever their number or the length of their history: every
rule groups by partnership and reads a bounded window.

The rules (the alert's ``kind``):

- ``no_meeting``: no meeting started within 1.5 times the planned cadence (7, 14, 30 or 91
  days), once the schedule has run that long; partnerships that do not meet (paused, ended,
  archived) are left out.
- ``recap_not_sent``: a meeting ended in the last 30 days (more than an hour ago: the worker
  mails the recap when it ends) without its recap sent.
- ``todos_overdue``: open to-dos past their due date (how many).
- ``partner_quiet``: nobody from the partner side (their partner-side seats) acted in Tandem
  for the workspace's quiet days (``AlertSettings``, default 14; the activity log is read
  back twice that far). Only once someone from the partner has access. A partner-side
  reader sees it too: it is about their side, and it is their prompt to answer.
- ``commitment_missed``: a commitment whose two latest reviews (of the last 12 months) were
  both missed.
- ``deal_stalled``: open deals whose stage has not changed for the workspace's stall days
  (the pipeline's rule, default 30).

Each alert also carries ``since``: the day the condition began, so a page can tell what is new
this week.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import PartnerAccess
from tandem.core.access import Actor
from tandem.core.models import ActivityEntry
from tandem.evaluation.alerts.models import QUIET_DAYS, AlertSettings
from tandem.exchange.pipeline.models import STALL_DAYS, Opportunity, Outcome, PipelineSettings
from tandem.meetings.models import Meeting
from tandem.meetings.schedule.dates import meets, schedule_of
from tandem.partners.models import Partnership
from tandem.relationship.commitments.models import Commitment, CommitmentReview
from tandem.relationship.commitments.models import Side as PromiseSide
from tandem.traction.models import Todo

CADENCE_DAYS = {"weekly": 7, "biweekly": 14, "monthly": 30, "quarterly": 91}
MEETING_NOUN = {
    "weekly": "weekly meetings",
    "biweekly": "meetings every two weeks",
    "monthly": "monthly meetings",
    "quarterly": "quarterly meetings",
}
MEETING_FACTOR = 1.5
LOOK_BACK_DAYS = 365  # how far back the meeting, activity and review rules read
RECAP_DAYS = 30
RECAP_GRACE = timedelta(hours=1)

# The order alerts are shown in: the first is a partnership's "top alert".
KINDS = (
    "no_meeting",
    "partner_quiet",
    "commitment_missed",
    "todos_overdue",
    "deal_stalled",
    "recap_not_sent",
)
TITLES = {
    "no_meeting": "No meeting",
    "partner_quiet": "Partner quiet",
    "commitment_missed": "Commitment missed twice",
    "todos_overdue": "To-dos overdue",
    "deal_stalled": "Deal stalled",
    "recap_not_sent": "Recap not sent",
}

# What the link to the page where the next step is done says.
LINKS = {
    "no_meeting": "Open the meetings",
    "partner_quiet": "Open the asks",
    "commitment_missed": "Open the commitments",
    "todos_overdue": "Open the to-dos",
    "deal_stalled": "Open the stalled deals",
    "recap_not_sent": "Open the meeting",
}


@dataclass(frozen=True)
class Alert:
    """One thing that stalls a partnership: what (``text``), what to do next (``next_step``,
    done at ``url``) and since when."""

    kind: str
    partnership_id: int
    partnership_name: str
    text: str
    next_step: str
    url: str
    since: date

    @property
    def title(self) -> str:
        return TITLES[self.kind]

    @property
    def link_text(self) -> str:
        return LINKS[self.kind]

    def is_new(self, today: date) -> bool:
        """Whether it began in the last seven days."""
        return self.since > today - timedelta(days=7)

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "partnership_id": self.partnership_id,
            "partnership_name": self.partnership_name,
            "text": self.text,
            "next_step": self.next_step,
            "url": self.url,
            "since": self.since,
        }


def _link(name: str, *extra: str) -> Callable[..., str]:
    """The page ``name`` of a partnership (and an item), reversed once for all of them."""
    template = reverse(name, args=["0", *("0" * len(extra))] if extra else ["0"])
    if not extra:
        head, _, tail = template.rpartition("/0/")
        return lambda pk: f"{head}/{pk}/{tail}"
    head, _, tail = template.partition("/0/")
    rest = tail.partition("/0/")
    return lambda pk, item: f"{head}/{pk}/{rest[0]}/{item}/{rest[2]}"


def _days(count: int) -> str:
    return f"{count} day{'' if count == 1 else 's'}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def quiet_days_of(workspace_ids: Iterable[int]) -> dict[int, int]:
    """Each workspace's quiet days (the default where it never set them): one query."""
    ids = sorted(set(workspace_ids))
    found = dict(
        AlertSettings.objects.filter(workspace_id__in=ids).values_list(
            "workspace_id", "partner_quiet_days"
        )
    )
    return {pk: found.get(pk, QUIET_DAYS) for pk in ids}


@dataclass
class _Ctx:
    actor: Actor
    partnerships: list[Partnership]
    today: date

    def __post_init__(self) -> None:
        self.ids = [p.pk for p in self.partnerships]
        self.end = datetime.combine(self.today + timedelta(days=1), time.min, tzinfo=UTC)
        self.start = self.end - timedelta(days=LOOK_BACK_DAYS)

    def day(self, moment: datetime, partnership: Partnership) -> date:
        return moment.astimezone(partnership.zone).date()


def _meetings(ctx: _Ctx) -> Iterable[Alert]:
    link = _link("meeting_list")
    last = dict(
        Meeting.objects.visible_to(ctx.actor)
        .filter(partnership_id__in=ctx.ids, started_at__gte=ctx.start, started_at__lt=ctx.end)
        .order_by()
        .values("partnership_id")
        .annotate(last=Max("started_at"))
        .values_list("partnership_id", "last")
    )
    for partnership in ctx.partnerships:
        if not meets(partnership):
            continue
        cadence = CADENCE_DAYS.get(partnership.cadence, 7)
        limit = timedelta(days=cadence * MEETING_FACTOR)
        first = schedule_of(partnership).starts_on
        held = last.get(partnership.pk)
        since = first if held is None else max(first, ctx.day(held, partnership))
        if ctx.today - since <= limit:
            continue
        noun = MEETING_NOUN.get(partnership.cadence, "meetings")
        if held is None and first > ctx.today - timedelta(days=LOOK_BACK_DAYS):
            text = f"No meeting held since the schedule began on {first.day} {first:%b %Y}."
            text += f" It plans {noun}."
        elif held is None:
            text = f"No meeting held in the last 12 months; the schedule plans {noun}."
        else:
            ago = (ctx.today - ctx.day(held, partnership)).days
            text = f"No meeting for {_days(ago)}: the schedule plans {noun}."
        yield Alert(
            "no_meeting",
            partnership.pk,
            partnership.name,
            text,
            "Hold the next meeting, or change the schedule if the rhythm has changed.",
            link(partnership.pk),
            since + timedelta(days=int(cadence * MEETING_FACTOR) + 1),
        )


def _recaps(ctx: _Ctx, by_id: dict[int, Partnership]) -> Iterable[Alert]:
    detail = _link("meeting_detail", "meeting")
    cutoff = min(timezone.now() - RECAP_GRACE, ctx.end)
    rows = (
        Meeting.objects.visible_to(ctx.actor)
        .filter(
            partnership_id__in=ctx.ids,
            ended_at__isnull=False,
            ended_at__gte=ctx.end - timedelta(days=RECAP_DAYS),
            ended_at__lt=cutoff,
            recap_sent_at__isnull=True,
        )
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"), first=Min("ended_at"), last=Max("pk"))
    )
    for row in rows:
        partnership = by_id[row["partnership_id"]]
        count = row["n"]
        text = (
            "A meeting ended without its recap sent."
            if count == 1
            else f"{count} meetings of the last {RECAP_DAYS} days ended without their recap sent."
        )
        yield Alert(
            "recap_not_sent",
            partnership.pk,
            partnership.name,
            text,
            "Open the meeting and share its recap with everyone who came, so both sides"
            " remember the same decisions.",
            detail(partnership.pk, row["last"]),
            ctx.day(row["first"], partnership),
        )


def _todos(ctx: _Ctx, by_id: dict[int, Partnership]) -> Iterable[Alert]:
    link = _link("todo_list")
    rows = (
        Todo.objects.visible_to(ctx.actor)
        .filter(partnership_id__in=ctx.ids, done_at__isnull=True, due_on__lt=ctx.today)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"), oldest=Min("due_on"))
    )
    for row in rows:
        partnership = by_id[row["partnership_id"]]
        count, oldest = row["n"], row["oldest"]
        yield Alert(
            "todos_overdue",
            partnership.pk,
            partnership.name,
            f"{_plural(count, 'to-do')} overdue, the oldest due {_days((ctx.today - oldest).days)}"
            " ago.",
            "Go through the overdue to-dos with their owners: finish, re-date or drop each one.",
            link(partnership.pk),
            oldest + timedelta(days=1),
        )


def _partner_quiet(ctx: _Ctx) -> Iterable[Alert]:
    link = _link("ask_list")
    quiet = quiet_days_of(p.workspace_id for p in ctx.partnerships)
    seats = {
        row["partnership_id"]: row["first"]
        for row in PartnerAccess.objects.filter(partnership_id__in=ctx.ids)
        .order_by()
        .values("partnership_id")
        .annotate(first=Min("created_at"))
    }
    theirs = PartnerAccess.objects.filter(
        partnership_id=OuterRef("partnership_id"), user_id=OuterRef("actor_id")
    )
    # Twice the longest quiet days is read: enough to say for how long, bounded however
    # long the history is.
    window = 2 * max(quiet.values())
    last = dict(
        ActivityEntry.objects.visible_to(ctx.actor)
        .filter(
            Exists(theirs),
            partnership_id__in=ctx.ids,
            created_at__gte=ctx.end - timedelta(days=window),
            created_at__lt=ctx.end,
        )
        .order_by()
        .values("partnership_id")
        .annotate(last=Max("created_at"))
        .values_list("partnership_id", "last")
    )
    for partnership in ctx.partnerships:
        first = seats.get(partnership.pk)
        if first is None or not meets(partnership):
            continue
        days = quiet[partnership.workspace_id]
        acted = last.get(partnership.pk)
        granted = ctx.day(first, partnership)
        since = ctx.day(acted, partnership) if acted is not None else granted
        silent = (ctx.today - since).days
        if silent < days:
            continue
        name = partnership.name
        if acted is not None:
            text = f"No action by {name}'s people for {_days(silent)}."
        elif silent <= window:
            text = f"Nobody from {name} has acted in Tandem since they got access."
        else:  # they may have, before the window: say no more than is known
            since = ctx.today - timedelta(days=window)
            text = f"No action by {name}'s people for more than {_days(window)}."
        if ctx.actor.is_member(partnership.workspace_id):
            step = f"Reach out to {name}: ask them a question or for an update."
        else:
            step = (
                f"Let {partnership.workspace.name} know where things stand: answer an ask or"
                " add an update."
            )
        yield Alert(
            "partner_quiet",
            partnership.pk,
            name,
            text,
            step,
            link(partnership.pk),
            since + timedelta(days=days),
        )


def _commitments(ctx: _Ctx, by_id: dict[int, Partnership]) -> Iterable[Alert]:
    link = _link("commitment_list")
    visible = Commitment.objects.visible_to(ctx.actor).filter(partnership_id__in=ctx.ids)
    rows = (
        CommitmentReview.objects.filter(
            commitment__in=visible.values("pk"),
            period_start__gte=ctx.today - timedelta(days=LOOK_BACK_DAYS),
            period_start__lte=ctx.today,
        )
        .order_by("commitment_id", "-period_start")
        .values_list(
            "commitment_id",
            "commitment__partnership_id",
            "commitment__description",
            "commitment__side",
            "period_start",
            "kept",
        )
    )
    latest: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for row in rows:
        if len(latest[row[0]]) < 2:
            latest[row[0]].append(row)
    missed: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for reviews in latest.values():
        if len(reviews) == 2 and not reviews[0][5] and not reviews[1][5]:
            missed[reviews[0][1]].append(reviews[0])
    for pk, found in missed.items():
        partnership = by_id[pk]
        found.sort(key=lambda row: (row[4], row[0]), reverse=True)
        _id, _pk, description, side, period, _kept = found[0]
        who = partnership.name if side == PromiseSide.PARTNER else partnership.workspace.name
        text = f"{who} missed “{description}” twice in a row."
        if len(found) > 1:
            text += f" {_plural(len(found) - 1, 'other commitment')} too."
        yield Alert(
            "commitment_missed",
            partnership.pk,
            partnership.name,
            text,
            "Talk it through at the next meeting: change the promise to one that will be kept,"
            " or agree what it takes to keep it.",
            link(pk),
            min(period, ctx.today),
        )


def _deals(ctx: _Ctx, by_id: dict[int, Partnership]) -> Iterable[Alert]:
    link = _link("funnel")
    workspaces = sorted({p.workspace_id for p in ctx.partnerships})
    stall = {
        **dict.fromkeys(workspaces, STALL_DAYS),
        **dict(
            PipelineSettings.objects.filter(workspace_id__in=workspaces).values_list(
                "workspace_id", "stall_days"
            )
        ),
    }
    condition = Q()
    for workspace_id, days in sorted(stall.items()):
        condition |= Q(
            workspace_id=workspace_id, stage_entered_at__lt=ctx.end - timedelta(days=days)
        )
    rows = (
        Opportunity.objects.visible_to(ctx.actor)
        .filter(condition, partnership_id__in=ctx.ids, stage__outcome=Outcome.OPEN)
        .order_by()
        .values("partnership_id")
        .annotate(n=Count("pk"), oldest=Min("stage_entered_at"))
    )
    for row in rows:
        partnership = by_id[row["partnership_id"]]
        days = stall[partnership.workspace_id]
        count, oldest = row["n"], ctx.day(row["oldest"], partnership)
        yield Alert(
            "deal_stalled",
            partnership.pk,
            partnership.name,
            f"{_plural(count, 'open deal')} without a stage change for {_days(days)} or more,"
            f" the longest for {_days((ctx.today - oldest).days)}.",
            "Agree the next step of each stalled deal with its owner: move it on, or close it"
            " as lost.",
            f"{link(partnership.pk)}#stalled",
            oldest + timedelta(days=days),
        )


def _ready(partnership: Partnership | int) -> bool:
    """Whether a partnership object comes with its schedule (or its absence) and workspace
    loaded, so the rules read them without a query each."""
    return (
        isinstance(partnership, Partnership)
        and Partnership.workspace.is_cached(partnership)
        and Partnership.schedule.is_cached(partnership)
    )


def _pk(partnership: Partnership) -> int:
    return int(partnership.pk)


def alerts_of(
    actor: Actor, partnerships: Iterable[Partnership | int], today: date
) -> dict[int, list[Alert]]:
    """The alerts of each partnership ``actor`` may see among ``partnerships`` (objects or
    ids; archived ones have none), as of ``today``, in ``KINDS`` order. Every visible
    partnership is a key, with an empty list when nothing stalls. About ten queries,
    whatever the number of partnerships or the length of their history; objects loaded
    with ``select_related("schedule", "workspace")`` are used as they are (one query less,
    and no second load of a thousand rows)."""
    given = list(partnerships)
    ids = sorted({p if isinstance(p, int) else p.pk for p in given})
    if not ids:
        return {}
    visible = Partnership.objects.visible_to(actor).filter(pk__in=ids).order_by("pk")
    if given and all(_ready(p) for p in given):
        # Loaded by the caller with what the rules read: only the access check is queried.
        seen = set(visible.values_list("pk", flat=True))
        loaded = sorted((p for p in given if isinstance(p, Partnership) and p.pk in seen), key=_pk)
        loaded = list({p.pk: p for p in loaded}.values())
    else:
        loaded = list(visible.select_related("schedule", "workspace"))
    result: dict[int, list[Alert]] = {p.pk: [] for p in loaded}
    current = [p for p in loaded if not p.is_archived]
    if not current:
        return result
    ctx = _Ctx(actor, current, today)
    by_id = {p.pk: p for p in current}
    for found in (
        _meetings(ctx),
        _recaps(ctx, by_id),
        _todos(ctx, by_id),
        _partner_quiet(ctx),
        _commitments(ctx, by_id),
        _deals(ctx, by_id),
    ):
        for alert in found:
            result[alert.partnership_id].append(alert)
    order = {kind: index for index, kind in enumerate(KINDS)}
    for alerts in result.values():
        alerts.sort(key=lambda alert: order[alert.kind])
    return result
