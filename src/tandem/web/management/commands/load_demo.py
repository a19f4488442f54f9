"""Load a believable partner program once. Running it again keeps what is there."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tandem.accounts.models import Membership, PartnerAccess, User, Workspace
from tandem.core.access import Role, Visibility, actor_for
from tandem.partners import services
from tandem.partners.models import Contact, Note

PASSWORD = "tandem-demo"

LOGINS = [
    ("lead@acme.example", "Lena Lead", "Acme Analytics: owner, program lead"),
    ("maria@acme.example", "Maria Manager", "Acme Analytics: partner manager"),
    ("sam@acme.example", "Sam Santos", "Acme Analytics: partner manager"),
    ("exec@acme.example", "Erin Exec", "Acme Analytics: executive sponsor (member)"),
    ("pat@northwind.example", "Pat Northwind", "partner side: Northwind only"),
    ("lee@globex.example", "Lee Globex", "partner side: Globex only"),
    ("owner@initech.example", "Olga Initech", "Initech: owner of another workspace"),
]

PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "name": "Northwind",
        "summary": "Reseller for the Nordics: joint pipeline and co-marketing.",
        "kind": "reseller",
        "horizon": "strategic",
        "stages": ["prospect", "diligence", "active"],
        "owner": "maria",
        "cadence": "weekly",
        "hours": "6",
        "website": "https://northwind.example",
        "contacts": [("Pat Northwind", "pat@northwind.example", "Channel lead")],
    },
    {
        "name": "Globex",
        "summary": "Technology integration: Globex data connectors inside Acme dashboards.",
        "kind": "technology",
        "horizon": "strategic",
        "stages": ["prospect", "diligence", "active"],
        "owner": "sam",
        "cadence": "biweekly",
        "hours": "4",
        "website": "https://globex.example",
        "contacts": [("Lee Globex", "lee@globex.example", "Head of partnerships")],
    },
    {
        "name": "Umbrella Consulting",
        "summary": "Referral partner for analytics implementations.",
        "kind": "referral",
        "horizon": "tactical",
        "stages": ["prospect", "diligence"],
        "owner": "maria",
        "cadence": "monthly",
        "hours": "2",
        "contacts": [("Alex Umbrella", "alex@umbrella.example", "Partner")],
    },
    {
        "name": "Stark Cloud",
        "summary": "Strategic alliance: joint go-to-market on the Stark marketplace.",
        "kind": "alliance",
        "horizon": "strategic",
        "stages": ["prospect"],
        "owner": "sam",
        "cadence": "monthly",
        "hours": "1.5",
        "contacts": [],
    },
    {
        "name": "Hooli Partners",
        "summary": "Reseller in DACH; paused while they restructure their sales team.",
        "kind": "reseller",
        "horizon": "tactical",
        "stages": ["prospect", "diligence", "active", "paused"],
        "owner": "maria",
        "cadence": "biweekly",
        "hours": "1",
        "contacts": [("Gavin Hooli", "gavin@hooli.example", "VP Channels")],
    },
    {
        "name": "Initrode Media",
        "summary": "Co-marketing pilot that ended after two campaigns.",
        "kind": "referral",
        "horizon": "tactical",
        "stages": ["prospect", "active", "ended"],
        "owner": "sam",
        "cadence": "monthly",
        "hours": "0",
        "contacts": [],
    },
]

NOTES = {
    "Northwind": [
        (
            "Kick-off agreements",
            "- Joint **pipeline review** every Monday\n- Acme provides demo"
            " licences\n- Northwind presents Acme in 4 client meetings per quarter",
            "shared",
        ),
        (
            "Margin discussion (internal)",
            "Northwind asked for 30% margin. We can go to 25% if they commit to certification.",
            "internal",
        ),
    ],
    "Globex": [
        ("Integration scope", "Connector v1 covers CRM and billing data. Beta in Q1.", "shared"),
        ("Exec sponsor check-in", "Erin to meet their CTO at the spring summit.", "internal"),
    ],
}


class Command(BaseCommand):
    help = "Load the demo program (Acme Analytics, Initech) once; print the demo logins."

    def handle(self, *args: Any, **options: Any) -> None:
        if Workspace.objects.filter(slug="acme-analytics").exists():
            self.stdout.write("Demo data already loaded; keeping it.")
        else:
            self.load()
            self.stdout.write(self.style.SUCCESS("Demo data loaded."))
        self.stdout.write("\nDemo logins (password for all: tandem-demo):")
        for email, _name, role in LOGINS:
            self.stdout.write(f"  {email:<24} {role}")
        self.stdout.write("\nOpen http://127.0.0.1:8000/ and sign in.\n")

    @transaction.atomic
    def load(self) -> None:
        users = {}
        for email, name, _role in LOGINS:
            user = User.objects.create_user(email=email, password=PASSWORD, name=name)
            from allauth.account.models import EmailAddress

            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
            users[email.split("@")[0]] = user
        users["exec"].title = "Chief Revenue Officer"
        users["exec"].save(update_fields=["title"])
        acme = Workspace.objects.create(name="Acme Analytics", slug="acme-analytics")
        for key, role in (
            ("lead", Role.OWNER),
            ("maria", Role.MEMBER),
            ("sam", Role.MEMBER),
            ("exec", Role.MEMBER),
        ):
            Membership.objects.create(workspace=acme, user=users[key], role=role)
        initech = Workspace.objects.create(name="Initech", slug="initech")
        Membership.objects.create(workspace=initech, user=users["owner"], role=Role.OWNER)

        lead = actor_for(users["lead"])
        for spec in PARTNERSHIPS:
            partnership = services.partnership_create(
                actor=lead,
                workspace_id=acme.pk,
                name=spec["name"],
                summary=spec["summary"],
                website=spec.get("website", ""),
                kind=spec["kind"],
                horizon=spec["horizon"],
                stage=spec["stages"][0],
                owner=users[spec["owner"]],
                sponsor=users["exec"] if spec["horizon"] == "strategic" else None,
                cadence=spec["cadence"],
                hours_per_week=Decimal(spec["hours"]),
            )
            for stage in spec["stages"][1:]:
                services.partnership_update(
                    actor=lead, partnership=partnership, version=partnership.version, stage=stage
                )
            owner = actor_for(users[spec["owner"]])
            for name, email, title in spec["contacts"]:
                services.item_create(
                    Contact,
                    actor=owner,
                    partnership=partnership,
                    name=name,
                    email=email,
                    title=title,
                    visibility=Visibility.SHARED,
                )
            for title, body, visibility in NOTES.get(spec["name"], []):
                services.item_create(
                    Note,
                    actor=owner,
                    partnership=partnership,
                    title=title,
                    body=body,
                    visibility=visibility,
                )
            partner_user = {"Northwind": "pat", "Globex": "lee"}.get(spec["name"])
            if partner_user:
                PartnerAccess.objects.create(
                    partnership=partnership, user=users[partner_user], invited_by=users["lead"]
                )
        self.load_todos(acme, users)
        self.load_goals(acme, users)
        self.load_rocks(acme, users)
        self.load_ideas(acme, users)
        self.load_issues(acme, users)
        self.load_scorecard(acme, users)
        self.load_schedules(acme, users)
        self.load_meetings(acme, users)
        self.load_way(acme, users)
        pat = actor_for(users["pat"])
        northwind = acme.partnerships.get(name="Northwind")
        services.item_create(
            Note,
            actor=pat,
            partnership=northwind,
            title="Q1 campaign idea",
            body="Webinar with two of our biggest retail clients, Acme presenting.",
        )

    def load_way(self, acme: Workspace, users: dict[str, User]) -> None:
        """The Way: the three default processes and an internal one, and how far each
        partnership follows them (Northwind furthest, Umbrella just starting)."""
        from tandem.way import services as way
        from tandem.way.models import Step

        lead = actor_for(users["lead"])
        way.install_defaults(actor=lead, workspace_id=acme.pk)
        health = way.process_create(
            actor=lead,
            workspace_id=acme.pk,
            name="Partner health check",
            purpose="Our own monthly look at each partnership before the partner sees numbers.",
            visibility=Visibility.INTERNAL,
        )
        for title, guidance in (
            ("Compare their discount level with our floor", "Flag anything under 18%."),
            ("Check the pipeline they registered is real", "Spot-check three deals in the CRM."),
            ("Rate the relationship 1–10", "Owner and sponsor each, separately."),
            ("Decide: invest, maintain or wind down", "Bring the call to the program meeting."),
        ):
            way.step_create(health, actor=lead, title=title, guidance=guidance)
        steps = {
            (step.process.name, step.position): step
            for step in Step.objects.filter(workspace=acme).select_related("process")
        }
        plan = {
            "Northwind": {
                "Partner onboarding": ([0, 1, 2, 3, 4], "maria"),
                "Joint lead hand-off": ([0, 1, 2], "pat"),
                "Quarterly review": ([0, 1, 2, 3], "maria"),
                "Partner health check": ([0, 1], "maria"),
            },
            "Globex": {
                "Partner onboarding": ([0, 1, 2], "sam"),
                "Joint lead hand-off": ([0], "lee"),
                "Quarterly review": ([0, 1], "sam"),
            },
            "Umbrella Consulting": {"Partner onboarding": ([0], "maria")},
        }
        notes = {
            ("Northwind", "Joint lead hand-off", 2): "Intro template in the shared drive.",
            ("Globex", "Partner onboarding", 2): "Two Globex engineers certified in October.",
        }
        for name, processes in plan.items():
            partnership = acme.partnerships.get(name=name)
            for process_name, (positions, who) in processes.items():
                for position in positions:
                    way.step_check(
                        actor=actor_for(users[who]),
                        partnership=partnership,
                        step=steps[(process_name, position)],
                        followed=True,
                        note=notes.get((name, process_name, position), ""),
                    )

    def load_todos(self, acme: Workspace, users: dict[str, User]) -> None:
        """A few weeks of to-dos on both sides, some done on time, some late, one overdue."""
        from datetime import datetime, time, timedelta

        from django.utils import timezone

        from tandem.traction.models import Todo

        today = timezone.localdate()
        northwind = acme.partnerships.get(name="Northwind")
        globex = acme.partnerships.get(name="Globex")
        plan = [
            (northwind, "Send the joint value proposition deck", "pat", 4, None, "shared"),
            (northwind, "Introduce Pat to two retail prospects", "maria", 2, None, "shared"),
            (northwind, "Confirm webinar date with marketing", "maria", -2, None, "shared"),
            (northwind, "Check Northwind's certification status", "maria", 5, None, "internal"),
            (northwind, "Share Q4 pipeline export", "pat", -9, 0, "shared"),
            (northwind, "Book the quarterly review", "maria", -12, 0, "shared"),
            (northwind, "Translate the one-pager", "pat", -20, 3, "shared"),
            (northwind, "Demo licences for three reps", "maria", -26, 0, "shared"),
            (globex, "Connector beta feedback call", "lee", 3, None, "shared"),
            (globex, "Security questionnaire back to Globex", "sam", -6, 0, "shared"),
            # The program's own (no partnership): the lead's work on the program itself.
            (None, "Draft the partner tiers for next year", "lead", 6, None, "internal"),
            (None, "Review partner hours against capacity", "lead", 1, None, "internal"),
        ]
        for partnership, title, owner, due_in, done_after, visibility in plan:
            due = today + timedelta(days=due_in)
            done_at = None
            if done_after is not None:
                done_at = timezone.make_aware(
                    datetime.combine(due + timedelta(days=done_after), time(15, 0))
                )
            Todo.objects.create(
                workspace=acme,
                partnership=partnership,
                title=title,
                owner=users[owner],
                due_on=due,
                done_at=done_at,
                visibility=visibility,
                created_by=users["maria"],
            )

    def load_issues(self, acme: Workspace, users: dict[str, User]) -> None:
        """Open issues on both lists, some votes, one solved into to-dos, one at program level."""
        from tandem.issues import services as issues
        from tandem.partners.scope import Program

        maria, pat = actor_for(users["maria"]), actor_for(users["pat"])
        northwind = acme.partnerships.get(name="Northwind")
        globex = acme.partnerships.get(name="Globex")
        plan = [
            (maria, northwind, "Leads go cold between handoff and first call", "short", "shared"),
            (pat, northwind, "Demo environment resets every night", "short", "shared"),
            (maria, northwind, "Northwind wants 30% margin", "short", "internal"),
            (pat, northwind, "Who owns renewals of joint customers?", "long", "shared"),
            (maria, northwind, "Expand to the Nordics next year?", "long", "shared"),
            (actor_for(users["lee"]), globex, "Connector API rate limits", "short", "shared"),
        ]
        made = {}
        for actor, partnership, title, term, visibility in plan:
            made[title] = issues.issue_create(
                actor=actor, partnership=partnership, title=title, term=term, visibility=visibility
            )
        issues.issue_vote(made["Demo environment resets every night"], actor=pat, vote=True)
        issues.issue_vote(made["Demo environment resets every night"], actor=maria, vote=True)
        solved = issues.issue_create(
            actor=pat, partnership=northwind, title="Price list out of date on the partner portal"
        )
        issues.issue_solve(
            solved,
            actor=maria,
            version=solved.version,
            decision="Acme publishes the price list; Northwind links to it instead of copying.",
            new_todos=[issues.NewTodo(title="Replace the PDF with a link", owner=users["pat"])],
        )
        issues.issue_create(
            actor=maria,
            partnership=Program(acme),
            title="Partner onboarding takes six weeks",
            owner=users["lead"],
        )

    def load_goals(self, acme: Workspace, users: dict[str, User]) -> None:
        """Joint goals for Northwind and Globex, and the program's own."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.vision.models import Goal

        in_a_year = timezone.localdate() + timedelta(days=365)
        plan = [
            ("Northwind", "Northwind is a top-3 reseller", "$400k partner-sourced revenue", "1y"),
            ("Northwind", "Certified sales team", "12 certified Northwind reps", "1y"),
            ("Northwind", "Nordic market leader together", "30% of Nordic retail analytics", "3y"),
            ("Globex", "Connector in general availability", "50 customers on the connector", "1y"),
            (None, "Partner-sourced revenue", "$2M partner-sourced revenue", "1y"),
        ]
        for name, title, target, horizon in plan:
            Goal.objects.create(
                workspace=acme,
                partnership=acme.partnerships.get(name=name) if name else None,
                title=title,
                target=target,
                horizon=horizon,
                due_on=in_a_year if horizon == "1y" else in_a_year + timedelta(days=730),
                owner=users["maria"] if name else users["lead"],
                visibility="shared" if name else "internal",
                created_by=users["maria"],
            )

    def load_rocks(self, acme: Workspace, users: dict[str, User]) -> None:
        """This quarter's rocks for Northwind and Globex, with a milestone or two."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.traction.models import Milestone, Rock, quarter_end, quarter_of

        today = timezone.localdate()
        year, quarter = quarter_of(today)
        plan = [
            ("Northwind", "Ten joint opportunities in the pipeline", "maria", "on_track", "shared"),
            ("Northwind", "Northwind sales team certified", "pat", "off_track", "shared"),
            ("Northwind", "Decide on Nordic exclusivity", "lead", "on_track", "internal"),
            ("Northwind", "Joint webinar with two retail clients", "pat", "done", "shared"),
            ("Globex", "Connector v1 in beta with five customers", "lee", "on_track", "shared"),
            ("Globex", "Co-marketing plan signed off", "sam", "on_track", "shared"),
        ]
        from tandem.vision.models import Goal

        serves = {
            "Ten joint opportunities in the pipeline": "Northwind is a top-3 reseller",
            "Northwind sales team certified": "Certified sales team",
            "Connector v1 in beta with five customers": "Connector in general availability",
        }
        for name, title, owner, status, visibility in plan:
            rock = Rock.objects.create(
                goal=Goal.objects.filter(title=serves.get(title, "")).first(),
                workspace=acme,
                partnership=acme.partnerships.get(name=name),
                title=title,
                owner=users[owner],
                year=year,
                quarter=quarter,
                due_on=quarter_end(year, quarter),
                status=status,
                visibility=visibility,
                created_by=users["maria"],
            )
            Milestone.objects.create(
                rock=rock, title="First draft agreed", due_on=today + timedelta(days=4)
            )

    def load_scorecard(self, acme: Workspace, users: dict[str, User]) -> None:
        """Northwind's scorecard: weekly numbers for the last 13 weeks (one missing, one
        holiday week with a goal of its own), a formula, and a monthly internal figure."""
        import random

        from django.utils import timezone

        from tandem.scorecard import services as scorecard
        from tandem.scorecard.models import Entry, Frequency, Measurable, period_of, shift

        rng = random.Random(7)  # the same demo every time
        northwind = acme.partnerships.get(name="Northwind")
        maria = actor_for(users["maria"])
        plan = [
            # title, owner, unit, comparator, goal, goal_high, frequency, visibility, values
            ("Leads referred", "pat", "number", "gte", "5", None, "weekly", "shared", (2, 9)),
            ("Joint meetings held", "maria", "number", "gte", "2", None, "weekly", "shared",
             (0, 4)),
            ("Deals won", "pat", "number", "gte", "1", None, "weekly", "shared", (0, 3)),
            ("Pipeline added", "maria", "currency", "gte", "25000", None, "weekly", "shared",
             (8000, 60000)),
            ("Partner portal updated", "pat", "yesno", "eq", "yes", None, "weekly", "shared",
             (0, 1)),
            ("Hours on enablement", "maria", "duration", "between", "2", "6", "weekly", "internal",
             (1, 8)),
            ("Partner-sourced revenue", "lead", "currency", "gte", "50000", None, "monthly",
             "internal", (20000, 90000)),
        ]  # fmt: skip
        today = timezone.localdate()
        entries = []
        for title, owner, unit, comparator, goal, high, frequency, visibility, span in plan:
            measurable = scorecard.measurable_create(
                actor=maria,
                partnership=northwind,
                title=title,
                owner=users[owner],
                unit=unit,
                comparator=comparator,
                goal=goal,
                goal_high=high,
                frequency=frequency,
                visibility=visibility,
            )
            current = period_of(today, frequency)
            for back in range(1, 13 if frequency == Frequency.WEEKLY else 6):
                if title == "Deals won" and back == 2:
                    continue  # nobody entered it: shown as missing, never as zero
                low, top = span
                value = rng.randint(low, top) if top < 100 else rng.randrange(low, top, 500)
                entries.append(
                    Entry(
                        measurable=measurable,
                        period_start=shift(current, frequency, -back),
                        value=value,
                        updated_by=users[owner],
                    )
                )
        Entry.objects.bulk_create(entries)
        scorecard.measurable_create(
            actor=maria,
            partnership=northwind,
            title="Win rate",
            owner=users["maria"],
            unit="percent",
            comparator="gte",
            goal="20",
            formula="{Deals won} / {Leads referred} * 100",
        )
        holiday = shift(period_of(today, Frequency.WEEKLY), Frequency.WEEKLY, -4)
        scorecard.period_goal_set(
            Measurable.objects.get(partnership=northwind, title="Leads referred"),
            actor=maria,
            period_start=holiday,
            goal="2",
            note="Holiday week: half of Northwind's sales team is out",
            version=Entry.objects.get(
                measurable__partnership=northwind,
                measurable__title="Leads referred",
                period_start=holiday,
            ).version,
        )

    def load_ideas(self, acme: Workspace, users: dict[str, User]) -> None:
        """Northwind's backlog: a tactical and a strategic group with an owner each, two ideas
        committed (the limit is 3), one already turned into a to-do; and the program's own."""
        from tandem.ideas import services as ideas
        from tandem.partners.scope import Program

        maria = actor_for(users["maria"])
        northwind = acme.partnerships.get(name="Northwind")
        ideas.board_update(
            actor=maria,
            partnership=northwind,
            version=1,
            tactical_owner=users["pat"],
            strategic_owner=users["maria"],
        )
        plan = [
            # title, horizon, visibility, what happens to it
            ("Joint webinar series for retail clients", "tactical", "shared", "commit"),
            ("Co-branded one-pager in Swedish", "tactical", "shared", "commit"),
            ("Referral bonus for Northwind's sales reps", "tactical", "shared", ""),
            ("Shared Slack channel for deal hand-offs", "tactical", "shared", "todo"),
            ("Case study with their biggest retail client", "tactical", "shared", ""),
            ("Northwind as exclusive reseller for Norway", "strategic", "internal", ""),
            ("Joint offering for mid-market retail", "strategic", "shared", ""),
            ("Certification track for Northwind engineers", "strategic", "shared", ""),
        ]
        for title, horizon, visibility, then in plan:
            idea = ideas.idea_create(
                actor=maria,
                partnership=northwind,
                title=title,
                horizon=horizon,
                visibility=visibility,
            )
            if then == "commit":
                ideas.idea_commit(idea, actor=maria, version=idea.version)
            elif then == "todo":
                ideas.idea_convert(idea, actor=maria, version=idea.version, into="todo")
        globex = acme.partnerships.get(name="Globex")
        for title, horizon in (
            ("Connector listed in the Globex marketplace", "tactical"),
            ("Joint data product for logistics", "strategic"),
        ):
            ideas.idea_create(
                actor=actor_for(users["sam"]), partnership=globex, title=title, horizon=horizon
            )
        program = Program(acme)
        for title, horizon in (
            ("Partner of the quarter award", "tactical"),
            ("Partner advisory board", "strategic"),
        ):
            ideas.idea_create(
                actor=actor_for(users["lead"]),
                partnership=program,
                title=title,
                horizon=horizon,
                visibility="internal",
            )

    def load_schedules(self, acme: Workspace, users: dict[str, User]) -> None:
        """When each partnership meets, in the time zone whose clock it follows: Northwind
        from New York, Globex from Berlin, Umbrella from London."""
        from datetime import time, timedelta

        from django.utils.timezone import localdate

        from tandem.meetings.schedule_services import schedule_save

        plans = (
            ("Northwind", 1, time(10, 0), "America/New_York", {}),
            ("Globex", 3, time(16, 0), "Europe/Berlin", {"issues_minutes": 45}),
            ("Umbrella Consulting", 2, time(9, 30), "Europe/London", {"quarterly": False}),
        )
        owners = {spec["name"]: spec["owner"] for spec in PARTNERSHIPS}
        for name, weekday, at, zone, extra in plans:
            partnership = acme.partnerships.get(name=name)
            schedule_save(
                actor=actor_for(users[owners[name]]),
                partnership=partnership,
                version=0,
                weekday=weekday,
                time=at,
                timezone=zone,
                starts_on=localdate() - timedelta(weeks=10),
                **extra,
            )

    def load_meetings(self, acme: Workspace, users: dict[str, User]) -> None:
        """Eight weeks of Northwind's weekly pulse, held and rated by both sides, so the
        meetings page has a history and a completion trend to show."""
        from datetime import timedelta
        from decimal import Decimal

        from django.utils import timezone

        from tandem.meetings.models import Attendee, Kind, Meeting, default_timeboxes
        from tandem.meetings.recap import search_text

        northwind = acme.partnerships.get(name="Northwind")
        maria, pat = users["maria"], users["pat"]
        figures = [(6, 9, 7, 8), (7, 9, 8, 8), (5, 8, 6, 7), (8, 9, 8, 9), (8, 10, 9, 8),
                   (9, 10, 9, 9), (7, 8, 8, 8), (9, 10, 9, 10)]  # fmt: skip
        today = timezone.now().replace(hour=15, minute=0, second=0, microsecond=0)
        last_tuesday = today - timedelta(days=(today.weekday() - 1) % 7 or 7)
        headlines = [
            "Contoso renewed for three years",
            "First joint deal closed in Oslo",
            "Northwind hired two solution engineers",
            "Joint webinar drew 140 sign-ups",
            "Partner portal relaunched",
            "Fabrikam asked for a joint proposal",
            "Case study with Tailspin published",
            "Two reps certified on the connector",
        ]
        for weeks_ago, (done, due, maria_rates, pat_rates) in enumerate(figures, start=1):
            started = last_tuesday - timedelta(weeks=weeks_ago - 1)
            ended = started + timedelta(minutes=70 + (weeks_ago * 7) % 25)
            headline = headlines[weeks_ago - 1]
            average = Decimal(maria_rates + pat_rates) / 2
            recap = {
                "kind": Kind.PULSE,
                "kind_label": Kind.PULSE.label,
                "partnership": northwind.name,
                "started_at": started.isoformat(),
                "ended_at": ended.isoformat(),
                "minutes": round((ended - started).total_seconds() / 60),
                "todos": [], "solved": [], "carried": [], "rocks": [], "next_rocks": [],
                "misses": [],
                "headlines": [
                    {"kind": "Customer news", "text": headline, "by": pat.name, "shared": True}
                ],
                "ratings": [
                    {"name": maria.name, "side": "member", "rating": maria_rates, "absent": False},
                    {"name": pat.name, "side": "partner", "rating": pat_rates, "absent": False},
                ],
                "rating_average": str(average),
                "completion": {"all": [done, due], "shared": [done, due]},
                "next_meeting": (started + timedelta(weeks=1)).isoformat(),
                "next_meeting_zone": "America/New_York",
            }  # fmt: skip
            meeting = Meeting.objects.create(
                workspace=acme,
                partnership=northwind,
                kind=Kind.PULSE,
                scheduled_for=started,
                started_at=started,
                ended_at=ended,
                facilitator=maria,
                timeboxes=[list(pair) for pair in default_timeboxes(Kind.PULSE)],
                section="conclusion",
                recap=recap,
                recap_text=search_text(recap),
                recap_text_shared=search_text(recap, partner_side=True),
                recap_sent_at=ended,
                rating_average=average,
                created_by=maria,
            )
            Attendee.objects.bulk_create(
                [
                    Attendee(meeting=meeting, user=maria, side="member", joined_at=started,
                             rating=maria_rates),
                    Attendee(meeting=meeting, user=pat, side="partner", joined_at=started,
                             rating=pat_rates),
                ]
            )  # fmt: skip
