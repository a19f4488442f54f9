"""Load a believable partner program once. Running it again keeps what is there."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from tandem.accounts.actors import actor_for
from tandem.accounts.models import Membership, PartnerAccess, User, Workspace
from tandem.core.access import Role, Visibility
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
        self.stdout.write(f"\nOpen {settings.SITE_URL}/ and sign in.\n")

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
                if stage == "active":  # the go decision the stage rule asks for first
                    self.decide_diligence(partnership, users)
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
        self.load_diligence(acme, users)
        self.load_todos(acme, users)
        self.load_goals(acme, users)
        self.load_values(acme, users)
        self.load_rocks(acme, users)
        self.load_ideas(acme, users)
        self.load_issues(acme, users)
        self.load_scorecard(acme, users)
        self.load_exchange(acme, users)
        self.load_schedules(acme, users)
        self.load_meetings(acme, users)
        self.load_asks(acme, users)
        self.load_checkins(acme, users)
        self.load_commitments(acme, users)
        self.load_communication(acme, users)
        self.load_people(acme, users)
        self.load_way(acme, users)
        self.load_evaluation(acme, users)
        self.settle_notifications()
        pat = actor_for(users["pat"])
        northwind = acme.partnerships.get(name="Northwind")
        services.item_create(
            Note,
            actor=pat,
            partnership=northwind,
            title="Q1 campaign idea",
            body="Webinar with two of our biggest retail clients, Acme presenting.",
        )

    def load_evaluation(self, acme: Workspace, users: dict[str, User]) -> None:
        """Northwind's plan of last quarter signed by both sides (this quarter's waits for
        both: the quarterly meeting's closing step is where they sign it), and 13 weeks of
        health snapshots so the dashboard's trends and the health page's chart have a
        history (each past week computed as of its Monday, the way the worker takes them)."""
        from datetime import timedelta

        from tandem.core.dates import quarter_of
        from tandem.evaluation.health.selectors import TREND_WEEKS
        from tandem.evaluation.health.tasks import snapshot_week
        from tandem.plans import services as plans
        from tandem.plans.selectors import plan_state

        northwind = acme.partnerships.get(name="Northwind")
        today = timezone.localdate()
        year, quarter = quarter_of(today)
        last = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        for key in ("maria", "pat"):
            plans.sign(
                actor=actor_for(users[key]),
                partnership=northwind,
                year=last[0],
                quarter=last[1],
                content_hash=plan_state(None, northwind, *last).content_hash,
            )
        monday = today - timedelta(days=today.weekday())
        for weeks in range(TREND_WEEKS - 1, -1, -1):
            snapshot_week(monday - timedelta(weeks=weeks))

    def settle_notifications(self) -> None:
        """Loading the demo gave people dozens of things at once; a first look shows each
        person their three newest as unread, the rest as read."""
        from tandem.notifications.models import Notification

        keep: set[int] = set()
        for recipient in Notification.objects.values_list("recipient", flat=True).distinct():
            newest = Notification.objects.filter(recipient=recipient).order_by("-created_at", "-id")
            keep.update(newest.values_list("pk", flat=True)[:3])
        Notification.objects.exclude(pk__in=keep).update(read_at=timezone.now())

    def load_commitments(self, acme: Workspace, users: dict[str, User]) -> None:
        """Roles and expectations for Northwind, Globex and Umbrella, each reviewed over the
        last few periods: Acme keeps most of its promises, Northwind's presentations slip."""
        from datetime import timedelta

        from tandem.relationship.commitments.models import (
            Commitment,
            CommitmentReview,
            period_start,
        )

        today = timezone.localdate()
        plan = [
            # partnership, side, kind, description, target, number, period, owner, vis, record
            ("Northwind", "ours", "marketing", "Co-marketing for Northwind's retail campaigns",
             "2 joint campaigns", 2, "quarterly", "maria", "shared", "KKM"),
            ("Northwind", "ours", "leads", "Pass qualified Nordic retail leads",
             "5 qualified leads", 5, "monthly", "sam", "shared", "KKKMKK"),
            ("Northwind", "ours", "territory", "No direct deals in Norway and Sweden",
             "Zero direct deals in the territory", None, "quarterly", "lead", "shared", "KKK"),
            ("Northwind", "ours", "exclusivity", "Hold Nordic exclusivity until the review",
             "Decide at the Q1 review", None, "one_off", "lead", "internal", ""),
            ("Northwind", "partner", "resources", "A certified Acme specialist on the team",
             "2 certified sellers", 2, "quarterly", "pat", "shared", "KMK"),
            ("Northwind", "partner", "presentations", "Present Acme in retail prospect meetings",
             "6 presentations", 6, "quarterly", "pat", "shared", "MKM"),
            ("Northwind", "partner", "client_communication",
             "Feature Acme in the client newsletter", "1 feature", 1, "quarterly", "pat",
             "shared", "KK"),
            ("Globex", "ours", "marketing", "Launch blog post and webinar for the connector",
             "1 webinar", 1, "quarterly", "sam", "shared", "K"),
            ("Globex", "partner", "resources", "An engineer on the connector two days a week",
             "2 days a week", 2, "monthly", "lee", "shared", "KKMK"),
            ("Umbrella Consulting", "ours", "leads", "Refer implementation projects",
             "2 referrals", 2, "quarterly", "maria", "shared", "KM"),
        ]  # fmt: skip
        for name, side, kind, text, target, number, period, owner, visibility, record in plan:
            commitment = Commitment.objects.create(
                workspace=acme,
                partnership=acme.partnerships.get(name=name),
                side=side,
                kind=kind,
                description=text,
                target=target,
                target_number=number,
                period=period,
                owner=users[owner],
                visibility=visibility,
                created_by=users["maria"],
            )
            # The last len(record) periods before this one, oldest first.
            steps = {"monthly": 31, "quarterly": 92, "yearly": 366}.get(period, 0)
            for back, verdict in enumerate(reversed(record), start=1):
                day = today - timedelta(days=steps * back)
                CommitmentReview.objects.create(
                    commitment=commitment,
                    period_start=period_start(period, day),
                    kept=verdict == "K",
                    note="" if verdict == "K" else "Fell short; agreed a catch-up plan.",
                    reviewed_by=users["maria"],
                )

    def load_communication(self, acme: Workspace, users: dict[str, User]) -> None:
        """Communication plans for Northwind, Globex and Umbrella, with the last weeks'
        touches marked (a few missed, a few still to mark)."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.relationship.communication.cadence import last_planned
        from tandem.relationship.communication.models import PlanEntry, Touch

        today = timezone.localdate()
        plan = [
            ("Northwind", "Product updates and release notes", "newsletter", "monthly",
             "Northwind sales team", "sam", "shared", 200, "HHMH"),
            ("Northwind", "Pipeline and lead review", "call", "biweekly",
             "Partner managers on both sides", "maria", "shared", 120, "HHHMH"),
            ("Northwind", "Joint webinar for retail clients", "webinar", "quarterly",
             "Northwind's retail clients", "pat", "shared", 300, "HMH"),
            ("Northwind", "Partner health check", "meeting", "monthly",
             "Acme leadership", "lead", "internal", 150, "HH"),
            ("Globex", "Connector engineering sync", "chat", "weekly",
             "Both engineering teams", "lee", "shared", 60, "HHHMH"),
            ("Globex", "Co-marketing update", "email", "monthly",
             "Globex marketing", "sam", "shared", 90, "HH"),
            ("Umbrella Consulting", "Referral round-up", "email", "quarterly",
             "Umbrella partners", "maria", "shared", 200, "H"),
        ]  # fmt: skip
        for name, topic, channel, cadence, audience, owner, visibility, age, marks in plan:
            entry = PlanEntry.objects.create(
                workspace=acme,
                partnership=acme.partnerships.get(name=name),
                topic=topic,
                channel=channel,
                cadence=cadence,
                audience=audience,
                owner=users[owner],
                visibility=visibility,
                starts_on=today - timedelta(days=age),
                created_by=users["maria"],
            )
            # The latest touch is left to mark; the ones before it carry ``marks``.
            days = last_planned(entry.starts_on, cadence, today, len(marks) + 1)[:-1]
            for day, mark in zip(days[-len(marks) :], marks[-len(days) :], strict=False):
                Touch.objects.create(
                    entry=entry,
                    planned_on=day,
                    happened=mark == "H",
                    note="" if mark == "H" else "Skipped: moved to the next one.",
                    marked_by=users[owner] if owner in {"pat", "lee"} else users["maria"],
                )

    def load_asks(self, acme: Workspace, users: dict[str, User]) -> None:
        """Asks both ways (seed 002): some answered in hours, some in days, one declined,
        a few still open and one of them overdue."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.relationship.asks.models import Ask

        now = timezone.now()
        northwind = acme.partnerships.get(name="Northwind")
        globex = acme.partnerships.get(name="Globex")
        umbrella = acme.partnerships.get(name="Umbrella Consulting")
        # (partnership, side, asker, owner, title, details, asked days ago, needed by (days
        #  from today), answered after hours, answer, status, visibility)
        plan = [
            (northwind, "partner", "pat", "maria", "Intro to your retail lead at Contoso",
             "They are evaluating us for 40 stores; a warm intro from Acme would help.",
             3, 4, None, "", "open", "shared"),
            (northwind, "partner", "pat", "maria", "Demo licences for the two new reps",
             "Jonas and Ida start on Monday.", 9, -2, None, "", "open", "shared"),
            (northwind, "ours", "maria", "pat", "Case study quotes from Hansen Retail",
             "Two sentences on the time saved since go-live.", 6, 10, None, "", "open",
             "shared"),
            (northwind, "ours", "maria", None, "Ask for the Nordic pipeline at the QBR",
             "Bring it up in person, not in e-mail.", 2, None, None, "", "open", "internal"),
            (northwind, "partner", "pat", "maria", "Updated price list for Q1",
             "", 30, None, 20, "Published on the partner portal — link in the shared notes.",
             "answered", "shared"),
            (northwind, "ours", "maria", "pat", "Forecast of joint deals for December",
             "", 24, None, 52, "Six deals, about $180k; sheet shared in the drive.",
             "answered", "shared"),
            (northwind, "partner", "pat", "maria", "Co-branded booth at NRF",
             "", 45, None, 70, "Not this year: our events budget is committed. Next year yes.",
             "declined", "shared"),
            (northwind, "ours", "maria", "pat", "Logo permission for our partner page",
             "", 60, None, 5, "Yes — use the dark version.", "answered", "shared"),
            (globex, "partner", "lee", "sam", "Sandbox tenant for connector QA",
             "Our QA needs a tenant with realistic volumes.", 5, 7, None, "", "open",
             "shared"),
            (globex, "ours", "sam", "lee", "API rate limit increase for the beta",
             "", 14, None, 30, "Raised to 50 requests/s for the beta tenants.", "answered",
             "shared"),
            (umbrella, "ours", "maria", None, "Two reference customers before we sign",
             "", 12, 3, None, "", "open", "shared"),
        ]  # fmt: skip
        for (partnership, side, asker, owner, title, details, ago, needed, after, answer,
             status, visibility) in plan:  # fmt: skip
            asked_at = now - timedelta(days=ago, hours=3)
            answered = after is not None
            Ask.objects.create(
                workspace=acme,
                partnership=partnership,
                side=side,
                title=title,
                details=details,
                owner=users[owner] if owner else None,
                needed_by=timezone.localdate() + timedelta(days=needed) if needed else None,
                status=status,
                answer=answer,
                answered_by=users[owner or "maria"] if answered else None,
                asked_at=asked_at,
                answered_at=asked_at + timedelta(hours=after) if after is not None else None,
                visibility=visibility,
                created_by=users[asker],
            )

    def load_checkins(self, acme: Workspace, users: dict[str, User]) -> None:
        """Monthly and quarterly check-ins and a few events; Globex's monthly rhythm has
        lapsed, Umbrella has none yet."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.relationship.checkins.models import CheckIn

        today = timezone.localdate()
        northwind = acme.partnerships.get(name="Northwind")
        globex = acme.partnerships.get(name="Globex")
        plan = [
            (northwind, "monthly", "November check-in", -12, "Maria, Pat, Jonas (Northwind)",
             "Pipeline review; the Contoso intro is the top ask.", "shared"),
            (northwind, "monthly", "October check-in", -43, "Maria, Pat",
             "Agreed the NRF plan; certification dates set.", "shared"),
            (northwind, "monthly", "December check-in", 18, "Maria, Pat", "", "shared"),
            (northwind, "quarterly", "Q3 business review", -55, "Maria, Erin, Pat, Northwind CEO",
             "Both sides on track for the 1-year goal; margin question parked.", "shared"),
            (northwind, "event", "Retail Analytics Summit, Oslo", -20, "Maria, Pat",
             "Joint booth; 34 leads scanned, 9 qualified.", "shared"),
            (northwind, "event", "Dinner with Northwind's CEO", 9, "Erin, Maria",
             "Sound out exclusivity before the QBR.", "internal"),
            (globex, "monthly", "September check-in", -64, "Sam, Lee",
             "Connector beta scope.", "shared"),
            (globex, "quarterly", "Q3 review", -80, "Sam, Erin, Lee", "", "shared"),
        ]  # fmt: skip
        for partnership, kind, title, days, participants, notes, visibility in plan:
            CheckIn.objects.create(
                workspace=acme,
                partnership=partnership,
                kind=kind,
                title=title,
                held_on=today + timedelta(days=days),
                participants=participants,
                notes=notes,
                visibility=visibility,
                created_by=users["maria"],
            )

    def load_people(self, acme: Workspace, users: dict[str, User]) -> None:
        """Seats on both sides, members' levels and capacity, the workspace's limit: the focus
        page shows Maria stretched past her hours, Northwind's page an empty partner seat."""
        from tandem.accounts import services as accounts
        from tandem.relationship.people import services as people

        lead = actor_for(users["lead"])
        memberships = {m.user_id: m for m in acme.memberships.all()}
        for key, level, hours in (
            ("exec", "executive", "2"),
            ("lead", "manager", "8"),
            ("maria", "ic", "5"),
            ("sam", "ic", "12"),
        ):
            membership = memberships[users[key].pk]
            accounts.membership_update(
                actor=lead,
                membership=membership,
                version=membership.version,
                level=level,
                capacity_hours=Decimal(hours),
            )
        acme.refresh_from_db()
        accounts.workspace_limit_update(actor=lead, workspace=acme, version=acme.version, limit=3)
        by_name = {p.name: p for p in acme.partnerships.all()}
        contacts = {c.name: c for c in Contact.objects.filter(workspace=acme)}
        seats: dict[str, list[tuple[str, str, str, Any, Any, str]]] = {
            "Northwind": [
                ("ours", "Marketing lead", "Joint campaigns and the lead hand-off.",
                 users["sam"], None, Visibility.SHARED),
                ("ours", "Deal desk", "Margin and discount approvals on joint deals.",
                 users["lead"], None, Visibility.INTERNAL),
                ("partner", "Partner champion", "Moves Northwind's side along week to week.",
                 users["pat"], None, Visibility.SHARED),
                ("partner", "Partner executive", "Backs the partnership inside Northwind.",
                 None, None, Visibility.SHARED),
            ],
            "Globex": [
                ("ours", "Solutions engineer", "The connector works inside our dashboards.",
                 users["sam"], None, Visibility.SHARED),
                ("partner", "Partner champion", "Globex's roadmap slot for the connector.",
                 users["lee"], None, Visibility.SHARED),
            ],
            "Umbrella Consulting": [
                ("partner", "Partner champion", "Brings us into their implementation deals.",
                 None, contacts.get("Alex Umbrella"), Visibility.SHARED),
            ],
        }  # fmt: skip
        for name, rows in seats.items():
            for side, role, accountability, user, contact, visibility in rows:
                people.seat_create(
                    actor=lead,
                    partnership=by_name[name],
                    side=side,
                    role=role,
                    accountability=accountability,
                    user=user,
                    contact=contact,
                    visibility=visibility,
                )

    def load_way(self, acme: Workspace, users: dict[str, User]) -> None:
        """The Way: the three default processes and an internal one, and how far each
        partnership follows them (Northwind furthest, Umbrella just starting)."""
        from tandem.relationship.way import services as way
        from tandem.relationship.way.models import Step

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
        from tandem.core.scope import Program
        from tandem.issues import services as issues

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

    def load_values(self, acme: Workspace, users: dict[str, User]) -> None:
        """The program's values and the company goals it serves; Northwind's values share two
        of ours, Globex's none (so the alignment view has one to flag)."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.vision.models import CompanyGoal, Goal, Value

        # Stated to every partner, but one the program keeps to itself for now.
        ours = {
            name: Value.objects.create(
                workspace=acme, name=name, meaning=meaning, visibility=visibility
            )
            for name, meaning, visibility in (
                ("Customer first", "Every joint plan starts from a customer's problem.", "shared"),
                ("Candour", "Bad news travels fast, to both sides.", "shared"),
                ("Do what we say", "A commitment made in a meeting is kept or renegotiated.",
                 "shared"),
                ("Long-term thinking", "We trade a quick win for a stronger partnership.",
                 "internal"),
            )
        }  # fmt: skip
        retention, nordics = (
            CompanyGoal.objects.create(workspace=acme, title=title, target=target)
            for title, target in (
                ("Grow net revenue retention", "115% NRR by the end of next year"),
                ("Lead the Nordic retail market", "25% share of Nordic retail analytics"),
            )
        )
        CompanyGoal.objects.create(workspace=acme, title="Cut customer acquisition cost by 20%")
        Goal.objects.filter(workspace=acme, partnership=None, horizon="1y").update(
            company_goal=nordics
        )
        in_a_year = timezone.localdate() + timedelta(days=365)
        for title, target, horizon, serves in (
            ("Integrations customers keep", "40% of new logos use a partner integration", "1y",
             retention),
            ("Referral motion in three regions", "30 partner referrals a quarter", "1y", None),
            ("The partner program is a third of new business", "33% of new ARR via partners",
             "3y", None),
        ):  # fmt: skip
            Goal.objects.create(
                workspace=acme,
                title=title,
                target=target,
                horizon=horizon,
                due_on=in_a_year if horizon == "1y" else in_a_year + timedelta(days=730),
                owner=users["lead"],
                company_goal=serves,
                visibility="internal",
                created_by=users["lead"],
            )
        stated: dict[str, list[tuple[str, str | None]]] = {
            "Northwind": [
                ("Customers before quota", "Customer first"),
                ("Straight talk", "Candour"),
                ("Speed over polish", None),
            ],
            "Globex": [("Move fast, ship weekly", None), ("Engineering excellence", None)],
        }
        for name, values in stated.items():
            partnership = acme.partnerships.get(name=name)
            for value, match in values:
                Value.objects.create(
                    workspace=acme,
                    partnership=partnership,
                    name=value,
                    matches=ours.get(match) if match else None,
                    created_by=users["pat"] if name == "Northwind" else users["maria"],
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
        leads: dict[int, int] = {}  # per week back: deals won never outnumber leads referred
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
                if title == "Leads referred":
                    leads[back] = value
                elif title == "Deals won":
                    value = min(value, leads[back])
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

    # Northwind's value exchange over the last two quarters, days before this week (this
    # week's figures stay for what people log now): days back, who logs it, direction, kind,
    # what, amount, currency, an estimate, visibility, the other side's answer and its note.
    LEDGER: tuple[tuple[Any, ...], ...] = (
        (3, "pat", "partner", "Lead", "Lead: Fabrikam's retail analytics project", "18000",
         "USD", True, "shared", "confirm", ""),
        (9, "maria", "ours", "Introduction", "Intro to Contoso's head of retail", None, "",
         False, "shared", "confirm", ""),
        (12, "maria", "ours", "Other", "Demo licences for Northwind's two new reps", "1200",
         "USD", False, "internal", "", ""),
        (16, "pat", "partner", "Referral", "Referral: Tailspin Toys", "24000", "EUR", True,
         "shared", "confirm", ""),
        (23, "maria", "ours", "Co-marketing", "Joint webinar on retail dashboards (140 sign-ups)",
         "3500", "USD", False, "shared", "confirm", ""),
        (30, "pat", "partner", "Event", "Booth space at the Retail Analytics Summit, Oslo",
         "45000", "NOK", False, "shared", "", ""),
        (38, "maria", "ours", "Training", "Sales enablement for four Northwind reps", "2400",
         "USD", True, "shared", "confirm", ""),
        (47, "pat", "partner", "Introduction", "Intro to Wide World Importers' CIO", None, "",
         False, "shared", "dispute",
         "This introduction didn't happen: we met their CIO through our own outreach in August."),
        (61, "maria", "ours", "Content", "Co-branded one-pager in English and Swedish", "1800",
         "EUR", False, "shared", "confirm", ""),
        (75, "pat", "partner", "Lead", "Three retail leads from the Stockholm roadshow", "30000",
         "EUR", True, "shared", "confirm", ""),
        (96, "maria", "ours", "Support", "Pre-sales engineer on two Northwind bids", "4200",
         "USD", False, "shared", "confirm", ""),
        (140, "maria", "ours", "Co-marketing", "Our share of the Nordic launch campaign", "5000",
         "USD", False, "shared", "confirm", ""),
    )  # fmt: skip

    # Deals: account, domain, attribution, amount, currency, who adds it (Pat registers), the
    # stages it went through with days ago, the lost reason, next step, owner, close in days.
    DEALS: tuple[tuple[Any, ...], ...] = (
        ("Northwind", "Contoso Retail", "contoso.example", "partner_sourced", "48000", "USD",
         "maria", [("Registered", 70), ("Qualified", 52), ("Proposal", 30), ("Negotiation", 6)],
         "", "Legal review of the order form", "maria", 20),
        ("Northwind", "Fabrikam", "fabrikam.example", "partner_sourced", "32000", "EUR", "pat",
         [("Registered", 40), ("Qualified", 26), ("Proposal", 12)], "",
         "Joint demo with their CFO", "pat", 45),
        ("Northwind", "Tailspin Toys", "tailspintoys.example", "partner_influenced", "27000",
         "USD", "maria", [("Registered", 80), ("Qualified", 44)], "",
         "Waiting for their budget decision", "pat", 10),
        ("Northwind", "Lucerne Publishing", "lucernepublishing.example", "partner_sourced",
         "36000", "USD", "maria",
         [("Registered", 95), ("Qualified", 78), ("Proposal", 50), ("Negotiation", 33),
          ("Won", 19)], "", "", "maria", None),
        ("Northwind", "Margie's Travel", "margiestravel.example", "partner_sourced", "15000",
         "USD", "pat", [("Registered", 160), ("Qualified", 150), ("Proposal", 135), ("Won", 118)],
         "", "", "pat", None),
        ("Northwind", "Wide World Importers", "wideworldimporters.example", "partner_sourced",
         "54000", "USD", "maria", [("Registered", 110), ("Qualified", 90), ("Proposal", 61),
                                   ("Lost", 33)],
         "Chose a competitor's cheaper bundle", "", "maria", None),
        ("Northwind", "Woodgrove Bank", "woodgrovebank.example", "partner_influenced", "80000",
         "EUR", "maria", [("Registered", 21), ("Qualified", 9)], "",
         "Security questionnaire back to their IT team", "maria", 75),
        ("Northwind", "Graphic Design Institute", "graphicdesigninstitute.example",
         "sourced_for_partner", "12500", "USD", "maria", [("Registered", 4)], "",
         "Hand over to Pat for the kick-off call", "pat", 60),
        ("Northwind", "Adventure Works", "adventure-works.example", "partner_sourced", "22000",
         "USD", "pat", [("Registered", 1)], "", "Discovery call booked", "pat", 50),
        ("Globex", "Proseware", "proseware.example", "partner_influenced", "40000", "EUR", "sam",
         [("Registered", 35), ("Qualified", 20), ("Proposal", 8)], "",
         "Connector demo on their data", "sam", 40),
        ("Globex", "Trey Research", "treyresearch.example", "sourced_for_partner", "18000",
         "USD", "sam", [("Registered", 14)], "", "Intro call with Lee", "lee", 90),
    )  # fmt: skip

    def load_exchange(self, acme: Workspace, users: dict[str, User]) -> None:
        """Money (the default base currency, this quarter's rates for EUR and GBP, none for
        NOK so one figure asks for it), Northwind's value exchange both ways over two
        quarters (one entry disputed, one internal, one awaiting an answer), deals at every
        stage with their history (one stalled, one won, one lost, one registration of Pat's
        awaiting a decision), two computed measurables beside the typed ones, and a little
        for Globex. Written through the services, then dated back in bulk."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.core.dates import quarter_of
        from tandem.exchange.ledger import services as ledger
        from tandem.exchange.ledger.models import Entry as LedgerEntry
        from tandem.exchange.ledger.models import Kind
        from tandem.exchange.money import services as money
        from tandem.exchange.pipeline import services as pipeline
        from tandem.exchange.pipeline.models import Opportunity, StageChange
        from tandem.exchange.pipeline.stages import stages_of
        from tandem.scorecard import services as scorecard
        from tandem.scorecard.models import Frequency, Source, period_of

        maria, lead = actor_for(users["maria"]), actor_for(users["lead"])
        now = timezone.now()
        week = period_of(timezone.localdate(now), Frequency.WEEKLY)
        year, quarter = quarter_of(week)
        money.currencies_of(acme.pk)  # the default base (USD), kept
        for currency, rate in (("EUR", "1.08"), ("GBP", "1.27")):
            money.set_rate(
                actor=lead,
                workspace_id=acme.pk,
                currency=currency,
                year=year,
                quarter=quarter,
                rate=rate,
            )
        last_year, last_quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
        money.set_rate(
            actor=lead,
            workspace_id=acme.pk,
            currency="EUR",
            year=last_year,
            quarter=last_quarter,
            rate="1.06",
        )

        partnerships = {
            p.name: p for p in acme.partnerships.filter(name__in=["Northwind", "Globex"])
        }
        partner_side = {"Northwind": "pat", "Globex": "lee"}
        stages = {stage.name: stage for stage in stages_of(acme.pk)}
        for (
            name,
            account,
            domain,
            attribution,
            amount,
            currency,
            by,
            path,
            reason,
            step,
            owner,
            close,
        ) in self.DEALS:
            partnership = partnerships[name]
            values = {
                "account_name": account,
                "account_domain": domain,
                "attribution": attribution,
                "amount": amount,
                "currency": currency,
                "next_step": step,
                "owner": users[owner],
                "expected_close": (now + timedelta(days=close)).date() if close else None,
            }
            if by == partner_side[name]:
                deal = pipeline.register_deal(
                    actor=actor_for(users[by]), partnership=partnership, **values
                )
                if len(path) > 1:  # accepted before it moved on
                    pipeline.decide_registration(
                        deal, actor=maria, version=deal.version, accept=True
                    )
            else:
                deal = pipeline.opportunity_create(
                    actor=actor_for(users[by]), partnership=partnership, **values
                )
            for stage_name, _ in path[1:]:
                stage = stages[stage_name]
                pipeline.move_stage(
                    deal,
                    actor=maria,
                    version=deal.version,
                    stage=stage,
                    lost_reason=reason if stage.outcome == "lost" else "",
                )
            # The history as it happened: each move on its day, the deal made on the first.
            moments = [now - timedelta(days=days, hours=3) for _, days in path]
            for change, moment in zip(
                StageChange.objects.filter(opportunity=deal).order_by("id"), moments, strict=True
            ):
                StageChange.objects.filter(pk=change.pk).update(changed_at=moment)
            closed = moments[-1].date() if deal.stage.is_closed else None
            Opportunity.objects.filter(pk=deal.pk).update(
                created_at=moments[0],
                updated_at=moments[-1],
                stage_entered_at=moments[-1],
                closed_on=closed,
                decided_at=moments[0] + timedelta(hours=20) if deal.decided_at else None,
            )
            if closed is not None:  # the entry a won deal records, on the day it was won
                LedgerEntry.objects.filter(opportunity=deal).update(
                    occurred_on=closed, created_at=moments[-1], updated_at=moments[-1]
                )
                for won in LedgerEntry.objects.filter(opportunity=deal):
                    ledger.entry_answer(
                        won, actor=actor_for(users["pat"]), version=won.version, confirm=True
                    )

        ledger.ensure_kinds(acme.pk)
        kinds = {kind.name: kind for kind in Kind.objects.filter(workspace=acme)}
        plan = [("Northwind", *row) for row in self.LEDGER] + [
            ("Globex", 6, "lee", "partner", "Content", "Connector guide for Acme's customers",
             None, "", False, "shared", "confirm", ""),
            ("Globex", 20, "sam", "ours", "Introduction",
             "Intro to two logistics customers for the connector beta", None, "", False,
             "shared", "confirm", ""),
            ("Globex", 33, "lee", "partner", "Training",
             "Connector training for Acme's solution engineers", "2000", "EUR", False, "shared",
             "", ""),
        ]  # fmt: skip
        answerers = {"Northwind": ("maria", "pat"), "Globex": ("sam", "lee")}
        for (
            name,
            back,
            by,
            direction,
            kind,
            title,
            amount,
            currency,
            estimate,
            visibility,
            answer,
            note,
        ) in plan:
            day = week - timedelta(days=back)
            entry = ledger.entry_create(
                actor=actor_for(users[by]),
                partnership=partnerships[name],
                kind=kinds[kind],
                direction=direction,
                occurred_on=day,
                title=title,
                amount=amount,
                currency=currency,
                estimated=estimate,
                visibility=visibility,
            )
            if answer:
                member, partner = answerers[name]
                ledger.entry_answer(
                    entry,
                    actor=actor_for(users[partner if by == member else member]),
                    version=entry.version,
                    confirm=answer == "confirm",
                    note=note,
                )
            moment = now - timedelta(days=(now.date() - day).days - 1, hours=2)
            LedgerEntry.objects.filter(pk=entry.pk).update(
                created_at=moment,
                updated_at=moment,
                confirmed_at=moment + timedelta(days=2) if answer else None,
            )

        northwind = partnerships["Northwind"]
        for title, source, frequency, goal, owner in (
            ("Value received from Northwind", Source.VALUE_RECEIVED, Frequency.WEEKLY, "10000",
             "pat"),
            ("Deals won in the pipeline", Source.WON_COUNT, Frequency.MONTHLY, "1", "maria"),
        ):  # fmt: skip
            scorecard.measurable_create(
                actor=maria,
                partnership=northwind,
                title=title,
                owner=users[owner],
                comparator="gte",
                goal=goal,
                frequency=frequency,
                source=source,
            )

    def load_ideas(self, acme: Workspace, users: dict[str, User]) -> None:
        """Northwind's backlog: a tactical and a strategic group with an owner each, two ideas
        committed (the limit is 3), one already turned into a to-do; and the program's own."""
        from tandem.core.scope import Program
        from tandem.ideas import services as ideas

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

        from tandem.meetings.schedule.services import schedule_save

        plans: tuple[tuple[str, int, time, str, dict[str, Any]], ...] = (
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

    # Due diligence: scores for credibility, reputation, strategic alignment, value potential
    # and resources available (the defaults), with the evidence behind each, and a decision.
    DILIGENCE: dict[str, dict[str, Any]] = {
        "Northwind": {
            "by": "maria",
            "scores": [
                (5, "Nordic reseller of the year twice; three of their clients gave references."),
                (4, "Well known in retail; one complaint about slow support in 2023, resolved."),
                (5, "Same retail and logistics customers; they drop a competing dashboard."),
                (4, "Pipeline of 14 accounts they would bring; about $400k in year one."),
                (3, "Two sales reps and a solutions engineer named; certification pending."),
            ],
            "decision": "go",
            "rationale": "Strong fit in our best segment, with references to back it. Go, on"
            " condition they certify two people in the first quarter.",
        },
        "Globex": {
            "by": "sam",
            "scores": [
                (4, "Public company, audited accounts; integration partners speak well of them."),
                (5, "Analyst reports rank their connectors first for data quality."),
                (5, "Their customers ask for dashboards; ours ask for their data."),
                (4, "Marketplace listing reaches 3,000 of their customers."),
                (3, "One integration engineer for six months; we match with one of ours."),
            ],
            "decision": "go",
            "rationale": "A technology partnership both product teams want. Go for a connector"
            " beta in Q1.",
        },
        "Hooli Partners": {
            "by": "maria",
            "scores": [
                (3, "Reseller for five years; references mixed on delivery times."),
                (4, "Recognised name in DACH."),
                (3, "Mid-market focus overlaps half of our segment."),
                (4, "Could open 20 DACH accounts."),
                (2, "Sales team is being reorganised; one person for now."),
            ],
            "decision": "go",
            "rationale": "Worth a tactical try for DACH. Review at the first quarterly.",
        },
        "Initrode Media": {
            "by": "sam",
            "scores": [
                (3, "Small agency; two campaigns delivered for similar vendors."),
                (3, "Known locally, not beyond."),
                (2, "Marketing audience, not our buyers."),
                (4, "Cheap to test: two co-marketing campaigns."),
                (3, "A campaign manager part-time."),
            ],
            "decision": "go",
            "rationale": "A pilot only: two campaigns, then decide whether to continue.",
        },
    }

    def decide_diligence(self, partnership: Any, users: dict[str, User]) -> None:
        from tandem.relationship.diligence import services as diligence

        plan = self.DILIGENCE[partnership.name]
        actor = actor_for(users[plan["by"]])
        assessment = diligence.assessment_start(actor=actor, partnership=partnership)
        rows = list(assessment.scores.all())
        diligence.assessment_save(
            assessment,
            actor=actor,
            version=assessment.version,
            scores={
                row.pk: {"score": score, "evidence": evidence}
                for row, (score, evidence) in zip(rows, plan["scores"], strict=True)
            },
            decision=plan["decision"],
            rationale=plan["rationale"],
        )

    def load_diligence(self, acme: Workspace, users: dict[str, User]) -> None:
        """Umbrella: a no-go two months ago, and a re-assessment under way now that they
        hired; Stark Cloud is a prospect nobody has assessed yet."""
        from datetime import timedelta

        from django.utils import timezone

        from tandem.relationship.diligence import services as diligence
        from tandem.relationship.diligence.models import Assessment

        umbrella = acme.partnerships.get(name="Umbrella Consulting")
        maria = actor_for(users["maria"])
        first = diligence.assessment_start(actor=maria, partnership=umbrella)
        rows = list(first.scores.all())
        earlier = [
            (4, "Implementation partner for 40 analytics projects; references solid."),
            (4, "Respected among data teams."),
            (2, "They implement; they rarely refer. Referral is not their motion."),
            (3, "Maybe 5 referrals a year."),
            (1, "Nobody on their side could own the partnership this year."),
        ]
        diligence.assessment_save(
            first,
            actor=maria,
            version=first.version,
            scores={
                row.pk: {"score": score, "evidence": evidence}
                for row, (score, evidence) in zip(rows, earlier, strict=True)
            },
            decision="no_go",
            rationale="Credible, but nobody on their side can own a referral partnership this"
            " year. Revisit when they have a partner manager.",
        )
        back = timezone.now() - timedelta(days=61)
        Assessment.objects.filter(pk=first.pk).update(created_at=back, decided_at=back)
        again = diligence.assessment_start(actor=actor_for(users["lead"]), partnership=umbrella)
        rows = list(again.scores.all())
        diligence.assessment_score(
            again,
            actor=actor_for(users["lead"]),
            version=again.version,
            scores={
                rows[0].pk: {"score": 4, "evidence": "Same references as before; still good."},
                rows[1].pk: {"score": 4, "evidence": ""},
                rows[4].pk: {"score": 3, "evidence": "They hired a partner manager in October."},
            },
        )
