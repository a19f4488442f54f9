"""A large partner program, generated (issue 19): 1,000 partnerships over three years.

    DATABASE_URL=sqlite:////abs/large.sqlite3 .venv/bin/python bench/large.py \\
        --partnerships 1000 --months 36 [--seed 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_bench_large ... (the same)

It starts from an empty database: migrates it and loads the demo data (the lead, Maria,
Pat at Northwind … whom the page bench signs in as), then makes the program ``N``
partnerships in all (the demo's six count): a fifth active, a tenth paused, a twentieth in
due diligence and as many prospects, the rest ended (most of those archived); 60 workspace
members; 1.5 partner-side people per partnership (each with access to theirs). Every
partnership that has been running (active, paused, ended: since the period began, until it
paused or ended; in due diligence: the last weeks) has, week by week:

- 20 weekly measurables with a value for every week it ran;
- to-dos, issues, rocks (by quarter, with milestones), meetings (the weekly pulse, the
  quarterly meeting, now and then another) with attendees, ratings, headlines and a recap;
- value exchange entries and opportunities moving through the pipeline's stages;
- the activity log all of that implies (created, completed, solved, moved, ended, a value
  entered …), by the member or partner-side person who did it;

at rates set so that a program of 1,000 over 36 months holds the issue's totals: per
partnership 500 to-dos, 100 issues, 50 rocks and 150 meetings, and 1,000,000 ledger entries
and 200,000 opportunities in all. Smaller programs and shorter periods have the same shape
per partnership-week (``--partnerships 10``, ``--months 3``). Then the derived data the
pages read: weekly health snapshots (both views), each partnership's data version (its
number of recorded changes), today's standings (health and alerts: the hourly task's work),
the program funnel's tallies, the planner's statistics (``tandem.core.maintenance.analyze``).

Rows go straight to their tables, with ids handed out here so rows can name each other
before they are written: COPY on PostgreSQL, executemany on SQLite; indexes stay in place.
The same arguments and seed give the same rows, dated relative to the day of the build.
Each build's timings and row counts go to bench/results-large.json and .md (``--report``).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection, models, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402

import generate  # noqa: E402  (sets Django up)
from generate import (  # noqa: E402
    CURRENCIES,
    FIRST,
    MEMBER_DOMAIN,
    PEOPLE,
    SECOND,
    SURNAMES,
    TOPICS,
    company_names,
    deal_path,
    health_scores,
)
from tandem.accounts.models import Membership, PartnerAccess, User, Workspace  # noqa: E402
from tandem.core.access import Role, Visibility  # noqa: E402
from tandem.core.maintenance import analyze  # noqa: E402
from tandem.core.models import ActivityEntry  # noqa: E402
from tandem.evaluation.alerts import standing  # noqa: E402
from tandem.evaluation.health.models import HealthSnapshot, View  # noqa: E402
from tandem.exchange.ledger import selectors as ledger_selectors  # noqa: E402
from tandem.exchange.ledger.models import Confirmation, Direction  # noqa: E402
from tandem.exchange.ledger.models import Entry as LedgerEntry  # noqa: E402
from tandem.exchange.pipeline import services as pipeline  # noqa: E402
from tandem.exchange.pipeline import tallies  # noqa: E402
from tandem.exchange.pipeline.models import Attribution, Opportunity, Outcome  # noqa: E402
from tandem.exchange.pipeline.models import StageChange as DealMove  # noqa: E402
from tandem.issues.models import Issue  # noqa: E402
from tandem.meetings.models import (  # noqa: E402
    Attendee,
    Headline,
    HeadlineKind,
    Kind,
    Meeting,
    Schedule,
    default_timeboxes,
)
from tandem.meetings.recap import search_text  # noqa: E402
from tandem.partners.models import Cadence, Horizon, Partnership, Stage, StageChange  # noqa: E402
from tandem.partners.models import Kind as PartnershipKind  # noqa: E402
from tandem.scorecard.models import Entry, Measurable, Unit, period_label  # noqa: E402
from tandem.traction.models import Milestone, Rock, RockStatus, Todo, quarter_end  # noqa: E402

BENCH = Path(__file__).resolve().parent
WORKSPACE = generate.WORKSPACE
MEMBERS = 60  # in the workspace, the demo's among them
PARTNER_PEOPLE_EACH = 1.5  # partner-side people per partnership (1,500 in 1,000)
# The program's stages, as shares of its partnerships (ended: the rest, most archived).
MIX = {Stage.ACTIVE: 0.20, Stage.PAUSED: 0.10, Stage.DILIGENCE: 0.05, Stage.PROSPECT: 0.05}
ARCHIVED_SHARE = 0.85  # of the ended ones
MEASURABLES = 20  # weekly, per partnership that runs
# Per partnership in three years (the issue's figures), or in all for a program of 1,000.
PER_PARTNERSHIP = {"todos": 500, "issues": 100, "rocks": 50, "meetings": 150}
IN_ALL = {"ledger": 1_000_000, "deals": 200_000}
ISSUE_SIZE = 1000  # partnerships in the program the issue's totals are for
THREE_YEARS = 156  # weeks
FLUSH = 20_000  # rows kept per table before they are written
REPORT = BENCH / "results-large"


def utcnow() -> datetime:
    """Now, naive in UTC (how the rows' datetimes are handed to both databases: SQLite
    keeps naive UTC text, PostgreSQL's session time zone is UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


# --- writing rows ---------------------------------------------------------------------------
REQUIRED = object()


class Tables:
    """Rows written straight to their tables, a batch at a time: COPY on PostgreSQL,
    executemany on SQLite. Ids are handed out here, so a row can name another before either
    is written; foreign keys are checked when the phase's transaction commits (Django makes
    them deferrable on both databases)."""

    def __init__(self) -> None:
        self.specs: dict[type[models.Model], tuple[list[str], list[Any], list[int], int]] = {}
        self.rows: dict[type[models.Model], list[tuple]] = defaultdict(list)
        self.ids: dict[type[models.Model], int] = {}
        self.written: Counter[str] = Counter()

    def spec(self, model: type[models.Model]) -> tuple[list[str], list[Any], list[int], int]:
        """(attnames, defaults, the positions of JSON columns, the id's position) of
        ``model``'s columns."""
        if model not in self.specs:
            names, defaults, json_at = [], [], []
            for position, field in enumerate(model._meta.concrete_fields):
                names.append(field.attname)
                if isinstance(field, models.JSONField):
                    json_at.append(position)
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    default = REQUIRED
                elif field.has_default():
                    default = field.get_default()
                    if isinstance(default, datetime):
                        default = default.astimezone(UTC).replace(tzinfo=None)
                elif field.null:
                    default = None
                elif field.empty_strings_allowed and not field.is_relation:
                    default = ""
                else:
                    default = REQUIRED
                defaults.append(default)
            self.specs[model] = (names, defaults, json_at, names.index(model._meta.pk.attname))
        return self.specs[model]

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self.ids:
            self.ids[model] = model._default_manager.aggregate(top=Max("pk"))["top"] or 0
        self.ids[model] += 1
        return self.ids[model]

    def add(self, model: type[models.Model], **values: Any) -> int:
        """Queue one row (its id handed out unless given); returns its id."""
        names, defaults, json_at, id_at = self.spec(model)
        if "id" not in values:
            values["id"] = self.next_id(model)
        row = [values.pop(name, default) for name, default in zip(names, defaults, strict=True)]
        if values:
            raise TypeError(f"{model.__name__} has no column(s) {sorted(values)}")
        if REQUIRED in row:
            missing = [name for name, value in zip(names, row, strict=True) if value is REQUIRED]
            raise TypeError(f"{model.__name__} needs {missing}")
        for position in json_at:
            if not isinstance(row[position], str):
                row[position] = json.dumps(row[position])
        rows = self.rows[model]
        rows.append(tuple(row))
        if len(rows) >= FLUSH:
            self.flush(model)
        return row[id_at]

    def flush(self, model: type[models.Model] | None = None) -> None:
        for each in [model] if model else list(self.rows):
            rows = self.rows[each]
            if not rows:
                continue
            table = each._meta.db_table
            columns = [field.column for field in each._meta.concrete_fields]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            connection.ensure_connection()
            raw = connection.connection
            if connection.vendor == "postgresql":
                with (
                    raw.cursor() as cursor,
                    cursor.copy(
                        f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN"
                    ) as copy,
                ):
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                raw.executemany(
                    f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES ({marks})",  # noqa: S608
                    rows,
                )
            self.written[each._meta.label] += len(rows)
            rows.clear()

    def finish(self) -> None:
        """Write what is left and, on PostgreSQL, move the id sequences past the ids used."""
        self.flush()
        if connection.vendor == "postgresql" and self.ids:
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), list(self.ids)):
                    cursor.execute(sql)


# --- the program --------------------------------------------------------------------------
def draw(rng: random.Random, rate: float) -> int:
    """How many this time, ``rate`` on average."""
    whole = int(rate)
    return whole + (1 if rng.random() < rate - whole else 0)


class Program:
    def __init__(
        self, partnerships: int, months: int, seed: int, tables: Tables, until: date
    ) -> None:
        self.rng = random.Random(seed)
        self.size = partnerships
        self.tables = tables
        # History ends at midnight (UTC) of ``until``, the build day by default: the same
        # arguments give the same rows.
        self.now = min(datetime.combine(until, clock()), utcnow() - timedelta(minutes=10))
        self.start = self.now - timedelta(days=round(months * 30.44))
        self.weeks = (self.now - self.start).days / 7
        self.workspace = Workspace.objects.get(slug=WORKSPACE)
        self.ws = self.workspace.pk
        self.activity: Counter[int] = Counter()  # entries written per partnership
        self.names: dict[int, str] = {}  # people's names, for the recaps
        self.timings: dict[str, float] = {}

    # --- helpers ------------------------------------------------------------------------
    def when(self, start: datetime, days: float) -> datetime:
        moment = start + timedelta(seconds=self.rng.uniform(0, days * 86400))
        return min(moment, self.now - timedelta(minutes=5))

    def log(
        self,
        partnership: int,
        actor: int | None,
        moment: datetime,
        verb: str,
        model: type[models.Model],
        target: int,
        label: str,
        visibility: str,
        changes: dict[str, list[str]] | None = None,
    ) -> None:
        self.tables.add(
            ActivityEntry,
            workspace_id=self.ws,
            partnership_id=partnership,
            visibility=visibility,
            actor_id=actor,
            verb=verb,
            target_type=str(model._meta.verbose_name),
            target_model=model._meta.label_lower,
            target_id=target,
            target_label=label[:200],
            changes=changes or {},
            created_at=moment,
        )
        self.activity[partnership] += 1

    def shared(self, share: float) -> str:
        return Visibility.SHARED if self.rng.random() < share else Visibility.INTERNAL

    def person(self, p: dict[str, Any], visibility: str, partner_share: float = 0.3) -> int:
        """Someone on either side of partnership ``p`` (partner-side people only on shared
        items: they never see internal ones)."""
        if visibility == Visibility.SHARED and p["people"] and self.rng.random() < partner_share:
            return self.rng.choice(p["people"])
        return self.rng.choice(self.members)

    @contextlib.contextmanager
    def phase(self, name: str) -> Iterator[None]:
        """One transaction, timed: its rows are written (and their foreign keys checked) by
        its end."""
        started = time.monotonic()
        with transaction.atomic():
            yield
            self.tables.flush()
        self.timings[name] = round(time.monotonic() - started, 1)
        print(f"  {name}: {self.timings[name]:.1f}s", flush=True)

    # --- people -------------------------------------------------------------------------
    def people(self) -> None:
        existing = list(
            Membership.objects.filter(workspace=self.workspace).values_list("user_id", flat=True)
        )
        made = []
        for n in range(max(0, MEMBERS - len(existing))):
            name = f"{self.rng.choice(PEOPLE)} {self.rng.choice(SURNAMES)}"
            pk = self.tables.add(
                User,
                email=f"member{n}@{MEMBER_DOMAIN}",
                name=name,
                password="!bench",  # unusable: nobody signs in as these people
                is_superuser=False,
                is_staff=False,
                is_active=True,
                date_joined=self.start - timedelta(weeks=30),
            )
            made.append(pk)
            self.names[pk] = name
            self.tables.add(
                Membership,
                workspace_id=self.ws,
                user_id=pk,
                role=Role.MEMBER,
                level=self.rng.choice(["ic", "ic", "manager"]),
                capacity_hours=Decimal(self.rng.choice(["6", "8", "10", "16"])),
                created_at=self.start - timedelta(weeks=30),
                updated_at=self.start - timedelta(weeks=30),
            )
        self.members = sorted(existing) + made
        self.names.update(User.objects.filter(pk__in=existing).values_list("pk", "name"))

    def partner_people(self, plans: list[dict[str, Any]]) -> None:
        """1.5 partner-side people per partnership, dealt round the partnerships in turn."""
        lead = User.objects.get(email="lead@acme.example").pk
        have = Counter(PartnerAccess.objects.values_list("partnership_id", flat=True))
        by_pk = {p["pk"]: p for p in plans}
        for pk, user in PartnerAccess.objects.order_by("pk").values_list(
            "partnership_id", "user_id"
        ):
            if pk in by_pk:
                by_pk[pk]["people"].append(user)
        self.names.update(
            User.objects.filter(partner_accesses__isnull=False).values_list("pk", "name")
        )
        wanted = round(PARTNER_PEOPLE_EACH * self.size) - sum(have.values())
        for n in range(max(0, wanted)):
            p = plans[n % len(plans)]
            joined = min(max(p["created"], self.start), self.now)  # the demo's: made today
            name = f"{self.rng.choice(PEOPLE)} {self.rng.choice(SURNAMES)}"
            user = self.tables.add(
                User,
                email=f"partner{n}@{MEMBER_DOMAIN}",
                name=name,
                password="!bench",
                is_superuser=False,
                is_staff=False,
                is_active=True,
                date_joined=joined,
            )
            self.tables.add(
                PartnerAccess,
                partnership_id=p["pk"],
                user_id=user,
                invited_by_id=lead,
                created_at=joined,
            )
            p["people"].append(user)
            self.names[user] = name

    # --- partnerships -------------------------------------------------------------------
    def stages(self, demo: list[str]) -> list[str]:
        """The stage of each new partnership: the mix, less what the demo already holds."""
        counts = {stage: round(share * self.size) for stage, share in MIX.items()}
        counts[Stage.ENDED] = self.size - sum(counts.values())
        for stage in demo:
            counts[stage] = counts.get(stage, 0) - 1
        stages = [stage for stage, count in counts.items() for _ in range(max(0, count))]
        while len(stages) + len(demo) > self.size:
            stages.remove(Stage.ENDED)
        self.rng.shuffle(stages)
        return stages

    def window(self, stage: str, created: datetime) -> tuple[datetime | None, datetime | None]:
        """The weeks a partnership ran: since the period began (or its diligence) until it
        paused or ended, or now."""
        span = self.now - self.start
        if stage == Stage.PROSPECT:
            return None, None
        if stage == Stage.DILIGENCE:
            return max(created, self.start), self.now
        if stage == Stage.PAUSED:
            return self.start, self.start + span * self.rng.uniform(0.7, 0.95)
        if stage == Stage.ENDED:
            return self.start, self.start + span * self.rng.uniform(0.4, 1.0)
        return self.start, self.now

    def partnerships(self) -> list[dict[str, Any]]:
        """The demo's partnerships and the new ones, each with the weeks it ran."""
        plans: list[dict[str, Any]] = []
        names = company_names(self.rng)
        taken = set(Partnership.objects.values_list("name", flat=True))
        demo = list(
            Partnership.objects.filter(workspace=self.workspace)
            .order_by("pk")
            .values("pk", "name", "stage", "owner_id", "created_at")
        )
        for row in demo:
            run_from, run_to = self.window(row["stage"], self.now - timedelta(weeks=6))
            plans.append(
                {
                    "pk": row["pk"],
                    "name": row["name"],
                    "owner": row["owner_id"] or self.members[0],
                    "created": row["created_at"].astimezone(UTC).replace(tzinfo=None),
                    "from": run_from,
                    "to": run_to,
                    "people": [],
                    "demo": True,
                }
            )
        for stage in self.stages([row["stage"] for row in demo]):
            name = next(names)
            while name in taken:
                name = next(names)
            if stage in (Stage.PROSPECT, Stage.DILIGENCE):
                created = self.now - timedelta(weeks=self.rng.uniform(1, 12))
            else:
                created = self.start - timedelta(weeks=self.rng.uniform(6, 30))
            run_from, run_to = self.window(stage, created)
            path = [("", Stage.PROSPECT, created)]
            if stage != Stage.PROSPECT:
                path.append((Stage.PROSPECT, Stage.DILIGENCE, self.when(created, 20)))
            if stage not in (Stage.PROSPECT, Stage.DILIGENCE):
                path.append((Stage.DILIGENCE, Stage.ACTIVE, self.when(path[-1][2], 40)))
                if stage in (Stage.PAUSED, Stage.ENDED):
                    path.append((Stage.ACTIVE, stage, run_to))
            path.sort(key=lambda step: step[2])
            archived = None
            if stage == Stage.ENDED and self.rng.random() < ARCHIVED_SHARE:
                archived = min(path[-1][2] + timedelta(weeks=2), self.now - timedelta(days=1))
            horizon = self.rng.choice(Horizon.values)
            owner = self.rng.choice(self.members)
            pk = self.tables.add(
                Partnership,
                workspace_id=self.ws,
                name=name,
                summary=f"{self.rng.choice(TOPICS)} partnership started {created:%B %Y}.",
                website="",
                kind=self.rng.choice(PartnershipKind.values),
                horizon=horizon,
                stage=stage,
                owner_id=owner,
                sponsor_id=self.rng.choice(self.members) if horizon == Horizon.STRATEGIC else None,
                cadence=Cadence.WEEKLY,
                hours_per_week=Decimal(self.rng.choice(["1.0", "2.0", "4.0", "6.0"])),
                archived_at=archived,
                created_by_id=self.members[0],
                version=len(path) + (1 if archived else 0),
                created_at=created,
                updated_at=archived or path[-1][2],
            )
            for from_stage, to_stage, moment in path:
                self.tables.add(
                    StageChange,
                    partnership_id=pk,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    changed_by_id=owner,
                    changed_at=moment,
                )
                self.log(
                    pk,
                    owner,
                    moment,
                    "created" if not from_stage else "updated",
                    Partnership,
                    pk,
                    name,
                    Visibility.INTERNAL,
                    {"stage": [from_stage, to_stage]},
                )
            plans.append(
                {
                    "pk": pk,
                    "name": name,
                    "owner": owner,
                    "created": created,
                    "from": run_from,
                    "to": run_to,
                    "people": [],
                    "demo": False,
                }
            )
        self.tables.flush(Partnership)
        return plans

    def schedules(self, plans: list[dict[str, Any]]) -> None:
        """Every partnership that runs meets weekly; where the demo set a schedule, the
        generated meetings stop the week before it starts (its own meetings follow)."""
        existing = dict(Schedule.objects.values_list("partnership_id", "starts_on"))
        for p in plans:
            if p["from"] is None:
                continue
            if p["pk"] in existing:
                starts = existing[p["pk"]]
                p["meetings_until"] = datetime.combine(starts, clock()) - timedelta(days=1)
                continue
            weekday, hour = self.rng.randint(0, 4), self.rng.randint(9, 16)
            p["weekday"], p["hour"] = weekday, hour
            self.tables.add(
                Schedule,
                partnership_id=p["pk"],
                weekday=weekday,
                time=f"{hour:02d}:00:00",  # text: SQLite's driver takes no time objects
                timezone="UTC",
                starts_on=p["from"].date(),
                quarterly=True,
                version=1,
                created_at=p["from"],
                updated_at=p["from"],
            )

    # --- rates --------------------------------------------------------------------------
    def rates(self, plans: list[dict[str, Any]]) -> dict[str, float]:
        """Per week a partnership runs: so that 1,000 partnerships over three years hold the
        issue's figures, whatever share of the period each one ran."""
        running = sum((p["to"] - p["from"]).days / 7 for p in plans if p["from"] is not None)
        scale = self.size * self.weeks / THREE_YEARS / max(running, 1)
        rates = {key: count * scale for key, count in PER_PARTNERSHIP.items()}
        rates.update({key: count / ISSUE_SIZE * scale for key, count in IN_ALL.items()})
        rates["rocks"] *= 13  # per quarter
        return rates

    # --- one partnership's history --------------------------------------------------------
    def history(self, p: dict[str, Any], rates: dict[str, float], context: dict[str, Any]) -> None:
        rng, add, pk = self.rng, self.tables.add, p["pk"]
        measurables = self.measurables(p, context)
        ranks = context["ranks"]
        deals_shared: list[int] = []
        week = p["from"]
        n = 0
        due_next: list[tuple[int, datetime | None, str, str, date, int]] = []  # last week's to-dos
        while week < p["to"]:
            n += 1
            monday = (week - timedelta(days=week.weekday())).date()
            # Scorecard: a value for every measurable, entered in the days after the week.
            for m in measurables:
                if (m["pk"], monday) in context["taken"]:
                    continue
                entered = self.when(week + timedelta(days=7), 2)
                if entered >= self.now - timedelta(minutes=10):
                    continue
                value = Decimal(rng.randint(0, m["top"]))
                add(
                    Entry,
                    measurable_id=m["pk"],
                    period_start=monday,
                    value=value,
                    updated_by_id=m["owner"],
                    version=1,
                    created_at=entered,
                    updated_at=entered,
                )
                self.log(
                    pk,
                    m["owner"],
                    entered,
                    "entered a value of",
                    Measurable,
                    m["pk"],
                    m["title"],
                    m["visibility"],
                    {f"week of {period_label(monday, 'weekly')} {monday.year}": ["—", str(value)]},
                )
            # To-dos: due in a week; nine in ten done by then or soon after.
            todos: list[tuple[int, datetime | None, str, str, date, int]] = []
            for _ in range(draw(rng, rates["todos"])):
                created = self.when(week, 5)
                visibility = self.shared(0.8)
                owner = self.person(p, visibility)
                by = self.person(p, visibility)
                due = (created + timedelta(days=7)).date()
                done_at = None
                late = rng.random()
                if due < self.now.date() and late < 0.93:
                    done_at = self.when(created + timedelta(days=2 if late < 0.85 else 8), 5)
                title = f"{rng.choice(TOPICS)}: follow up, week {n}"
                todo = add(
                    Todo,
                    workspace_id=self.ws,
                    partnership_id=pk,
                    visibility=visibility,
                    created_by_id=by,
                    owner_id=owner,
                    title=title,
                    due_on=due,
                    done_at=done_at,
                    version=2 if done_at else 1,
                    created_at=created,
                    updated_at=done_at or created,
                )
                self.log(pk, by, created, "created", Todo, todo, title, visibility)
                if done_at:
                    self.log(pk, owner, done_at, "completed", Todo, todo, title, visibility)
                todos.append((todo, done_at, visibility, title, due, owner))
            # Issues: most solved within weeks (a decision kept), recent ones still open.
            solved_now: list[dict[str, Any]] = []
            for _ in range(draw(rng, rates["issues"])):
                term = "long" if rng.random() < 0.25 else "short"
                created = self.when(week, 5)
                open_ = (self.now - week).days < 21 or rng.random() < (
                    0.1 if term == "long" else 0.02
                )
                solved_at = None if open_ else self.when(created, 21)
                rank = 0
                if open_:
                    rank = ranks[(pk, term)] = ranks[(pk, term)] + 1
                visibility = self.shared(0.8)
                owner, by = self.person(p, visibility), self.person(p, visibility)
                solver = self.rng.choice(self.members)
                title = f"{rng.choice(TOPICS)}: blocked, week {n}"
                decision = f"Next step for {rng.choice(TOPICS).lower()}." if solved_at else ""
                issue = add(
                    Issue,
                    workspace_id=self.ws,
                    partnership_id=pk,
                    visibility=visibility,
                    created_by_id=by,
                    owner_id=owner,
                    title=title,
                    term=term,
                    rank=rank,
                    solved_at=solved_at,
                    solved_by_id=solver if solved_at else None,
                    decision=decision,
                    version=2 if solved_at else 1,
                    created_at=created,
                    updated_at=solved_at or created,
                )
                self.log(pk, by, created, "created", Issue, issue, title, visibility)
                if solved_at:
                    self.log(
                        pk, solver, solved_at, "solved", Issue, issue, title, visibility,
                        {"decision": ["", decision]},
                    )  # fmt: skip
                    solved_now.append(
                        {"title": title, "decision": decision, "shared": visibility == "shared",
                         "ref": f"issues.issue:{issue}"}
                    )  # fmt: skip
            # Rocks: set at the start of each quarter, with two milestones each.
            if n == 1 or (monday.month in (1, 4, 7, 10) and monday.day <= 7):
                self.rocks(p, monday, rates["rocks"])
            # Meetings: the weekly pulse (the quarterly meeting at a quarter's end), now and
            # then another; attendees from both sides, rated, with a recap.
            until = p.get("meetings_until", self.now - timedelta(hours=3))
            for extra in range(draw(rng, rates["meetings"])):
                day = datetime.combine(monday, clock(p.get("hour", 10))) + timedelta(
                    days=p.get("weekday", 1) + 2 * extra
                )
                if day >= until or day >= p["to"]:
                    break
                quarterly = extra == 0 and monday.month % 3 == 0 and monday.day > 21
                self.meeting(p, day, quarterly, due_next, todos, solved_now)
            # Value exchange and pipeline.
            for _ in range(draw(rng, rates["deals"])):
                self.deal(p, self.when(week, 7), context, deals_shared)
            for _ in range(draw(rng, rates["ledger"])):
                self.ledger(p, self.when(week, 7), context, deals_shared)
            due_next = todos
            week += timedelta(weeks=1)

    def measurables(self, p: dict[str, Any], context: dict[str, Any]) -> list[dict[str, Any]]:
        have = [
            {"pk": m.pk, "owner": m.owner_id or p["owner"], "title": m.title,
             "visibility": m.visibility, "top": 100 if m.unit == Unit.PERCENT else 40}
            for m in context["measurables"].get(p["pk"], [])
        ]  # fmt: skip
        for position in range(len(have), MEASURABLES):
            visibility = self.shared(0.7)
            unit = self.rng.choice([Unit.NUMBER, Unit.NUMBER, Unit.CURRENCY, Unit.PERCENT])
            goal = self.rng.choice([2, 5, 10, 40])
            title = f"{self.rng.choice(TOPICS)} #{position + 1}"
            owner = self.person(p, visibility)
            pk = self.tables.add(
                Measurable,
                workspace_id=self.ws,
                partnership_id=p["pk"],
                visibility=visibility,
                created_by_id=owner,
                title=title,
                owner_id=owner,
                unit=unit,
                aggregate="average" if unit == Unit.PERCENT else "total",
                goal=Decimal(goal),
                position=100 + position,
                version=1,
                created_at=p["from"],
                updated_at=p["from"],
            )
            self.log(p["pk"], owner, p["from"], "created", Measurable, pk, title, visibility)
            have.append(
                {"pk": pk, "owner": owner, "title": title, "visibility": visibility,
                 "top": 100 if unit == Unit.PERCENT else goal * 2}
            )  # fmt: skip
        return have

    def rocks(self, p: dict[str, Any], monday: date, rate: float) -> None:
        rng, pk = self.rng, p["pk"]
        year, quarter = monday.year, (monday.month - 1) // 3 + 1
        due = quarter_end(year, quarter)
        over = due < self.now.date()
        set_on = datetime.combine(monday, clock(9))
        for _ in range(draw(rng, rate)):
            visibility = self.shared(0.8)
            owner = self.person(p, visibility)
            roll = rng.random()
            if over:
                status = (
                    RockStatus.DONE if roll < 0.75
                    else RockStatus.DROPPED if roll < 0.85
                    else RockStatus.OFF_TRACK
                )  # fmt: skip
            else:
                status = RockStatus.ON_TRACK if roll < 0.75 else RockStatus.OFF_TRACK
            title = f"{rng.choice(TOPICS)}: Q{quarter} rock"
            changed = min(datetime.combine(due, clock(16)), self.now - timedelta(hours=1))
            rock = self.tables.add(
                Rock,
                workspace_id=self.ws,
                partnership_id=pk,
                visibility=visibility,
                created_by_id=owner,
                title=title,
                owner_id=owner,
                year=year,
                quarter=quarter,
                due_on=due,
                status=status,
                version=1 if status == RockStatus.ON_TRACK else 2,
                created_at=set_on,
                updated_at=set_on if status == RockStatus.ON_TRACK else changed,
            )
            self.log(pk, owner, set_on, "created", Rock, rock, title, visibility)
            if status != RockStatus.ON_TRACK:
                self.log(
                    pk, owner, changed, "updated", Rock, rock, title, visibility,
                    {"status": ["On track", RockStatus(status).label]},
                )  # fmt: skip
            for step in (1, 2):
                on = monday + timedelta(weeks=5 * step)
                self.tables.add(
                    Milestone,
                    rock_id=rock,
                    title=f"Milestone {step}: {rng.choice(TOPICS).lower()}",
                    due_on=min(on, due),
                    done_at=(
                        datetime.combine(on, clock(15))
                        if on < self.now.date() and status == RockStatus.DONE
                        else None
                    ),
                )

    def meeting(
        self,
        p: dict[str, Any],
        started: datetime,
        quarterly: bool,
        due: list[tuple[int, datetime | None, str, str, date, int]],
        new_todos: list[tuple[int, datetime | None, str, str, date, int]],
        solved: list[dict[str, Any]],
    ) -> None:
        rng, pk = self.rng, p["pk"]
        kind = Kind.QUARTERLY if quarterly else Kind.PULSE
        ended = started + timedelta(minutes=rng.randint(55, 95) * (3 if quarterly else 1))
        facilitator = p["owner"]
        people = [(facilitator, "member")]
        people += [(user, "partner") for user in p["people"][:2]]
        if rng.random() < 0.4:
            other = rng.choice(self.members)
            if other != facilitator:
                people.append((other, "member"))
        ratings = [(user, side, rng.randint(6, 10) if rng.random() < 0.9 else None)
                   for user, side in people]  # fmt: skip
        rated = [rating for _, _, rating in ratings if rating]
        average = (
            (Decimal(sum(rated)) / len(rated)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
            if rated
            else None
        )
        meeting = self.tables.next_id(Meeting)
        headlines = []
        for _ in range(rng.choice([0, 1, 1, 2])):
            who, side = rng.choice(people)
            visibility = Visibility.SHARED if side == "partner" else self.shared(0.85)
            text = f"{rng.choice(TOPICS)} went well for {rng.choice(FIRST)} {rng.choice(SECOND)}"
            kind_of = rng.choice(HeadlineKind.values)
            headline = self.tables.add(
                Headline,
                workspace_id=self.ws,
                partnership_id=pk,
                visibility=visibility,
                created_by_id=who,
                meeting_id=meeting,
                kind=kind_of,
                text=text,
                version=1,
                created_at=started + timedelta(minutes=3),
                updated_at=started + timedelta(minutes=3),
            )
            self.log(pk, who, started + timedelta(minutes=3), "created", Headline, headline,
                     text, visibility)  # fmt: skip
            headlines.append(
                {"kind": HeadlineKind(kind_of).label, "text": text, "by": self.names.get(who, ""),
                 "shared": visibility == "shared", "ref": f"meetings.headline:{headline}"}
            )  # fmt: skip
        done = [todo for todo in due if todo[1] is not None and todo[1] <= started]
        shared_due = [todo for todo in due if todo[2] == "shared"]
        shared_done = [todo for todo in done if todo[2] == "shared"]
        recap = {
            "kind": kind,
            "kind_label": Kind(kind).label,
            "partnership": p["name"],
            "started_at": started.replace(tzinfo=UTC).isoformat(),
            "ended_at": ended.replace(tzinfo=UTC).isoformat(),
            "minutes": round((ended - started).total_seconds() / 60),
            "todos": [
                {"title": title, "owner": self.names.get(owner, ""), "due_on": day.isoformat(),
                 "shared": v == "shared", "ref": f"traction.todo:{todo}"}
                for todo, _, v, title, day, owner in new_todos
            ],
            "solved": solved, "carried": [], "rocks": [], "next_rocks": [], "misses": [],
            "headlines": headlines,
            "ratings": [{"name": self.names.get(user, ""), "side": side, "rating": rating,
                         "absent": False} for user, side, rating in ratings],
            "rating_average": str(average) if average else "",
            "completion": {"all": [len(done), len(due)],
                           "shared": [len(shared_done), len(shared_due)]},
            "next_meeting": (started + timedelta(weeks=1)).replace(tzinfo=UTC).isoformat(),
            "next_meeting_zone": "UTC",
            "pipeline": None,
        }  # fmt: skip
        self.tables.add(
            Meeting,
            id=meeting,
            workspace_id=self.ws,
            partnership_id=pk,
            visibility=Visibility.SHARED,
            created_by_id=facilitator,
            kind=kind,
            scheduled_for=started,
            started_at=started,
            ended_at=ended,
            facilitator_id=facilitator,
            timeboxes=[list(pair) for pair in default_timeboxes(kind)],
            section="conclusion",
            elapsed={},
            running_since=None,
            recap=recap,
            recap_text=search_text(recap),
            recap_text_shared=search_text(recap, partner_side=True),
            recap_sent_at=ended,
            rating_average=average,
            version=8,
            created_at=started,
            updated_at=ended,
        )
        for user, side, rating in ratings:
            self.tables.add(
                Attendee,
                meeting_id=meeting,
                user_id=user,
                side=side,
                joined_at=started,
                rating=rating,
                absent=False,
            )
        label = f"{Kind(kind).label} of {started:%d %b %Y}"
        self.log(pk, facilitator, ended, "ended", Meeting, meeting, label, Visibility.SHARED)

    def deal(
        self, p: dict[str, Any], created: datetime, context: dict[str, Any], shared: list[int]
    ) -> None:
        rng, pk = self.rng, p["pk"]
        steps = deal_path(rng, context["path"], context["won"], context["lost"], created, self.now)
        stage = steps[-1][1]
        visibility = self.shared(0.85)
        owner = self.person(p, visibility)
        name = f"{rng.choice(FIRST)} {rng.choice(SECOND)} {self.tables.ids.get(Opportunity, 0)}"
        key = f"{name.lower().replace(' ', '-')}.example"
        deal = self.tables.add(
            Opportunity,
            workspace_id=self.ws,
            partnership_id=pk,
            visibility=visibility,
            created_by_id=owner,
            account_name=name,
            account_domain=key,
            account_key=key,
            attribution=rng.choice(Attribution.values),
            stage_id=stage.pk,
            amount=Decimal(rng.randrange(5, 400) * 1000),
            currency=rng.choice(CURRENCIES),
            expected_close=(created + timedelta(days=rng.randint(30, 180))).date(),
            owner_id=owner,
            next_step="Send the proposal" if not stage.is_closed else "",
            lost_reason="Went with a competitor" if stage == context["lost"] else "",
            stage_entered_at=steps[-1][2],
            closed_on=steps[-1][2].date() if stage.is_closed else None,
            version=len(steps),
            created_at=created,
            updated_at=steps[-1][2],
        )
        self.log(pk, owner, created, "created", Opportunity, deal, name, visibility)
        for before, after, moment in steps:
            mover = self.person(p, visibility)
            self.tables.add(
                DealMove,
                opportunity_id=deal,
                workspace_id=self.ws,
                from_stage_id=before.pk if before else None,
                to_stage_id=after.pk,
                changed_at=moment,
                changed_by_id=mover,
            )
            if before is not None:
                self.log(pk, mover, moment, "moved", Opportunity, deal, name, visibility,
                         {"stage": [before.name, after.name]})  # fmt: skip
        if visibility == Visibility.SHARED:
            shared.append(deal)

    def ledger(
        self, p: dict[str, Any], moment: datetime, context: dict[str, Any], deals: list[int]
    ) -> None:
        rng, pk = self.rng, p["pk"]
        side = Direction.OURS if rng.random() < 0.6 or not p["people"] else Direction.PARTNER
        visibility = self.shared(0.85) if side == Direction.OURS else Visibility.SHARED
        answered = rng.random()
        confirmation = (
            Confirmation.PENDING if visibility == Visibility.INTERNAL
            else Confirmation.CONFIRMED if answered < 0.6
            else Confirmation.DISPUTED if answered < 0.65
            else Confirmation.PENDING
        )  # fmt: skip
        amount = Decimal(rng.randrange(100, 50_000)) if rng.random() < 0.8 else None
        by = rng.choice(self.members) if side == Direction.OURS else rng.choice(p["people"])
        title = f"{rng.choice(TOPICS)} for {rng.choice(FIRST)}"
        entry = self.tables.add(
            LedgerEntry,
            workspace_id=self.ws,
            partnership_id=pk,
            visibility=visibility,
            created_by_id=by,
            kind_id=rng.choice(context["kinds"]),
            direction=rng.choice(Direction.values),
            occurred_on=moment.date(),
            title=title,
            amount=amount,
            currency=rng.choice(CURRENCIES) if amount is not None else "",
            estimated=rng.random() < 0.3,
            owner_id=self.person(p, visibility),
            opportunity_id=(
                rng.choice(deals)
                if deals and visibility == Visibility.SHARED and rng.random() < 0.2
                else None
            ),
            logged_by_side=side,
            confirmation=confirmation,
            version=1 if confirmation == Confirmation.PENDING else 2,
            created_at=moment,
            updated_at=moment,
        )
        self.log(pk, by, moment, "created", LedgerEntry, entry, title, visibility)

    # --- derived data --------------------------------------------------------------------
    def snapshots(self, plans: list[dict[str, Any]]) -> None:
        """Weekly health snapshots in both views, as the weekly task leaves them."""
        this_monday = (self.now - timedelta(days=self.now.weekday())).date()
        have = set(HealthSnapshot.objects.values_list("partnership_id", "week", "view"))
        for p in plans:
            first = max(min(p["created"], p["from"] or p["created"]), self.start).date()
            for week, score in health_scores(self.rng, first, this_monday):
                for view in (View.ALL, View.SHARED):
                    if (p["pk"], week, view) not in have:
                        self.tables.add(
                            HealthSnapshot,
                            partnership_id=p["pk"],
                            week=week,
                            view=view,
                            score=score,
                            parts=[],
                            taken_at=datetime.combine(week, clock(6)),
                        )

    def versions(self) -> None:
        """Each partnership's data version moves on with every recorded change in it, the
        workspace's with every change in the workspace."""
        with connection.cursor() as cursor:
            for pk, count in sorted(self.activity.items()):
                cursor.execute(
                    f"UPDATE {Partnership._meta.db_table} SET data_version = data_version + %s"  # noqa: S608
                    " WHERE id = %s",
                    [count, pk],
                )
        Workspace.objects.filter(pk=self.ws).update(
            data_version=models.F("data_version") + sum(self.activity.values())
        )

    # --- the whole build ------------------------------------------------------------------
    def run(self) -> None:
        with self.phase("people and partnerships"):
            self.people()
            plans = self.partnerships()
            self.partner_people(plans)
            self.schedules(plans)
        rates = self.rates(plans)
        print(f"  rates per partnership-week: {rates}", flush=True)
        stages = [s for s in pipeline.stages_of(self.ws) if not s.archived]
        context = {
            "taken": set(Entry.objects.values_list("measurable_id", "period_start")),
            "measurables": defaultdict(list),
            "ranks": Counter(
                {
                    (pk, term): rank
                    for pk, term, rank in Issue.objects.filter(solved_at__isnull=True)
                    .values("partnership_id", "term")
                    .annotate(top=Max("rank"))
                    .values_list("partnership_id", "term", "top")
                }
            ),
            "kinds": [kind.pk for kind in ledger_selectors.kinds_for(self.ws, archived=False)],
            "path": [s for s in stages if s.outcome == Outcome.OPEN],
            "won": next(s for s in stages if s.outcome == Outcome.WON),
            "lost": next(s for s in stages if s.outcome == Outcome.LOST),
        }
        for m in Measurable.objects.filter(
            frequency="weekly", formula="", source="manual", partnership__isnull=False
        ):
            context["measurables"][m.partnership_id].append(m)
        running = [p for p in plans if p["from"] is not None]
        for start in range(0, len(running), 50):
            with self.phase(f"history {start + 1}-{min(start + 50, len(running))}"):
                for p in running[start : start + 50]:
                    self.history(p, rates, context)
        with self.phase("health snapshots"):
            self.snapshots(plans)
        with self.phase("data versions"):
            self.tables.finish()
            self.versions()
        started = time.monotonic()
        today = datetime.now(UTC).date()
        current = Partnership.objects.filter(workspace_id=self.ws, archived_at__isnull=True)
        with transaction.atomic():
            stored = standing.refresh(self.ws, current.values_list("pk", flat=True), today)
        self.timings["standings"] = round(time.monotonic() - started, 1)
        print(f"  standings ({stored}): {self.timings['standings']:.1f}s", flush=True)
        started = time.monotonic()
        counted = tallies.refresh(self.ws, Partnership.objects.filter(workspace_id=self.ws)
                                  .values_list("pk", flat=True))  # fmt: skip
        self.timings["tallies"] = round(time.monotonic() - started, 1)
        print(f"  funnel tallies ({counted}): {self.timings['tallies']:.1f}s", flush=True)
        started = time.monotonic()
        analyze(sorted({model._meta.db_table for model in self.tables.ids} | table_names()))
        self.timings["analyze"] = round(time.monotonic() - started, 1)
        print(f"  analyze: {self.timings['analyze']:.1f}s", flush=True)


def table_names() -> set[str]:
    return {
        Partnership._meta.db_table,
        ActivityEntry._meta.db_table,
        HealthSnapshot._meta.db_table,
        StageChange._meta.db_table,
    }


def row_counts() -> dict[str, int]:
    from django.apps import apps

    counts = {}
    for model in apps.get_models():
        if model._meta.app_label in {"auth", "contenttypes", "sessions", "admin"}:
            continue
        count = model._default_manager.count()
        if count:
            counts[model._meta.label] = count
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def database_size() -> int | None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
        else:
            cursor.execute(
                "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()"
            )
        return int(cursor.fetchone()[0])


# --- the report ---------------------------------------------------------------------------
def write_report(entry: dict[str, Any], stem: Path) -> None:
    """Keep one entry per (database, partnerships, months) in the JSON; rewrite the table."""
    path = stem.with_suffix(".json")
    report = json.loads(path.read_text()) if path.exists() else {"builds": []}
    key = (entry["database"], entry["partnerships"], entry["months"])
    report["builds"] = [
        b for b in report["builds"] if (b["database"], b["partnerships"], b["months"]) != key
    ] + [entry]
    report["builds"].sort(key=lambda b: (b["partnerships"], b["months"], b["database"]))
    path.write_text(json.dumps(report, indent=2) + "\n")
    lines = [
        "# A large program, generated (issue 19)",
        "",
        "`bench/large.py` on an empty database: migrate, the demo data, then the program."
        " Times in seconds; written by the script (`--report`). Each build and probe ran on"
        " a 2-core machine shared with other work: times vary from run to run (in-process page"
        " times by up to half), query counts do not.",
        "",
        "| database | partnerships | months | migrate + demo | program | standings | analyze"
        " | total | rows | size |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for b in report["builds"]:
        t = b["timings"]
        lines.append(
            f"| {b['database']} | {b['partnerships']:,} | {b['months']} | {t['setup']:.0f}"
            f" | {t['program']:.0f} | {t['standings']:.0f} | {t['analyze']:.0f}"
            f" | **{t['total']:.0f}** ({t['total'] / 60:.1f} min) | {sum(b['rows'].values()):,}"
            f" | {(b['bytes'] or 0) / 2**20:,.0f} MiB |"
        )
    names = {name for b in report["builds"] for name in b["rows"]}
    tables = sorted(names, key=lambda name: -max(b["rows"].get(name, 0) for b in report["builds"]))
    heads = [f"{b['database']} {b['partnerships']}×{b['months']}" for b in report["builds"]]
    lines += ["", "Rows per table:", "", "| table | " + " | ".join(heads) + " |",
              "|---|" + "---:|" * len(heads)]  # fmt: skip
    for name in tables:
        cells = " | ".join(f"{b['rows'].get(name, 0):,}" for b in report["builds"])
        lines.append(f"| {name} | {cells} |")
    probed = [b for b in report["builds"] if b.get("pages")]
    if probed:
        heads = [f"{b['database']} {b['partnerships']}×{b['months']}" for b in probed]
        lines += [
            "",
            "Each page of `bench/pages.py` rendered in process (`--probe`: bench/probe.py, DEBUG"
            " off, the median of 20 renders after a warm-up), as queries · ms; ✗ marks a page"
            " that did not render (not 200 or without its expected text):",
            "",
            "| page | " + " | ".join(heads) + " |",
            "|---|" + "---:|" * len(heads),
        ]
        for name in probed[0]["pages"]:
            cells = []
            for b in probed:
                page = b["pages"].get(name)
                if page is None:
                    cells.append("")
                else:
                    mark = "" if page["ok"] else f" ✗ {page['status']}"
                    cells.append(f"{page['queries']} · {page['in_process_ms']:.1f}{mark}")
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Machine: " + report["builds"][-1]["machine"], ""]
    stem.with_suffix(".md").write_text("\n".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--partnerships", type=int, default=1000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--until",
        type=date.fromisoformat,
        default=datetime.now(UTC).date(),
        help="the history ends at midnight (UTC) starting this day (default: today)",
    )
    parser.add_argument(
        "--report",
        type=Path,
        default=REPORT,
        help="write timings and row counts to REPORT.json and .md (default bench/results-large)",
    )
    parser.add_argument("--no-report", action="store_true")
    parser.add_argument(
        "--probe",
        action="store_true",
        help="then render every page of bench/pages.py in process (bench/probe.py) and report"
        " each one's status, queries and time",
    )
    parser.add_argument(
        "--probe-only",
        action="store_true",
        help="only probe the pages of a program built before with these arguments",
    )
    args = parser.parse_args()
    if args.probe_only:
        path = args.report.with_suffix(".json")
        builds = json.loads(path.read_text())["builds"] if path.exists() else []
        key = (connection.vendor, args.partnerships, args.months)
        found = [b for b in builds if (b["database"], b["partnerships"], b["months"]) == key]
        if not found:
            raise SystemExit(f"No build of {key} in {path}: build it first.")
        write_report({**found[0], **probe()}, args.report)
        return
    begun = time.monotonic()
    if connection.introspection.table_names():
        if (
            Workspace.objects.filter(slug=WORKSPACE).exists()
            and User.objects.filter(email__endswith=f"@{MEMBER_DOMAIN}").exists()
        ):
            raise SystemExit("This database already holds a generated program; use a fresh one.")
    print(f"Migrating and loading the demo data ({connection.vendor})", flush=True)
    call_command("migrate", verbosity=0, interactive=False)
    if not Workspace.objects.filter(slug=WORKSPACE).exists():
        call_command("load_demo", verbosity=0, stdout=io.StringIO())
    setup = time.monotonic() - begun
    print(f"  setup: {setup:.1f}s", flush=True)
    if connection.vendor == "sqlite":
        # A page cache of 1 GiB for this connection (the default is 2 MiB): the indexes of
        # tables of millions of rows are written all over, and would be read back from
        # the file again and again.
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size=-{2**20}")
    tables = Tables()
    program = Program(args.partnerships, args.months, args.seed, tables, args.until)
    started = time.monotonic()
    program.run()
    total = time.monotonic() - begun
    timings = {
        "setup": round(setup, 1),
        "program": round(time.monotonic() - started - program.timings["standings"]
                         - program.timings["tallies"] - program.timings["analyze"], 1),
        **program.timings,
        "total": round(total, 1),
    }  # fmt: skip
    print(f"Built {args.partnerships} partnerships × {args.months} months in {total:.0f}s")
    if args.no_report:
        return
    entry = {
        "database": connection.vendor,
        "partnerships": args.partnerships,
        "months": args.months,
        "seed": args.seed,
        "until": args.until.isoformat(),
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "timings": timings,
        "rows": row_counts(),
        "bytes": database_size(),
        "written": dict(tables.written),
        "machine": f"{platform.node()} · {platform.python_version()} · {platform.platform()}",
    }
    write_report({**entry, **(probe() if args.probe else {})}, args.report)


def probe() -> dict[str, Any]:
    """Every page of the page bench, in process (bench/probe.py, with production settings:
    DEBUG off), on this database: status, queries and the median of 20 renders."""
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or "large-program-probe-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SECURE_COOKIES": "0",
        "SECURE_HSTS_SECONDS": "0",
        "AXES_ENABLED": "0",
        "LOG_LEVEL": "WARNING",
    }
    print("Probing the pages (bench/probe.py)", flush=True)
    out = subprocess.run(
        [sys.executable, str(BENCH / "probe.py")],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    found = json.loads(out.stdout)
    pages = {
        name: {key: page[key] for key in ("path", "status", "ok", "queries", "in_process_ms")}
        for name, page in found["pages"].items()
    }
    bad = [name for name, page in pages.items() if not page["ok"]]
    print(f"  {len(pages) - len(bad)} of {len(pages)} pages render; not: {bad or 'none'}")
    return {
        "probed_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "probe_size": found["size"],
        "pages": pages,
    }


if __name__ == "__main__":
    main()
