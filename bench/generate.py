"""Add months or years of history to a database that holds the demo data.

A partner program that has run for a while: more members, a new partnership every ten days
or so (some of which end and are archived), and for every partnership, every week, notes,
activity, now and then a new contact and a stage change, spread over the whole period.
Rows are written with bulk_create and back-dated, so three years take seconds.

    DATABASE_URL=sqlite:////abs/bench.sqlite3 python bench/generate.py --months 36
    ... python bench/generate.py --months 3 --partnerships 1000   # a program of 1,000

``--partnerships N`` makes the program hold N partnerships in all (archived ones count): the
new ones are spread over the period as usual, only more of them. Every partnership also gets
its weekly health snapshots (both views), as the weekly task would have left them.

Run it once per database: a second run refuses (the bench builds each data set afresh).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import os
import random
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")

import django  # noqa: E402

django.setup()

from django.db import models, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from tandem.accounts.models import Membership, PartnerAccess, User, Workspace  # noqa: E402
from tandem.core.access import Role, Visibility  # noqa: E402
from tandem.core.maintenance import analyze  # noqa: E402
from tandem.core.markdown import render as render_markdown  # noqa: E402
from tandem.core.models import ActivityEntry  # noqa: E402
from tandem.exchange.ledger import selectors as ledger_selectors  # noqa: E402
from tandem.exchange.ledger import services as ledger  # noqa: E402
from tandem.exchange.ledger.models import Confirmation, Direction  # noqa: E402
from tandem.exchange.ledger.models import Entry as LedgerEntry  # noqa: E402
from tandem.exchange.pipeline import services as pipeline  # noqa: E402
from tandem.exchange.pipeline.models import Attribution, Opportunity, Outcome  # noqa: E402
from tandem.exchange.pipeline.models import StageChange as DealMove  # noqa: E402
from tandem.ideas.models import Idea, IdeaStatus  # noqa: E402
from tandem.issues.models import Issue  # noqa: E402
from tandem.partners.models import (  # noqa: E402
    Cadence,
    Contact,
    Horizon,
    Kind,
    Note,
    Partnership,
    Stage,
    StageChange,
)
from tandem.relationship.asks.models import Ask, AskStatus  # noqa: E402
from tandem.relationship.checkins.models import CheckIn, CheckInKind  # noqa: E402
from tandem.relationship.diligence.models import Assessment, Criterion, Score, weighted_percent  # noqa: E402
from tandem.scorecard.models import Entry, Measurable, period_of, shift  # noqa: E402
from tandem.traction.models import Todo  # noqa: E402

WORKSPACE = "acme-analytics"
MEMBER_DOMAIN = "bench.example"
EXTRA_MEMBERS = 12
NEW_PARTNERSHIPS_PER_MONTH = 3
ACTIVITY_PER_WEEK = (6, 14)  # per partnership, on top of the notes' own entries
NOTES_PER_WEEK = (1, 3)
TODOS_PER_WEEK = (2, 5)
CONTACT_EVERY_WEEKS = 8
IDEAS_PER_WEEK = (0, 2)  # per partnership; those older than IDEAS_OPEN_FOR are closed
IDEAS_OPEN_FOR = timedelta(weeks=8)
IDEAS_COMMITTED = 3  # the default commit limit
BATCH = 500
ASKS_PER_WEEK = (0, 2)  # per partnership, from either side; most answered within days
EVENT_CHANCE = 0.04  # a conference or dinner in a given week
SCORECARD_MEASURABLES = 20  # Northwind's weekly measurables, with values for every week
LEDGER_PER_WEEK = 32  # Northwind's value exchange entries: ~5,000 in 3 years
DEALS_PER_WEEK = 6.4  # Northwind's opportunities: ~1,000 in 3 years
CURRENCIES = ["USD", "USD", "USD", "EUR", "GBP"]

FIRST = "Blue Red Green Silver Iron North South East West Bright Clear Swift Bold True Prime"
SECOND = "Harbor River Summit Valley Forge Bridge Field Stone Peak Grove Point Bay Ridge Lake"
THIRD = "Systems Labs Partners Group Digital Consulting Networks Media Cloud Works Analytics"
TOPICS = [
    "Pipeline review",
    "Joint webinar",
    "Quarterly review",
    "Lead hand-off",
    "Pricing question",
    "Co-marketing plan",
    "Certification",
    "Integration status",
    "Referral follow-up",
    "Exec check-in",
]
PEOPLE = "Alex Sam Jo Kim Lee Max Noa Ari Robin Kai Sasha Toni Mika Rene Chris Dana".split()
SURNAMES = "Berg Costa Dahl Evans Fischer Garcia Hansen Ito Jensen Kowalski Lund Moreau".split()
JOB_TITLES = ["Channel manager", "VP Sales", "Marketing lead", "CTO", "Account executive", ""]


@contextlib.contextmanager
def backdating(*model_classes: type[models.Model]) -> Iterator[None]:
    """Let explicit created_at / updated_at values through (auto_now would overwrite them)."""
    saved = []
    for model in model_classes:
        for field in model._meta.concrete_fields:
            if isinstance(field, models.DateTimeField) and (field.auto_now or field.auto_now_add):
                saved.append((field, field.auto_now, field.auto_now_add))
                field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


class History:
    def __init__(self, months: int, seed: int, partnerships: int = 0) -> None:
        self.rng = random.Random(seed)
        self.partnerships = partnerships
        self.now = timezone.now()
        self.start = self.now - timedelta(days=round(months * 30.44))
        self.months = months
        self.workspace = Workspace.objects.get(slug=WORKSPACE)
        self.activity: list[ActivityEntry] = []
        self.notes: list[Note] = []
        self.contacts: list[Contact] = []
        self.stage_changes: list[StageChange] = []
        self.todos: list[Todo] = []
        self.issues: list[Issue] = []
        self.issue_ranks: dict[tuple[int, str], int] = {}
        self.ideas: list[Idea] = []
        self.asks: list[Ask] = []
        self.checkins: list[CheckIn] = []
        self.idea_places: dict[tuple[int, str], int] = {}
        self.idea_committed: dict[int, int] = {}
        self.names = self._company_names()

    def _company_names(self) -> Iterator[str]:
        return company_names(self.rng)

    def when(self, start: datetime, days: float) -> datetime:
        moment = start + timedelta(seconds=self.rng.uniform(0, days * 86400))
        return min(moment, self.now - timedelta(minutes=5))

    # --- people ---------------------------------------------------------------------------
    def members(self) -> list[User]:
        users = User.objects.bulk_create(
            User(
                email=f"member{n}@{MEMBER_DOMAIN}",
                name=f"{self.rng.choice(PEOPLE)} {self.rng.choice(SURNAMES)}",
                password="!bench",  # unusable: nobody signs in as these people
                date_joined=self.start,
            )
            for n in range(EXTRA_MEMBERS)
        )
        Membership.objects.bulk_create(
            Membership(
                workspace=self.workspace,
                user=user,
                role=Role.MEMBER,
                created_at=self.start,
                updated_at=self.start,
            )
            for user in users
        )
        return list(User.objects.filter(memberships__workspace=self.workspace))

    # --- partnerships ---------------------------------------------------------------------
    def new_partnerships(self, members: list[User]) -> list[tuple[Partnership, list[tuple]]]:
        """New partnerships across the period, each with the stage path it went through."""
        count = max(1, round(self.months * NEW_PARTNERSHIPS_PER_MONTH))
        if self.partnerships:
            existing = Partnership.objects.filter(workspace=self.workspace).count()
            count = max(count, self.partnerships - existing)
        span = (self.now - self.start).total_seconds()
        made = []
        for n in range(count):
            created = self.start + timedelta(seconds=span * n / count)
            horizon = self.rng.choice(Horizon.values)
            partnership = Partnership(
                workspace=self.workspace,
                name=next(self.names),
                summary=f"{self.rng.choice(TOPICS)} partnership started {created:%B %Y}.",
                website="",
                kind=self.rng.choice(Kind.values),
                horizon=horizon,
                owner=self.rng.choice(members),
                sponsor=self.rng.choice(members) if horizon == Horizon.STRATEGIC else None,
                cadence=self.rng.choice(Cadence.values),
                hours_per_week=Decimal(self.rng.choice(["0.5", "1.0", "2.0", "4.0", "6.0"])),
                created_by=members[0],
                created_at=created,
            )
            path = self.stage_path(created)
            partnership.stage = path[-1][1]
            partnership.version = len(path)
            partnership.updated_at = path[-1][2]
            if partnership.stage == Stage.ENDED and self.now - path[-1][2] > timedelta(weeks=4):
                partnership.archived_at = path[-1][2] + timedelta(weeks=2)
                partnership.version += 1
            made.append((partnership, path))
        Partnership.objects.bulk_create([partnership for partnership, _ in made])
        return made

    def stage_path(self, created: datetime) -> list[tuple[str, str, datetime]]:
        """(from, to, when) from prospect on: diligence, active, now and then a pause, an end."""
        path = [("", Stage.PROSPECT, created)]
        moment = created
        for to_stage, weeks in ((Stage.DILIGENCE, (2, 6)), (Stage.ACTIVE, (3, 10))):
            moment += timedelta(weeks=self.rng.uniform(*weeks))
            if moment >= self.now:
                return path
            path.append((path[-1][1], to_stage, moment))
        while True:
            moment += timedelta(weeks=self.rng.uniform(8, 30))
            if moment >= self.now:
                return path
            current = path[-1][1]
            if current == Stage.PAUSED:
                to_stage = Stage.ACTIVE if self.rng.random() < 0.6 else Stage.ENDED
            else:
                to_stage = Stage.PAUSED if self.rng.random() < 0.6 else Stage.ENDED
            path.append((current, to_stage, moment))
            if to_stage == Stage.ENDED:
                return path

    def partner_people(self, partnerships: list[Partnership], lead: User) -> None:
        """A partner-side person in every third partnership."""
        chosen = partnerships[::3]
        users = User.objects.bulk_create(
            User(
                email=f"partner{n}@{MEMBER_DOMAIN}",
                name=f"{self.rng.choice(PEOPLE)} {self.rng.choice(SURNAMES)}",
                password="!bench",
                date_joined=partnership.created_at,
            )
            for n, partnership in enumerate(chosen)
        )
        PartnerAccess.objects.bulk_create(
            PartnerAccess(
                partnership=partnership,
                user=user,
                invited_by=lead,
                created_at=partnership.created_at,
            )
            for partnership, user in zip(chosen, users, strict=True)
        )

    def seats(self, partnerships: list[Partnership], members: list[User]) -> None:
        """Two to five seats per partnership on both sides (some still empty), and each
        member's level and weekly capacity for partnerships."""
        from tandem.accounts.models import Level
        from tandem.relationship.people.models import Seat, Side

        ours = ["Marketing lead", "Sales lead", "Solutions engineer", "Deal desk"]
        theirs = ["Partner champion", "Partner executive", "Partner marketing lead"]
        rows = []
        for partnership in partnerships:
            for side, roles in ((Side.OURS, ours), (Side.PARTNER, theirs)):
                for position, role in enumerate(self.rng.sample(roles, self.rng.randint(1, 2))):
                    rows.append(
                        Seat(
                            workspace_id=self.workspace.pk,
                            partnership=partnership,
                            side=side,
                            role=role,
                            accountability=f"{role} for {partnership.name}.",
                            user=self.rng.choice(members)
                            if side == Side.OURS and self.rng.random() < 0.8
                            else None,
                            position=position + 1,
                            visibility=Visibility.INTERNAL
                            if self.rng.random() < 0.2
                            else Visibility.SHARED,
                            created_at=partnership.created_at,
                            updated_at=partnership.created_at,
                        )
                    )
        with backdating(Seat):
            Seat.objects.bulk_create(rows, batch_size=BATCH)
        generated = list(
            Membership.objects.filter(
                workspace=self.workspace, user__email__endswith=f"@{MEMBER_DOMAIN}"
            )
        )
        for membership in generated:
            membership.level = self.rng.choice([Level.INDIVIDUAL, Level.INDIVIDUAL, Level.MANAGER])
            membership.capacity_hours = Decimal(self.rng.choice(["6", "8", "10", "16"]))
        Membership.objects.bulk_update(generated, ["level", "capacity_hours"])

    # --- the weekly history of one partnership --------------------------------------------
    def entry(self, partnership: Partnership, actor: User, moment: datetime, **values: Any) -> None:
        self.activity.append(
            ActivityEntry(
                workspace_id=self.workspace.pk,
                partnership_id=partnership.pk,
                actor=actor,
                created_at=moment,
                **values,
            )
        )

    def history(
        self, partnership: Partnership, path: list[tuple], members: list[User], since: datetime
    ) -> None:
        for from_stage, to_stage, moment in path:
            self.stage_changes.append(
                StageChange(
                    partnership=partnership,
                    from_stage=from_stage,
                    to_stage=to_stage,
                    changed_by=partnership.owner,
                    changed_at=moment,
                )
            )
            self.entry(
                partnership,
                partnership.owner or members[0],
                moment,
                visibility=Visibility.INTERNAL,
                verb="created" if not from_stage else "updated",
                target_type="partnership",
                target_id=partnership.pk,
                target_label=partnership.name,
                changes={"stage": [from_stage, to_stage]},
            )
        end = partnership.archived_at or self.now
        week = since
        number = 0
        while week < end:
            number += 1
            self.week(partnership, members, week, number)
            week += timedelta(weeks=1)

    def week(self, partnership: Partnership, members: list[User], week: datetime, n: int) -> None:
        rng = self.rng
        for _ in range(rng.randint(*TODOS_PER_WEEK)):
            due = (week + timedelta(days=7)).date()
            late = rng.random()
            done_at = None
            if due < self.now.date() and late < 0.93:
                done_at = week + timedelta(days=7 if late < 0.85 else 9, hours=rng.randint(1, 8))
            self.todos.append(
                Todo(
                    workspace_id=self.workspace.pk,
                    partnership=partnership,
                    visibility=Visibility.SHARED if rng.random() < 0.8 else Visibility.INTERNAL,
                    created_by=rng.choice(members),
                    owner=rng.choice(members),
                    title=f"{rng.choice(TOPICS)}: follow up, week {n}",
                    due_on=due,
                    done_at=done_at,
                    created_at=week,
                    updated_at=done_at or week,
                )
            )
        self.week_ideas(partnership, members, week, n)
        self.week_issues(partnership, members, week, n)
        self.week_relationship(partnership, members, week, n)
        for _ in range(rng.randint(*NOTES_PER_WEEK)):
            topic = rng.choice(TOPICS)
            created = self.when(week, 7)
            note = Note(
                workspace_id=self.workspace.pk,
                partnership=partnership,
                visibility=Visibility.SHARED if rng.random() < 0.6 else Visibility.INTERNAL,
                created_by=rng.choice(members),
                title=f"{topic}, week {n}",
                body=(body := note_body(rng, topic)),
                body_html=render_markdown(body),
                created_at=created,
                updated_at=self.when(created, 3),
            )
            self.notes.append(note)
        if rng.random() < 1 / CONTACT_EVERY_WEEKS:
            first, last = rng.choice(PEOPLE), rng.choice(SURNAMES)
            self.contacts.append(
                Contact(
                    workspace_id=self.workspace.pk,
                    partnership=partnership,
                    visibility=Visibility.SHARED if rng.random() < 0.8 else Visibility.INTERNAL,
                    created_by=rng.choice(members),
                    name=f"{first} {last}",
                    email=f"{first}.{last}{n}@partner.example".lower(),
                    title=rng.choice(JOB_TITLES),
                    created_at=self.when(week, 7),
                    updated_at=self.when(week, 7),
                )
            )
        for _ in range(rng.randint(*ACTIVITY_PER_WEEK)):
            shared = rng.random() < 0.6
            kind = rng.choice(["note", "note", "partner contact", "partnership"])
            changes: dict[str, list[str]] = {}
            if kind == "partnership":
                shared = False
                changes = {"hours per week": ["2.0", rng.choice(["1.0", "3.0", "4.0"])]}
            elif rng.random() < 0.5:
                changes = {"title": [rng.choice(TOPICS), rng.choice(TOPICS)]}
            self.entry(
                partnership,
                rng.choice(members),
                self.when(week, 7),
                visibility=Visibility.SHARED if shared else Visibility.INTERNAL,
                verb=rng.choice(["created", "updated", "updated", "deleted"]),
                target_type=kind,
                target_id=rng.randint(1, 10**6),
                target_label=partnership.name if kind == "partnership" else rng.choice(TOPICS),
                changes=changes,
            )

    def week_issues(
        self, partnership: Partnership, members: list[User], week: datetime, n: int
    ) -> None:
        """Issues raised this week. Most are solved within a few weeks (a decision, kept in
        the solved list); the last weeks' and a few long-term ones are still open, ranked."""
        rng = self.rng
        for _ in range(rng.randint(1, 3)):
            term = "long" if rng.random() < 0.25 else "short"
            age = (self.now - week).days
            open_ = age < 21 or rng.random() < (0.1 if term == "long" else 0.02)
            solved_at = None if open_ else self.when(week, 21)
            rank = 0
            if open_:
                key = (partnership.pk, term)
                rank = self.issue_ranks[key] = self.issue_ranks.get(key, 0) + 1
            self.issues.append(
                Issue(
                    workspace_id=self.workspace.pk,
                    partnership=partnership,
                    visibility=Visibility.SHARED if rng.random() < 0.8 else Visibility.INTERNAL,
                    created_by=rng.choice(members),
                    owner=rng.choice(members),
                    title=f"{rng.choice(TOPICS)}: blocked, week {n}",
                    term=term,
                    rank=rank,
                    solved_at=solved_at,
                    solved_by=rng.choice(members) if solved_at else None,
                    decision=f"Next step for {rng.choice(TOPICS).lower()}." if solved_at else "",
                    created_at=week,
                    updated_at=solved_at or week,
                )
            )

    def week_relationship(
        self, partnership: Partnership, members: list[User], week: datetime, n: int
    ) -> None:
        """Asks both ways (answered in hours to days, a few declined or withdrawn, the last
        weeks' still open), a monthly check-in every fourth week, a quarterly every
        thirteenth, and now and then an event."""
        rng = self.rng
        for _ in range(rng.randint(*ASKS_PER_WEEK)):
            side = rng.choice(["ours", "partner"])
            asked_at = self.when(week, 7)
            roll = rng.random()
            answered_at = asked_at + timedelta(hours=rng.uniform(1, 240))
            if answered_at > self.now - timedelta(minutes=5) or roll < 0.05:
                status, answered_at = AskStatus.OPEN, None
            elif roll < 0.12:
                status = AskStatus.DECLINED
            elif roll < 0.16:
                status, answered_at = AskStatus.WITHDRAWN, None
            else:
                status = AskStatus.ANSWERED
            responded = status in (AskStatus.ANSWERED, AskStatus.DECLINED)
            self.asks.append(
                Ask(
                    workspace_id=self.workspace.pk,
                    partnership=partnership,
                    side=side,
                    visibility=Visibility.SHARED if rng.random() < 0.9 else Visibility.INTERNAL,
                    created_by=rng.choice(members) if side == "ours" else None,
                    owner=rng.choice(members) if side == "partner" else None,
                    title=f"{rng.choice(TOPICS)}: could you help, week {n}?",
                    needed_by=(asked_at + timedelta(days=rng.randint(3, 21))).date(),
                    status=status,
                    answer=f"Yes — {rng.choice(TOPICS).lower()} sorted." if responded else "",
                    answered_by=rng.choice(members) if responded else None,
                    asked_at=asked_at,
                    answered_at=answered_at,
                    version=1 if status == AskStatus.OPEN else 2,
                    created_at=asked_at,
                    updated_at=answered_at or asked_at,
                )
            )
        kinds = []
        if n % 4 == 0:
            kinds.append((CheckInKind.MONTHLY, f"Monthly check-in, week {n}"))
        if n % 13 == 0:
            kinds.append((CheckInKind.QUARTERLY, f"Quarterly business review, week {n}"))
        if rng.random() < EVENT_CHANCE:
            kinds.append((CheckInKind.EVENT, f"{rng.choice(TOPICS)} dinner, week {n}"))
        for kind, title in kinds:
            held = self.when(week, 5)
            self.checkins.append(
                CheckIn(
                    workspace_id=self.workspace.pk,
                    partnership=partnership,
                    kind=kind,
                    title=title,
                    held_on=held.date(),
                    participants=", ".join(rng.sample(PEOPLE, 3)),
                    notes=f"{rng.choice(TOPICS)} and {rng.choice(TOPICS).lower()}.",
                    visibility=Visibility.SHARED if rng.random() < 0.85 else Visibility.INTERNAL,
                    created_by=rng.choice(members),
                    created_at=held,
                    updated_at=held,
                )
            )

    def week_ideas(
        self, partnership: Partnership, members: list[User], week: datetime, n: int
    ) -> None:
        """Ideas captured this week. Old ones were done or became a to-do (most of them);
        recent ones wait in the backlog, in priority order, a few of them committed."""
        rng = self.rng
        for _ in range(rng.randint(*IDEAS_PER_WEEK)):
            horizon = rng.choice(Horizon.values)
            created = self.when(week, 7)
            idea = Idea(
                workspace_id=self.workspace.pk,
                partnership=partnership,
                visibility=Visibility.SHARED if rng.random() < 0.8 else Visibility.INTERNAL,
                created_by=rng.choice(members),
                owner=rng.choice(members),
                title=f"{rng.choice(TOPICS)}: idea from week {n}",
                horizon=horizon,
                created_at=created,
                updated_at=created,
            )
            if self.now - week > IDEAS_OPEN_FOR:
                idea.closed_at = self.when(week, 28)
                idea.updated_at = idea.closed_at
                idea.version = 2
                this_week = self.todos[-1] if self.todos else None
                if this_week is not None and rng.random() < 0.7:
                    idea.status = IdeaStatus.CONVERTED
                    idea.todo = this_week
                else:
                    idea.status = IdeaStatus.DONE
            else:
                idea.position = self.idea_place(partnership, horizon)
                committed = self.idea_committed.setdefault(
                    partnership.pk, self.committed_in(partnership)
                )
                if committed < IDEAS_COMMITTED and rng.random() < 0.3:
                    idea.status = IdeaStatus.COMMITTED
                    idea.committed_at = self.when(week, 3)
                    idea.version = 2
                    self.idea_committed[partnership.pk] += 1
            self.ideas.append(idea)

    def idea_place(self, partnership: Partnership, horizon: str) -> int:
        """The next place at the bottom of a group (after any the demo already has)."""
        key = (partnership.pk, horizon)
        if key not in self.idea_places:
            last = (
                Idea.objects.filter(partnership=partnership, horizon=horizon)
                .order_by("-position")
                .values_list("position", flat=True)
                .first()
            )
            self.idea_places[key] = 0 if last is None else last + 1
        self.idea_places[key] += 1
        return self.idea_places[key] - 1

    @staticmethod
    def committed_in(partnership: Partnership) -> int:
        return Idea.objects.filter(partnership=partnership, status=IdeaStatus.COMMITTED).count()

    def flush(self) -> None:
        for model, rows in (
            (ActivityEntry, self.activity),
            (Note, self.notes),
            (Contact, self.contacts),
            (StageChange, self.stage_changes),
            (Todo, self.todos),
            (Issue, self.issues),
            (Idea, self.ideas),  # after the to-dos they link to
            (Ask, self.asks),
            (CheckIn, self.checkins),
        ):
            model.objects.bulk_create(rows, batch_size=BATCH)
            rows.clear()

    def run(self) -> None:
        lead = User.objects.get(email="lead@acme.example")
        members = self.members()
        made = self.new_partnerships(members)
        self.partner_people([partnership for partnership, _ in made], lead)
        self.seats([partnership for partnership, _ in made], members)
        # The demo's partnerships get history from the start of the period; their stage
        # path is the one the demo recorded (dated now), so they only add weekly work.
        existing = Partnership.objects.filter(workspace=self.workspace).exclude(
            pk__in=[partnership.pk for partnership, _ in made]
        )
        for partnership in existing:
            self.history(partnership, [], members, self.start)
        self.flush()
        for partnership, path in made:
            self.history(partnership, path, members, partnership.created_at)
            if len(self.activity) > 20 * BATCH:
                self.flush()
        self.flush()
        with backdating(Assessment):
            self.diligence(made)
        self.scorecard(members)
        self.relationship(members)
        self.way(members)
        with backdating(LedgerEntry, Opportunity):
            self.exchange(members)
        self.health_snapshots()
        # What the worker's hourly statistics task would have done by now (SQLite's planner).
        analyze()

    def health_snapshots(self) -> None:
        """A snapshot per partnership per week since it was created, in both views, as the
        weekly task leaves them: a score that drifts, now and then none (too little data)."""
        from tandem.evaluation.health.models import HealthSnapshot, View

        this_monday = (self.now - timedelta(days=self.now.weekday())).date()
        rows: list[HealthSnapshot] = []
        for pk, created in Partnership.objects.filter(workspace=self.workspace).values_list(
            "pk", "created_at"
        ):
            for week, shown in health_scores(
                self.rng, max(created, self.start).date(), this_monday
            ):
                for view, value in ((View.ALL, shown), (View.SHARED, shown)):
                    rows.append(
                        HealthSnapshot(partnership_id=pk, week=week, view=view, score=value)
                    )
            if len(rows) > 20 * BATCH:
                HealthSnapshot.objects.filter(
                    partnership_id__in={row.partnership_id for row in rows}
                ).delete()
                HealthSnapshot.objects.bulk_create(rows, batch_size=BATCH)
                rows.clear()
        HealthSnapshot.objects.filter(
            partnership_id__in={row.partnership_id for row in rows}
        ).delete()
        HealthSnapshot.objects.bulk_create(rows, batch_size=BATCH)

    def diligence(self, made: list[tuple[Partnership, list[tuple]]]) -> None:
        """An assessment for every partnership that reached due diligence, on the demo's
        criteria: scored with evidence and, for those that went on to active, a go the day
        before; those still in due diligence have one open, partly scored."""
        criteria = list(Criterion.objects.filter(workspace=self.workspace).current())
        if not criteria:
            return
        assessments, rows = [], []
        for partnership, path in made:
            reached = [moment for _, to, moment in path if to == Stage.DILIGENCE]
            if not reached:
                continue
            active = [moment for _, to, moment in path if to == Stage.ACTIVE]
            decided = active[0] - timedelta(days=1) if active else None
            scores = [
                Score(
                    criterion=criterion,
                    name=criterion.name,
                    guidance=criterion.guidance,
                    weight=criterion.weight,
                    position=n,
                    score=self.rng.randint(3 if decided else 1, 5),
                    evidence=f"{self.rng.choice(TOPICS)}: checked with {self.rng.choice(PEOPLE)}.",
                )
                for n, criterion in enumerate(criteria, start=1)
            ]
            if decided is None:
                for score in scores:
                    if self.rng.random() < 0.4:
                        score.score, score.evidence = None, ""
            owner = partnership.owner
            assessments.append(
                Assessment(
                    workspace=self.workspace,
                    partnership=partnership,
                    visibility=Visibility.INTERNAL,
                    created_by=owner,
                    created_at=reached[0],
                    updated_at=decided or reached[0],
                    decision="go" if decided else "",
                    rationale="Evidence checked on every criterion." if decided else "",
                    decided_by=owner if decided else None,
                    decided_at=decided,
                    score_percent=weighted_percent(scores),
                    version=3 if decided else 2,
                )
            )
            rows.append(scores)
        Assessment.objects.bulk_create(assessments, batch_size=BATCH)
        for assessment, scores in zip(assessments, rows, strict=True):
            for score in scores:
                score.assessment = assessment
        Score.objects.bulk_create([s for scores in rows for s in scores], batch_size=BATCH)

    def way(self, members: list[User]) -> None:
        """The Way grows by a process every six months of history (4–7 steps each), and
        every partnership has ticked about half of the steps, more the older it is."""
        from tandem.relationship.way.models import Process, Step, StepCheck

        start = Process.objects.filter(workspace=self.workspace).count()
        processes = Process.objects.bulk_create(
            Process(
                workspace=self.workspace,
                name=f"{self.rng.choice(TOPICS)} process #{n}",
                purpose="How both sides handle it, step by step.",
                position=start + n,
                visibility=Visibility.SHARED if self.rng.random() < 0.7 else Visibility.INTERNAL,
                created_by=self.rng.choice(members),
            )
            for n in range(self.months // 6)
        )
        Step.objects.bulk_create(
            Step(
                workspace=self.workspace,
                process=process,
                position=m,
                title=f"Step {m + 1}: {self.rng.choice(TOPICS).lower()}",
                guidance="Who does it, with what, by when.",
            )
            for process in processes
            for m in range(self.rng.randint(4, 7))
        )
        steps = list(
            Step.objects.filter(workspace=self.workspace).values_list("pk", "process__visibility")
        )
        taken = set(StepCheck.objects.values_list("partnership_id", "step_id"))
        rows = []
        for partnership in Partnership.objects.filter(workspace=self.workspace):
            age = (self.now - partnership.created_at).days / max(1, (self.now - self.start).days)
            for step_id, visibility in steps:
                if (partnership.pk, step_id) in taken or self.rng.random() > 0.3 + 0.6 * age:
                    continue
                rows.append(
                    StepCheck(
                        workspace=self.workspace,
                        partnership=partnership,
                        step_id=step_id,
                        followed=self.rng.random() < 0.85,
                        visibility=visibility,
                        checked_by=self.rng.choice(members),
                        checked_at=self.now,
                    )
                )
        StepCheck.objects.bulk_create(rows, batch_size=BATCH)

    def scorecard(self, members: list[User]) -> None:
        """Northwind's scorecard grows to 20 weekly measurables, each with a value for every
        week of the period (about one in twenty left missing)."""
        northwind = Partnership.objects.get(workspace=self.workspace, name="Northwind")
        existing = list(Measurable.objects.filter(partnership=northwind, frequency="weekly"))
        extra = Measurable.objects.bulk_create(
            Measurable(
                workspace=self.workspace,
                partnership=northwind,
                title=f"{self.rng.choice(TOPICS)} #{n}",
                owner=self.rng.choice(members),
                unit=self.rng.choice(["number", "number", "currency", "percent"]),
                goal=Decimal(self.rng.choice([2, 5, 10, 40])),
                visibility=Visibility.SHARED if self.rng.random() < 0.7 else Visibility.INTERNAL,
                position=100 + n,
            )
            for n in range(max(0, SCORECARD_MEASURABLES - len(existing)))
        )
        taken = set(
            Entry.objects.filter(measurable__partnership=northwind).values_list(
                "measurable_id", "period_start"
            )
        )
        first = period_of(self.start.date(), "weekly")
        last = period_of(self.now.date(), "weekly")
        rows = []
        for measurable in [*existing, *extra]:
            if measurable.formula:
                continue
            week = first
            while week <= last:
                if (measurable.pk, week) not in taken and self.rng.random() > 0.05:
                    top = 100 if measurable.unit == "percent" else int(measurable.goal or 5) * 2
                    rows.append(
                        Entry(
                            measurable=measurable,
                            period_start=week,
                            value=Decimal(self.rng.randint(0, top)),
                        )
                    )
                week = shift(week, "weekly", 1)
        Entry.objects.bulk_create(rows, batch_size=BATCH)

    def relationship(self, members: list[User]) -> None:
        """Each partnership's roles and expectations, reviewed every period since it began,
        and its communication plan, with most planned touches marked (Northwind's plan and
        promises are the longest)."""
        from tandem.relationship.commitments.models import SUGGESTIONS, Commitment, CommitmentReview
        from tandem.relationship.commitments.models import period_start as commitment_period
        from tandem.relationship.communication.cadence import iter_planned
        from tandem.relationship.communication.models import PlanEntry, Touch

        steps = {"monthly": 31, "quarterly": 92, "yearly": 366}
        reviews: list[CommitmentReview] = []
        touches: list[Touch] = []
        for partnership in Partnership.objects.filter(workspace=self.workspace):
            since = max(partnership.created_at, self.start)
            big = partnership.name == "Northwind"
            for side, suggestions in SUGGESTIONS.items():
                picked = suggestions * (3 if big else 1)
                for kind, description, target, period in picked[: 8 if big else 3]:
                    commitment = Commitment.objects.create(
                        workspace=self.workspace,
                        partnership=partnership,
                        side=side,
                        kind=kind,
                        description=description,
                        target=target,
                        period=period,
                        visibility=(
                            Visibility.INTERNAL
                            if side == "ours" and self.rng.random() < 0.2
                            else Visibility.SHARED
                        ),
                        created_by=self.rng.choice(members),
                    )
                    day, seen = since.date(), set()
                    while day < self.now.date() and period in steps:
                        start = commitment_period(period, day)
                        if start not in seen:
                            seen.add(start)
                            reviews.append(
                                CommitmentReview(
                                    commitment=commitment,
                                    period_start=start,
                                    kept=self.rng.random() < 0.8,
                                    reviewed_by=self.rng.choice(members),
                                )
                            )
                        day += timedelta(days=steps[period])
            for n in range(12 if big else self.rng.randint(2, 4)):
                entry = PlanEntry.objects.create(
                    workspace=self.workspace,
                    partnership=partnership,
                    topic=f"{self.rng.choice(TOPICS)} update #{n}",
                    channel=self.rng.choice(["email", "call", "meeting", "newsletter", "webinar"]),
                    cadence=self.rng.choice(["weekly", "biweekly", "monthly", "quarterly"]),
                    audience=self.rng.choice(["Partner sales team", "Both teams", "Clients"]),
                    owner=self.rng.choice(members),
                    starts_on=since.date(),
                    visibility=(
                        Visibility.SHARED if self.rng.random() < 0.75 else Visibility.INTERNAL
                    ),
                    created_by=self.rng.choice(members),
                )
                for day in iter_planned(entry.starts_on, entry.cadence, self.now.date()):
                    if self.rng.random() < 0.9:
                        touches.append(
                            Touch(
                                entry=entry,
                                planned_on=day,
                                happened=self.rng.random() < 0.85,
                                marked_by=self.rng.choice(members),
                            )
                        )
        CommitmentReview.objects.bulk_create(reviews, batch_size=BATCH)
        Touch.objects.bulk_create(touches, batch_size=BATCH)

    def exchange(self, members: list[User]) -> None:
        """Northwind's value exchange and pipeline over the period: about 32 ledger entries
        and 6 opportunities a week (5,000 and 1,000 in three years), the deals moving through
        the stages and most of them closed, won or lost, with their stage history."""
        northwind = Partnership.objects.get(workspace=self.workspace, name="Northwind")
        pat = User.objects.get(email="pat@northwind.example")
        people = [*members, pat]
        ledger.ensure_kinds(self.workspace.pk)
        kinds = list(ledger_selectors.kinds_for(self.workspace.pk, archived=False))
        stages = [stage for stage in pipeline.stages_of(self.workspace.pk) if not stage.archived]
        path = [stage for stage in stages if stage.outcome == Outcome.OPEN]
        won = next(stage for stage in stages if stage.outcome == Outcome.WON)
        lost = next(stage for stage in stages if stage.outcome == Outcome.LOST)
        weeks = max(1, (self.now - self.start).days // 7)
        deals: list[Opportunity] = []
        moves: list[tuple[int, list[tuple[Any, Any, datetime]]]] = []
        for n in range(round(weeks * DEALS_PER_WEEK)):
            created = self.when(self.start, self.rng.uniform(0, weeks * 7))
            steps = deal_path(self.rng, path, won, lost, created, self.now)
            last = steps[-1]
            stage = last[1]
            currency = self.rng.choice(CURRENCIES)
            name = f"{self.rng.choice(FIRST)} {self.rng.choice(SECOND)} {n}"
            deals.append(
                Opportunity(
                    workspace=self.workspace,
                    partnership=northwind,
                    account_name=name,
                    account_domain=f"{name.lower().replace(' ', '-')}.example",
                    account_key=f"{name.lower().replace(' ', '-')}.example",
                    attribution=self.rng.choice(Attribution.values),
                    stage=stage,
                    amount=Decimal(self.rng.randrange(5, 400) * 1000),
                    currency=currency,
                    expected_close=(created + timedelta(days=self.rng.randint(30, 180))).date(),
                    owner=self.rng.choice(people),
                    next_step="Send the proposal" if not stage.is_closed else "",
                    lost_reason="Went with a competitor" if stage == lost else "",
                    stage_entered_at=last[2],
                    closed_on=last[2].date() if stage.is_closed else None,
                    visibility=(
                        Visibility.SHARED if self.rng.random() < 0.85 else Visibility.INTERNAL
                    ),
                    created_by=self.rng.choice(people),
                    created_at=created,
                    updated_at=last[2],
                )
            )
            moves.append((len(deals) - 1, steps))
        Opportunity.objects.bulk_create(deals, batch_size=BATCH)
        DealMove.objects.bulk_create(
            (
                DealMove(
                    opportunity=deals[index],
                    workspace=self.workspace,
                    from_stage=before,
                    to_stage=after,
                    changed_at=moment,
                    changed_by=self.rng.choice(people),
                )
                for index, steps in moves
                for before, after, moment in steps
            ),
            batch_size=BATCH,
        )
        shared_deals = [deal for deal in deals if deal.visibility == Visibility.SHARED]
        entries = []
        for _ in range(round(weeks * LEDGER_PER_WEEK)):
            moment = self.when(self.start, self.rng.uniform(0, weeks * 7))
            side = Direction.OURS if self.rng.random() < 0.6 else Direction.PARTNER
            answered = self.rng.random()
            visibility = Visibility.SHARED if self.rng.random() < 0.85 else Visibility.INTERNAL
            entries.append(
                LedgerEntry(
                    workspace=self.workspace,
                    partnership=northwind,
                    kind=self.rng.choice(kinds),
                    direction=self.rng.choice(Direction.values),
                    occurred_on=moment.date(),
                    title=f"{self.rng.choice(TOPICS)} for {self.rng.choice(FIRST)}",
                    amount=(
                        Decimal(self.rng.randrange(100, 50_000))
                        if self.rng.random() < 0.8
                        else None
                    ),
                    currency=self.rng.choice(CURRENCIES),
                    estimated=self.rng.random() < 0.3,
                    owner=self.rng.choice(people),
                    opportunity=(
                        self.rng.choice(shared_deals)
                        if shared_deals
                        and visibility == Visibility.SHARED
                        and self.rng.random() < 0.2
                        else None
                    ),
                    logged_by_side=side,
                    confirmation=(
                        Confirmation.CONFIRMED
                        if answered < 0.6
                        else Confirmation.DISPUTED
                        if answered < 0.65
                        else Confirmation.PENDING
                    ),
                    visibility=visibility,
                    created_by=self.rng.choice(members if side == Direction.OURS else [pat]),
                    created_at=moment,
                    updated_at=moment,
                )
            )
        for entry in entries:
            if entry.amount is None:
                entry.currency = ""
            if entry.visibility == Visibility.INTERNAL:  # nobody on the other side saw it
                entry.confirmation = Confirmation.PENDING
        LedgerEntry.objects.bulk_create(entries, batch_size=BATCH)


def company_names(rng: random.Random) -> Iterator[str]:
    """Partner company names, each used once, in an order of the seed's choosing."""
    words = [FIRST.split(), SECOND.split(), THIRD.split()]
    combos = list(itertools.product(*words))
    rng.shuffle(combos)
    return (" ".join(combo) for combo in combos)


def deal_path(
    rng: random.Random, path: list[Any], won: Any, lost: Any, created: datetime, now: datetime
) -> list[tuple[Any, Any, datetime]]:
    """(from stage, to stage, when) of one deal created at ``created``: through the open
    stages (``path``) some way, then most of the time closed, won or lost; nothing after
    ``now``."""
    reached = rng.randint(1, len(path))
    steps, moment = [], created
    previous = None
    for stage in path[:reached]:
        steps.append((previous, stage, moment))
        previous, moment = stage, moment + timedelta(days=rng.uniform(3, 40))
    end = rng.random()
    if moment < now and end < 0.7:
        closing = won if end < 0.3 else lost
        steps.append((previous, closing, moment))
    if steps[-1][2] > now:
        steps = [step for step in steps if step[2] <= now] or steps[:1]
    return steps


def health_scores(
    rng: random.Random, first: date, last_monday: date
) -> Iterator[tuple[date, int | None]]:
    """(Monday, score) for every week from the one holding ``first`` to ``last_monday``: a
    score that drifts, now and then none (too little data that week)."""
    week = first - timedelta(days=first.weekday())
    score = rng.randint(30, 90)
    while week <= last_monday:
        score = max(0, min(100, score + rng.randint(-8, 8)))
        yield week, None if rng.random() < 0.05 else score
        week += timedelta(weeks=1)


def note_body(rng: random.Random, topic: str) -> str:
    lines = [f"Notes on **{topic.lower()}**."]
    for _ in range(rng.randint(1, 5)):
        person = rng.choice(PEOPLE)
        lines.append(
            f"- {person} to {rng.choice(['send', 'review', 'share', 'update'])} the"
            f" {rng.choice(['deck', 'forecast', 'lead list', 'pricing', 'case study'])}"
            f" by {rng.choice(['Monday', 'Wednesday', 'Friday', 'next week'])}"
        )
    if rng.random() < 0.3:
        lines.append("\nSee [the shared folder](https://example.com/shared) for details.")
    return "\n".join(lines)


def generate(months: int, *, seed: int = 1, partnerships: int = 0) -> None:
    if User.objects.filter(email=f"member0@{MEMBER_DOMAIN}").exists():
        raise SystemExit("This database already has generated history; start from a fresh one.")
    with (
        transaction.atomic(),
        backdating(User, Membership, PartnerAccess, Partnership, Note, Contact),
        backdating(ActivityEntry, StageChange, Idea, Issue, Ask, CheckIn),
    ):
        History(months, seed, partnerships).run()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--months", type=int, required=True, help="how much history to add")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--partnerships",
        type=int,
        default=0,
        help="make the program hold this many partnerships in all (default: 3 new a month)",
    )
    args = parser.parse_args()
    started = time.monotonic()
    generate(args.months, seed=args.seed, partnerships=args.partnerships)
    print(f"Generated {args.months} months of history in {time.monotonic() - started:.1f}s")


if __name__ == "__main__":
    sys.exit(main())
