"""Every page and every API operation, tried as every kind of user.

Routes come from the URL resolver and the OpenAPI schema, never from a list here: a new page
joins this test by itself, and one without a declared access level fails it. Each request
runs in a savepoint that is rolled back, so a POST that archives or removes something does
not change what the next person sees.

The rule, per declared level (see tandem.core.decorators.LEVELS):
- anonymous: pages redirect to sign-in, the API answers 401; public pages answer.
- not allowed at the level: 403 (member/admin pages for partner-side people, manage pages
  for a partner-side person who can see the partnership).
- an object that is not theirs (another workspace, another partnership, an internal item):
  404, exactly as if it did not exist.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.decorators import LEVELS
from tandem.meetings.calendar.services import feed_reset
from tests.conftest import World, client_for

PERIOD = "2026-11-02"  # a Monday: a period of the weekly measurables
PERSONAS = ["anonymous", "lena", "maria", "pat", "lee", "olga"]
ALLOWED = {200, 201, 204, 302, 400, 405, 409, 422}


def _walk(patterns: list[Any], prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern))
        else:
            yield prefix + str(entry.pattern), entry


def page_routes() -> list[tuple[str, URLPattern]]:
    routes = []
    for route, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if module.startswith(("ninja", "allauth", "django.")) or route.startswith("api/"):
            continue  # the API is enumerated from its schema; allauth flows are tested below
        routes.append((route, pattern))
    return routes


def test_every_page_declares_its_access_level() -> None:
    missing = [
        route
        for route, pattern in page_routes()
        if getattr(pattern.callback, "access_level", None) not in LEVELS
    ]
    assert not missing, f"Pages without an access level: {missing}"


class Lazy(Mapping[str, Any]):
    """A mapping whose values are made on first read: a route names one or two keywords,
    and making every keyword's object for each of hundreds of routes was most of these
    tests' time."""

    def __init__(self, makers: dict[str, Callable[[], Any]]) -> None:
        self._makers = makers
        self._made: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._made:
            self._made[key] = self._makers[key]()
        return self._made[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._makers)

    def __len__(self) -> int:
        return len(self._makers)


def _made(world: World) -> Any:
    """The helpers below, each run at most once for this world."""

    class Made:
        pass

    made = Made()
    for maker in (
        _meeting, _diligence, _seats, _way, _exchange, _values, _relationship, _promises,
        _webhooks, _chat_channel, _sso_provider, _notifications, _import_job,
    ):  # fmt: skip
        setattr(made, maker.__name__.lstrip("_"), functools.cache(functools.partial(maker, world)))
    return made


def _reachable(world: World) -> Lazy:
    """For each URL keyword, the object used and who may reach it (made when read)."""
    members = {"lena", "maria"}
    northwind_side = members | {"pat"}
    made = _made(world)
    return Lazy(
        {
            "partnership_id": lambda: {
                "*": (world.northwind.pk, northwind_side),
                # The workspace's due diligence criteria live at the program level only.
                "criterion_create": (world.northwind.pk, set()),
                "criteria_defaults": (world.northwind.pk, set()),
                # So do the ledger's kinds, its portfolio and the money settings (issue 15).
                "kind_list": (world.northwind.pk, set()),
                "value_portfolio": (world.northwind.pk, set()),
                "money_settings": (world.northwind.pk, set()),
                "money_base": (world.northwind.pk, set()),
                "money_rate": (world.northwind.pk, set()),
            },
            "kind": lambda: {"*": ("notes", set(PERSONAS))},
            "item_id": lambda: {"*": (world.internal_note.pk, members)},
            "todo_id": lambda: {"*": (world.internal_todo.pk, members)},
            "rock_id": lambda: {"*": (world.internal_rock.pk, members)},
            "milestone_id": lambda: {"*": (world.internal_milestone.pk, members)},
            "idea_id": lambda: {"*": (world.internal_idea.pk, members)},
            "issue_id": lambda: {"*": (world.internal_issue.pk, members)},
            "goal_id": lambda: {"*": (world.internal_goal.pk, members)},
            "measurable_id": lambda: {"*": (world.internal_measurable.pk, members)},
            "period": lambda: {"*": (PERIOD, set(PERSONAS))},
            "notification_id": lambda: {"*": (made.notifications(), {"lena"})},
            "access_id": lambda: {"*": (world.northwind.partner_accesses.get().pk, members)},
            "invitation_id": lambda: {
                "partner_invitation_revoke": (world.partner_invitation.pk, members),
                "invitation_revoke": (world.member_invitation.pk, members),
            },
            "membership_id": lambda: {"*": (world.maria_membership.pk, members)},
            "workspace_id": lambda: {"*": (world.acme.pk, members)},
            "token_id": lambda: {"*": (None, {"lena"})},
            "token": lambda: {"*": ("not-a-valid-token", set())},
            # Someone of Acme's (Pat, on the partner side): Acme's members see their rocks.
            "user_id": lambda: {
                "*": (world.pat.pk, members),
                # Pat is expected at Northwind's meeting: both sides reach the action.
                "meeting_absent": (world.pat.pk, northwind_side),
            },
            "meeting_id": lambda: {"*": (made.meeting()[0].pk, northwind_side)},
            "headline_id": lambda: {"*": (made.meeting()[1].pk, members)},
            "value_id": lambda: {"*": (made.values()["internal"].pk, members)},
            "company_goal_id": lambda: {"*": (made.values()["company_goal"].pk, members)},
            "ask_id": lambda: {"*": (made.relationship()["internal_ask"], members)},
            "checkin_id": lambda: {"*": (made.relationship()["internal_checkin"], members)},
            "commitment_id": lambda: {"*": (made.promises()["internal_commitment"], members)},
            "review_id": lambda: {"*": (made.promises()["internal_review"], members)},
            "plan_entry_id": lambda: {"*": (made.promises()["internal_entry"], members)},
            # A workspace-level criterion: reached at the program level (PROGRAM_KEYWORDS).
            "criterion_id": lambda: {"*": (made.diligence()[0].pk, set())},
            "assessment_id": lambda: {"*": (made.diligence()[1].pk, members)},
            "seat_id": lambda: {"*": (made.seats()[0].pk, members)},
            # The Way's processes and steps are the workspace's: members edit them from any of
            # its scopes; a step is ticked in a partnership (see the variants for the shared one).
            "process_id": lambda: {"*": (made.way()["internal_process"].pk, members)},
            "step_id": lambda: {"*": (made.way()["internal_step"].pk, members)},
            # Issue 15: our internal deal and ledger entry (members only; the shared ones are
            # variants below); the workspace's pipeline stages and ledger kinds (members).
            "opportunity_id": lambda: {"*": (made.exchange()["internal_opportunity"].pk, members)},
            "entry_id": lambda: {"*": (made.exchange()["internal_entry"].pk, members)},
            "stage_id": lambda: {"*": (made.exchange()["stage"].pk, members)},
            # A workspace-level kind: reached at the program level (PROGRAM_KEYWORDS).
            "kind_id": lambda: {"*": (made.exchange()["kind"].pk, set())},
            # Issue 17: an import of Acme's: its pages are the workspace members' (Olga: 404).
            "job_id": lambda: {"*": (made.import_job(), members)},
            # Issue 18: Acme's webhook endpoint and a delivery (owners and admins), and Pat's own
            # endpoint for Northwind with its delivery (Pat alone).
            "endpoint_id": lambda: {
                "*": (made.webhooks()["endpoint"].pk, members),
                **{
                    name: (made.webhooks()["pats_endpoint"].pk, {"pat"})
                    for name in PARTNER_WEBHOOK_PAGES
                },
            },
            "delivery_id": lambda: {
                "*": (made.webhooks()["delivery"].pk, members),
                "partner_webhook_redeliver": (made.webhooks()["pats_delivery"].pk, {"pat"}),
            },
            # Issue 18: Northwind's chat channel: its workspace's members only (its address is
            # their secret; Pat is refused at the level, 403).
            "chat_channel_id": lambda: {"*": (made.chat_channel().pk, members)},
            # Acme's own identity provider: its owners and admins (Maria is refused at the
            # level, 403; Olga's workspace has no such provider, 404).
            "provider_id": lambda: {"*": (made.sso_provider().pk, members)},
        }
    )


def _relationship(world: World) -> dict[str, int]:
    """Northwind's asks (an internal one of ours, a shared one Pat made) and check-ins."""
    from tandem.relationship.asks.models import Ask
    from tandem.relationship.checkins.models import CheckIn

    common = {"workspace": world.acme, "partnership": world.northwind}
    internal_ask, _ = Ask.objects.get_or_create(
        title="Ask for exclusivity at the QBR",
        defaults={**common, "side": "ours", "visibility": Visibility.INTERNAL},
    )
    shared_ask, _ = Ask.objects.get_or_create(
        title="Demo licences for new reps",
        defaults={**common, "side": "partner", "owner": world.maria, "created_by": world.pat},
    )
    internal_checkin, _ = CheckIn.objects.get_or_create(
        title="Dinner with their CEO",
        defaults={**common, "held_on": PERIOD, "visibility": Visibility.INTERNAL},
    )
    shared_checkin, _ = CheckIn.objects.get_or_create(
        title="November check-in", defaults={**common, "held_on": PERIOD}
    )
    return {
        "internal_ask": internal_ask.pk,
        "shared_ask": shared_ask.pk,
        "internal_checkin": internal_checkin.pk,
        "shared_checkin": shared_checkin.pk,
    }


def _values(world: World) -> dict[str, Any]:
    """Acme's program value and company goal, and Northwind's internal and shared values."""
    from tandem.vision.models import CompanyGoal, Value

    acme = world.acme
    ours, _ = Value.objects.get_or_create(workspace=acme, partnership=None, name="Candour")
    found = {
        "ours": ours,
        "company_goal": CompanyGoal.objects.get_or_create(
            workspace=acme, partnership=None, title="Grow retention"
        )[0],
    }
    for key, visibility in (("internal", Visibility.INTERNAL), ("shared", Visibility.SHARED)):
        found[key] = Value.objects.get_or_create(
            workspace=acme,
            partnership=world.northwind,
            name=f"{key} value",
            defaults={"visibility": visibility, "matches": ours},
        )[0]
    # A program value Acme keeps to itself, which one of Northwind's values matches all the
    # same (a member linked them): the partner side must not learn of it.
    found["ours_internal"] = Value.objects.get_or_create(
        workspace=acme,
        partnership=None,
        name="Walk away early",
        defaults={"visibility": Visibility.INTERNAL},
    )[0]
    found["matches_internal"] = Value.objects.get_or_create(
        workspace=acme,
        partnership=world.northwind,
        name="Know when to stop",
        defaults={"visibility": Visibility.SHARED, "matches": found["ours_internal"]},
    )[0]
    return found


def _promises(world: World) -> dict[str, int]:
    """Northwind's commitments and communication plan entries: an internal one of each
    (members only) and a shared one (the partner's side, so Pat may change it too)."""
    from tandem.relationship.commitments.models import Commitment, CommitmentReview
    from tandem.relationship.communication.models import PlanEntry

    found: dict[str, int] = {}
    for visibility in (Visibility.INTERNAL, Visibility.SHARED):
        commitment, _ = Commitment.objects.get_or_create(
            workspace=world.acme,
            partnership=world.northwind,
            visibility=visibility,
            defaults={
                "side": "ours" if visibility == Visibility.INTERNAL else "partner",
                "description": f"{visibility} promise",
                "target": "2 joint webinars",
            },
        )
        entry, _ = PlanEntry.objects.get_or_create(
            workspace=world.acme,
            partnership=world.northwind,
            visibility=visibility,
            defaults={"topic": f"{visibility} updates", "starts_on": "2026-11-02"},
        )
        review, _ = CommitmentReview.objects.get_or_create(
            commitment=commitment, period_start=date(2026, 11, 1), defaults={"kept": True}
        )
        found[f"{visibility}_commitment"] = commitment.pk
        found[f"{visibility}_review"] = review.pk
        found[f"{visibility}_entry"] = entry.pk
    return found


def _import_job(world: World) -> int:
    """An import of Acme's (issue 17): a file uploaded, not yet mapped; imports are the
    workspace members' own (partner-side people are told they are not there)."""
    from tandem.transfer.imports.models import ImportJob

    job, _ = ImportJob.objects.get_or_create(
        workspace=world.acme,
        source="Access walk",
        defaults={
            "partnership": world.northwind, "created_by": world.maria, "target": "contacts",
            "filename": "contacts.csv", "stored_as": "gone.csv", "encoding": "utf-8",
            "delimiter": ",", "header": ["Name", "Email"],
        },
    )  # fmt: skip
    return job.pk


PARTNER_WEBHOOK_PAGES = [
    f"partner_webhook_{name}" for name in ("edit", "switch", "delete", "deliveries", "redeliver")
]


def _webhooks(world: World) -> dict[str, Any]:
    """Acme's webhook endpoint (Lena registered it) and Pat's own for Northwind (issue 18),
    each with a delivery that was sent once (the same ones however often it is asked)."""
    from tandem.integrations.webhooks.models import Delivery, Endpoint

    found: dict[str, Any] = {}
    for key, partnership, who in (
        ("endpoint", None, world.lena),
        ("pats_endpoint", world.northwind, world.pat),
    ):
        endpoint, _ = Endpoint.objects.get_or_create(
            workspace=world.acme, partnership=partnership, created_by=who,
            defaults={"url": "https://hooks.example/in", "secret": "whsec_c2VjcmV0",
                      "events": ["todo.created"]},
        )  # fmt: skip
        found[key] = endpoint
        found[key.replace("endpoint", "delivery")] = Delivery.objects.get_or_create(
            endpoint=endpoint,
            defaults={
                "event_id": f"msg_access_{key}", "event_type": "todo.created",
                "item_model": "traction.todo", "item_id": world.shared_todo.pk,
                "payload": {}, "status": "succeeded", "attempts": 1, "tries": 1,
            },
        )[0]  # fmt: skip
    return found


def _chat_channel(world: World) -> Any:
    """Northwind's Slack channel (issue 18), Maria's; its address refuses connections at
    once, so a test message sent by the walk is answered without waiting (the same one
    however often it is asked)."""
    from tandem.integrations.chat.models import ChatChannel

    return ChatChannel.objects.get_or_create(
        partnership=world.northwind,
        defaults={"workspace": world.acme, "kind": "slack", "created_by": world.maria,
                  "url": "http://127.0.0.1:9/chat-access-test"},
    )[0]  # fmt: skip


def _sso_provider(world: World) -> Any:
    """Acme's own OpenID Connect provider for acme.example, its rows written directly (no
    discovery document to fetch; the same one however often it is asked)."""
    from allauth.socialaccount.models import SocialApp

    from tandem.integrations.sso.models import EmailDomain, IdentityProvider

    app, _ = SocialApp.objects.get_or_create(
        provider="openid_connect", provider_id="acme-access",
        defaults={"name": "Acme login", "client_id": "tandem", "secret": "s3cret",
                  "settings": {"server_url": "https://login.acme.example"}},
    )  # fmt: skip
    provider, _ = IdentityProvider.objects.get_or_create(
        app=app, defaults={"workspace": world.acme, "created_by": world.lena}
    )
    EmailDomain.objects.get_or_create(
        provider=provider, workspace=world.acme, domain="acme.example"
    )
    return provider


def _exchange(world: World) -> dict[str, Any]:
    """Northwind's deals and value exchange ledger (issue 15): an internal deal of ours and a
    shared one Pat registered, each with its stage history; an internal ledger entry of ours
    and a shared one Pat logged; Acme's stages and ledger kinds (the same ones however often
    it is asked)."""
    from tandem.exchange.ledger.models import Entry, Kind
    from tandem.exchange.ledger.services import ensure_kinds
    from tandem.exchange.pipeline.models import Opportunity, Registration, StageChange
    from tandem.exchange.pipeline.stages import stages_of

    stages = stages_of(world.acme.pk)
    qualified = next(stage for stage in stages if stage.name == "Qualified")
    ensure_kinds(world.acme.pk)
    kind = Kind.objects.filter(workspace=world.acme).order_by("position", "id").first()
    common = {"workspace": world.acme, "partnership": world.northwind}
    found: dict[str, Any] = {"stage": qualified, "kind": kind}
    for name, visibility, owner in (
        ("internal", Visibility.INTERNAL, world.maria),
        ("shared", Visibility.SHARED, world.pat),
    ):
        deal, made = Opportunity.objects.get_or_create(
            account_key=f"{name}-deal.example",
            defaults={
                **common, "visibility": visibility, "account_name": f"The {name} deal account",
                "account_domain": f"{name}-deal.example", "stage": qualified,
                "amount": "1200.00", "currency": "EUR", "owner": owner,
                "expected_close": date(2026, 12, 15), "next_step": f"Call the {name} buyer",
                "registration": Registration.ACCEPTED if name == "shared" else "",
            },
        )  # fmt: skip
        if made:
            StageChange.objects.create(
                opportunity=deal, workspace=world.acme, to_stage=qualified, changed_by=world.maria
            )
        found[f"{name}_opportunity"] = deal
        found[f"{name}_entry"] = Entry.objects.get_or_create(
            title=f"The {name} introduction we logged",
            defaults={
                **common, "visibility": visibility, "kind": kind, "occurred_on": PERIOD,
                "direction": "ours" if name == "internal" else "partner",
                "logged_by_side": "ours" if name == "internal" else "partner",
                "amount": "300.00", "currency": "EUR", "owner": owner,
                "notes": f"What the {name} introduction brought",
            },
        )[0]  # fmt: skip
    return found


# Keywords of workspace-level objects, reached under /partnerships/program/…: by whom.
PROGRAM_KEYWORDS = {"criterion_id": {"lena", "maria"}, "kind_id": {"lena", "maria"}}


def _diligence(world: World) -> tuple[Any, Any]:
    """Acme's first due diligence criterion and an open assessment of Northwind (the same
    ones however often it is asked)."""
    from tandem.relationship.diligence import services

    lena = world.actor(world.lena)
    criterion = services.criteria_defaults(actor=lena, workspace_id=world.acme.pk)[0]
    assessment = services.open_assessment(world.northwind) or services.assessment_start(
        actor=lena, partnership=world.northwind
    )
    return criterion, assessment


def _seats(world: World) -> tuple[Any, Any]:
    """Northwind's seats: an internal one of ours and a shared one on the partner side."""
    from tandem.relationship.people.models import Seat

    internal, shared = (
        Seat.objects.create(
            workspace=world.acme, partnership=world.northwind, side=side, role=role,
            visibility=visibility,
        )
        for side, role, visibility in (
            ("ours", "Pricing hawk", Visibility.INTERNAL),
            ("partner", "Partner champion", Visibility.SHARED),
        )
    )  # fmt: skip
    return internal, shared


def _way(world: World) -> dict[str, Any]:
    """Acme's Way: a shared process and an internal one, a step each."""
    from tandem.relationship.way.models import Process, Step

    found: dict[str, Any] = {}
    for name, visibility in (("shared", Visibility.SHARED), ("internal", Visibility.INTERNAL)):
        process = Process.objects.create(
            workspace=world.acme, name=f"{name.title()} process", visibility=visibility
        )
        found[f"{name}_process"] = process
        found[f"{name}_step"] = Step.objects.create(
            workspace=world.acme, process=process, title=f"{name.title()} step"
        )
    return found


def _meeting(world: World) -> tuple[Any, Any, Any]:
    """A running meeting of Northwind's, with an internal and a shared headline."""
    from tandem.meetings.models import Headline, Meeting

    meeting = Meeting.objects.create(
        workspace=world.acme,
        partnership=world.northwind,
        facilitator=world.maria,
        timeboxes=[["segue", 5], ["conclusion", 5]],
    )
    internal, shared = (
        Headline.objects.create(
            workspace=world.acme,
            partnership=world.northwind,
            meeting=meeting,
            kind="good_news",
            text=text,
            visibility=visibility,
        )
        for text, visibility in (("Ours", Visibility.INTERNAL), ("Both", Visibility.SHARED))
    )
    return meeting, internal, shared


def expected_page(
    level: str, persona: str, url_name: str, blocked: bool, program: bool = False
) -> int | str:
    if url_name in {"sso_start", "sso_signed_out"}:
        # "Sign in with your company" and the way out to the company's sign-out belong to the
        # sign-in page: without a work address (a signed address to go on to) they send
        # anyone back there; the first is POST-only (GET is 405).
        return "back to sign-in"
    if persona == "anonymous":
        return "allowed-or-404" if level == "public" else "login"
    if program:
        # The program level: each workspace member reaches their own; nobody else.
        return 404 if blocked or persona in {"pat", "lee"} else "allowed"
    if level == "member" and persona in {"pat", "lee"}:
        return 403
    if level == "admin" and persona in {"maria", "pat", "lee"}:
        return 403
    if level.startswith("partnership"):
        if persona not in {"lena", "maria", "pat"}:
            return 404
        if level == "partnership_manage" and persona == "pat":
            return 403
    return 404 if blocked else "allowed"


def _check(status: int, location: str, expectation: int | str, method: str) -> bool:
    if expectation == 404 and method == "get":
        # A POST-only action answers GET with 405 whoever asks: that tells nothing.
        return status in {404, 405}
    if expectation == "login":
        return status == 302 and "/accounts/login/" in location
    if expectation == "back to sign-in":
        return (status, location) == (302, "/accounts/login/") or (status, method) == (405, "get")
    if expectation == "allowed":
        return status in ALLOWED and "/accounts/login/" not in location
    if expectation == "allowed-or-404":
        return status in ALLOWED | {404}
    return status == expectation


def _request(client: Client, method: str, url: str, **kwargs: Any) -> Any:
    with transaction.atomic():
        response = getattr(client, method)(url, **kwargs)
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize("route", [route for route, _ in page_routes()])
def test_page_access(world: World, route: str) -> None:
    from tandem.relationship.way.models import Step

    pattern = dict(page_routes())[route]
    level = pattern.callback.access_level
    url_name = pattern.name or ""
    token, _secret = token_create(user=world.lena, name="Access test")
    reachable = _reachable(world)
    reachable["token_id"]["*"] = (token.pk, {"lena"})
    # Pat's calendar address: public, so anyone holding it reaches it.
    reachable["token"]["calendar_feed"] = (feed_reset(user=world.pat)[1], set(PERSONAS))
    variants: list[dict[str, Any]] = [{}]
    # The URL's keywords, those of an include()'s prefix (partnership_id) too.
    converters = re.findall(r"<(?:\w+:)?(\w+)>", route)
    for name in converters:
        reachable[name]  # made before the variants below look for what it made
    if "todo_id" in converters:
        variants = [
            {},  # the internal to-do: members only
            {"todo_id": (world.shared_todo.pk, {"lena", "maria", "pat"})},
        ]
    if "rock_id" in converters:
        northwind_side = {"lena", "maria", "pat"}
        variants = [
            {},  # the internal rock and its milestone: members only
            {
                "rock_id": (world.shared_rock.pk, northwind_side),
                "milestone_id": (world.shared_milestone.pk, northwind_side),
            },
            # A shared rock with another rock's milestone: nobody reaches it.
            {
                "rock_id": (world.shared_rock.pk, northwind_side),
                "milestone_id": (world.internal_milestone.pk, set()),
            },
        ]
    if "idea_id" in converters:
        variants = [
            {},  # the internal idea: members only
            {"idea_id": (world.shared_idea.pk, {"lena", "maria", "pat"})},
        ]
    if "goal_id" in converters:
        variants = [
            {},  # the internal goal: members only
            {"goal_id": (world.shared_goal.pk, {"lena", "maria", "pat"})},
        ]
    if "issue_id" in converters:
        variants = [
            {},  # the internal issue: members only
            {"issue_id": (world.shared_issue.pk, {"lena", "maria", "pat"})},
        ]
    if "value_id" in converters:
        variants = [
            {},  # the internal value: members only
            {"value_id": (_values(world)["shared"].pk, {"lena", "maria", "pat"})},
        ]
    if "commitment_id" in converters:
        variants = [
            {},  # the internal commitment: members only
            {
                "commitment_id": (
                    _promises(world)["shared_commitment"],
                    {"lena", "maria", "pat"},
                ),
                "review_id": (_promises(world)["shared_review"], {"lena", "maria", "pat"}),
            },
        ]
    if "plan_entry_id" in converters:
        variants = [
            {},  # the internal plan entry: members only
            {"plan_entry_id": (_promises(world)["shared_entry"], {"lena", "maria", "pat"})},
        ]
    if "headline_id" in converters:
        variants = [
            {},  # the internal headline: members only
            {"headline_id": (_meeting_headline(world), {"lena", "maria", "pat"})},
        ]
    if "ask_id" in converters:
        variants = [
            {},  # our internal ask: members only
            {"ask_id": (_relationship(world)["shared_ask"], {"lena", "maria", "pat"})},
        ]
    if "checkin_id" in converters:
        variants = [
            {},  # the internal dinner: members only
            {"checkin_id": (_relationship(world)["shared_checkin"], {"lena", "maria", "pat"})},
        ]
    if "seat_id" in converters:
        variants = [
            {},  # our internal seat: members only
            {"seat_id": (_shared_seat(world), {"lena", "maria", "pat"})},
        ]
    if url_name == "way_step_check":
        variants = [
            {},  # a step of the internal process: members only
            {"step_id": (Step.objects.get(title="Shared step").pk, {"lena", "maria", "pat"})},
        ]
    if "opportunity_id" in converters:
        variants = [
            {},  # our internal deal: members only
            {
                "opportunity_id": (
                    _exchange(world)["shared_opportunity"].pk,
                    {"lena", "maria", "pat"},
                )
            },
        ]
    if "entry_id" in converters:
        variants = [
            {},  # our internal ledger entry: members only
            {"entry_id": (_exchange(world)["shared_entry"].pk, {"lena", "maria", "pat"})},
        ]
    if "measurable_id" in converters:
        variants = [
            {},  # the internal measurable: members only
            {"measurable_id": (world.shared_measurable.pk, {"lena", "maria", "pat"})},
        ]
    if "period" in converters:
        # Not a period of the measurable (a Tuesday): nobody reaches it.
        variants.append(
            {"measurable_id": (world.shared_measurable.pk, set()), "period": ("2026-11-03", set())}
        )
    if "item_id" in converters:
        # The internal note (members only) and the shared one (Pat too), as notes and
        # contacts; and Globex's note under Northwind's URL, which nobody reaches.
        variants = [
            {"kind": "notes", "item_id": (world.internal_note.pk, {"lena", "maria"})},
            {"kind": "notes", "item_id": (world.shared_note.pk, {"lena", "maria", "pat"})},
            {"kind": "contacts", "item_id": (world.internal_contact.pk, {"lena", "maria"})},
            {"kind": "contacts", "item_id": (world.shared_contact.pk, {"lena", "maria", "pat"})},
            {"kind": "notes", "item_id": (world.globex.pk and _globex_note(world), set())},
        ]
    if "partnership_id" in converters:
        # The same page at the program level: members of each workspace reach their own
        # program (Northwind's items are not in it) if the page serves the program level;
        # nobody reaches it otherwise.
        program_side = {"lena", "maria", "olga"} if pattern.callback.program_level else set()
        program_variant: dict[str, Any] = {"partnership_id": ("program", program_side)}
        for name in converters:
            if name not in {"partnership_id", "kind"}:
                value, _who = reachable[name].get(url_name, reachable[name].get("*"))
                # The Way's processes and steps live at the program level: its members
                # reach them there (ticking a step is for partnerships only).
                at_program = name in {"process_id", "step_id"} and url_name != "way_step_check"
                who = {"lena", "maria"} if at_program else PROGRAM_KEYWORDS.get(name, set())
                program_variant[name] = (value, who)
        variants = [*variants, program_variant]
    failures = []
    for variant in variants:
        kwargs: dict[str, Any] = {}
        blocked_for: set[str] = set()
        for name in converters:
            if name in variant and isinstance(variant[name], tuple):
                value, who = variant[name]
            elif name in variant:
                value, who = variant[name], set(PERSONAS)
            else:
                options = reachable[name]
                value, who = options.get(url_name, options.get("*"))
            kwargs[name] = value
            blocked_for |= set(PERSONAS) - who
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m, kw=kwargs: str(kw[m.group(1)]), route)
        for persona in PERSONAS:
            user = None if persona == "anonymous" else getattr(world, persona)
            client = client_for(user)
            expectation = expected_page(
                level,
                persona,
                url_name,
                persona in blocked_for,
                program=kwargs.get("partnership_id") == "program",
            )
            for method in ("get", "post"):
                response = _request(client, method, url)
                location = response.get("Location", "")
                if not _check(response.status_code, location, expectation, method):
                    failures.append(
                        f"{method.upper()} {url} as {persona}: got {response.status_code}"
                        f" {location}, expected {expectation} (level {level})"
                    )
    assert not failures, "\n".join(failures)


def _meeting_headline(world: World) -> int:
    from tandem.meetings.models import Headline

    return Headline.objects.get(text="Both").pk


def _shared_seat(world: World) -> int:
    from tandem.relationship.people.models import Seat

    return Seat.objects.get(role="Partner champion", partnership=world.northwind).pk


def _globex_note(world: World) -> int:
    from tandem.partners.models import Note

    return Note.objects.filter(partnership=world.globex).values_list("pk", flat=True).first()


# --- The API --------------------------------------------------------------------------------


def api_operations() -> list[tuple[str, str, dict[str, Any]]]:
    from tandem.api.api import api

    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations.append((method, path, operation))
    return operations


def test_every_api_operation_declares_its_access_level() -> None:
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in api_operations()
        if operation.get("x-access") not in LEVELS
    ]
    assert not missing, f"API operations without x-access: {missing}"


def _example_body(operation: dict[str, Any]) -> dict[str, Any] | None:
    """The smallest valid body for an operation, built from its schema."""
    from tandem.api.api import api

    content = operation.get("requestBody", {}).get("content", {}).get("application/json")
    if not content:
        return None
    schema = content["schema"]
    components = api.get_openapi_schema()["components"]["schemas"]
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return {
        name: _example_value(name, schema["properties"][name])
        for name in schema.get("required", [])
    }


def _example_value(name: str, spec: dict[str, Any]) -> Any:
    """A valid value for a field or parameter, from its schema."""
    if name == "email":
        return "someone.new@example.com"
    if "enum" in spec:
        return spec["enum"][-1]
    if spec.get("format") == "date":
        return "2026-12-01"
    if spec.get("type") == "integer":
        return 1
    if spec.get("type") == "boolean":
        return True
    if spec.get("type") == "array":  # e.g. an identity provider's e-mail domains
        return [_example_value(name, spec.get("items", {}))]
    return "Example"


def expected_api(level: str, persona: str, path: str) -> int | str:
    if persona == "anonymous":
        return 401
    if path.startswith("/api/partnerships/") and "/webhooks/{endpoint_id}" in path:
        return "allowed" if persona == "pat" else 404  # Pat's own endpoint (issue 18)
    if "{notification_id}" in path:  # Lena's own: nobody else's, as if it did not exist
        return "allowed" if persona == "lena" else 404
    if "{token_id}" in path:  # Lena's own token too (issue 18)
        return "allowed" if persona == "lena" else 404
    if "{workspace_id}" in path:
        if persona not in {"lena", "maria"}:
            return 404
        if level == "admin" and persona == "maria":
            return 403
        return "allowed"
    if level == "member" and persona in {"pat", "lee"}:
        return 403
    if level.startswith("partnership"):
        if persona not in {"lena", "maria", "pat"}:
            return 404
        if level == "partnership_manage" and persona == "pat":
            return 403
    return "allowed"


@pytest.mark.parametrize(
    ("method", "path"), [(method, path) for method, path, _ in api_operations()]
)
def test_api_access(world: World, method: str, path: str) -> None:
    operation = {(m, p): o for m, p, o in api_operations()}[(method, path)]
    level = operation["x-access"]
    secrets = {
        persona: token_create(user=getattr(world, persona), name="test")[1]
        for persona in PERSONAS
        if persona != "anonymous"
    }
    values = _api_path_values(world, path)
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    body = _example_body(operation)
    # Required query parameters (a delete's version, the verdict a clear names) get a
    # valid example, so that what answers is the access rule, not the validation.
    query = "&".join(
        f"{parameter['name']}={_example_value(parameter['name'], parameter['schema'])}"
        for parameter in operation.get("parameters", [])
        if parameter["in"] == "query" and parameter.get("required")
    )
    query = f"?{query}" if query else ""
    failures = []
    for persona in PERSONAS:
        headers = {} if persona == "anonymous" else {"Authorization": f"Bearer {secrets[persona]}"}
        client = Client(headers=headers)
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": body, "content_type": "application/json"}
        response = _request(client, method, url + query, **kwargs)
        expectation = expected_api(level, persona, path)
        ok = (
            response.status_code in ALLOWED - {302}
            if expectation == "allowed"
            else response.status_code == expectation
        )
        if not ok:
            failures.append(
                f"{method.upper()} {url} as {persona}: {response.status_code}"
                f" {response.content[:200]!r}, expected {expectation} ({level})"
            )
        if response.status_code >= 400:
            assert response["Content-Type"].startswith("application/problem+json"), url
    if _serves_program(operation):
        # The same operation at the program level: each workspace's members reach their own
        # (Northwind's items are not in it); partner-side people are told it is not there.
        url = re.sub(r"^/api/partnerships/\d+", "/api/partnerships/program", url)
        for persona in PERSONAS:
            headers = (
                {} if persona == "anonymous" else {"Authorization": f"Bearer {secrets[persona]}"}
            )
            kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
            response = _request(Client(headers=headers), method, url + query, **kwargs)
            if persona == "anonymous":
                expectation: int | str = 401
            elif persona in {"pat", "lee"} or re.search(r"\{(?!partnership_id)\w+_id\}", path):
                expectation = 404
            else:
                expectation = "allowed"
            ok = (
                response.status_code in ALLOWED - {302}
                if expectation == "allowed"
                else response.status_code == expectation
            )
            if not ok:
                failures.append(
                    f"{method.upper()} {url} as {persona}: {response.status_code}"
                    f" {response.content[:200]!r}, expected {expectation} (program level)"
                )
    assert not failures, "\n".join(failures)


def _api_path_values(world: World, path: str) -> Lazy:
    """A shared object Pat can reach for each id in an operation's path (made when read)."""
    made = _made(world)
    partner_side = path.startswith("/api/partnerships/")
    webhook = "pats_endpoint" if partner_side else "endpoint"
    delivery = "pats_delivery" if partner_side else "delivery"
    return Lazy(
        {
            "notification_id": made.notifications,
            "todo_id": lambda: world.shared_todo.pk,
            "rock_id": lambda: world.shared_rock.pk,
            "idea_id": lambda: world.shared_idea.pk,
            "issue_id": lambda: world.shared_issue.pk,
            "goal_id": lambda: world.shared_goal.pk,
            "measurable_id": lambda: world.shared_measurable.pk,
            "period_start": lambda: PERIOD,
            "partnership_id": lambda: world.northwind.pk,
            "workspace_id": lambda: world.acme.pk,
            "membership_id": lambda: world.maria_membership.pk,
            "item_id": lambda: (
                world.shared_note.pk if "/notes/" in path else world.shared_contact.pk
            ),
            "contact_id": lambda: world.shared_contact.pk,
            "note_id": lambda: world.shared_note.pk,
            "meeting_id": lambda: made.meeting()[0].pk,
            # The shared one (issue 18: the live API).
            "headline_id": lambda: made.meeting()[2].pk,
            "milestone_id": lambda: world.shared_milestone.pk,
            "value_id": lambda: made.values()["shared"].pk,
            "company_goal_id": lambda: made.values()["company_goal"].pk,
            "ask_id": lambda: made.relationship()["shared_ask"],
            "checkin_id": lambda: made.relationship()["shared_checkin"],
            "commitment_id": lambda: made.promises()["shared_commitment"],
            "review_id": lambda: made.promises()["shared_review"],
            "plan_entry_id": lambda: made.promises()["shared_entry"],
            "criterion_id": lambda: made.diligence()[0].pk,
            "assessment_id": lambda: made.diligence()[1].pk,
            "seat_id": lambda: made.seats()[1].pk,
            "plan_quarter": lambda: "2026-Q4",
            "import_id": made.import_job,
            # Issue 18: Pat's seat in Northwind, an invitation (into Northwind, or into Acme
            # for the workspace's own), one of Lena's tokens.
            "access_id": lambda: world.northwind.partner_accesses.get().pk,
            "invitation_id": lambda: (
                world.member_invitation.pk
                if "/workspaces/" in path
                else world.partner_invitation.pk
            ),
            "token_id": lambda: token_create(user=world.lena, name="to revoke")[0].pk,
            "process_id": lambda: made.way()["shared_process"].pk,
            "step_id": lambda: made.way()["shared_step"].pk,
            "endpoint_id": lambda: made.webhooks()[webhook].pk,
            "delivery_id": lambda: made.webhooks()[delivery].pk,
            "chat_channel_id": lambda: made.chat_channel().pk,
            "provider_id": lambda: made.sso_provider().pk,
            "opportunity_id": lambda: made.exchange()["shared_opportunity"].pk,
            "entry_id": lambda: made.exchange()["shared_entry"].pk,
            "stage_id": lambda: made.exchange()["stage"].pk,
            "kind_id": lambda: made.exchange()["kind"].pk,
        }
    )


def _serves_program(operation: dict[str, Any]) -> bool:
    """Operations whose ``partnership_id`` also takes ``program`` (tandem.api.scope)."""
    for parameter in operation.get("parameters", []):
        if parameter["name"] == "partnership_id":
            return "program" in parameter["schema"].get("pattern", "")
    return False


def test_api_hides_other_peoples_objects(world: World) -> None:
    """Ids that belong to someone else answer 404, as if they did not exist."""
    secret = token_create(user=world.pat, name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    northwind = world.northwind.pk
    assert client.get(f"/api/partnerships/{world.globex.pk}").status_code == 404
    assert client.get(f"/api/partnerships/{world.initech_partner.pk}").status_code == 404
    response = client.patch(
        f"/api/partnerships/{northwind}/notes/{world.internal_note.pk}",
        data={"version": 1, "title": "Mine now"},
        content_type="application/json",
    )
    assert response.status_code == 404
    listed = client.get(f"/api/partnerships/{northwind}/notes").json()
    assert [note["title"] for note in listed["items"]] == ["Joint pipeline plan"]
    assert client.get("/api/partnerships").json()["count"] == 1


# Values no query parameter expects: dates at the ends of the calendar, null bytes and other
# control characters, ids too big for the database, negative, not a number, far too long.
QUERY_GARBAGE = [
    "9999-12-31",
    "0001-01-01",
    "\x00abc",
    "a\x1b[2Jb\x7f",
    "99999999999999999999",
    "-1",
    "💥",
    "²",  # a digit to str.isdigit, not to int()
    "x" * 10_000,
]


def _query_operations() -> list[tuple[str, str]]:
    return [
        (method, path)
        for method, path, operation in api_operations()
        if any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
    ]


@pytest.mark.parametrize(("method", "path"), _query_operations())
def test_api_query_parameters_survive_garbage(world: World, method: str, path: str) -> None:
    """Each query parameter an operation declares, sent every garbage value in turn (the
    others valid): an answer or a JSON problem with a 4xx, never a 500."""
    from urllib.parse import urlencode

    operation = {(m, p): o for m, p, o in api_operations()}[(method, path)]
    secret = token_create(user=world.lena, name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    values = _api_path_values(world, path)
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    urls = [url]
    if _serves_program(operation):
        urls.append(re.sub(r"^/api/partnerships/\d+", "/api/partnerships/program", url))
    body = _example_body(operation)
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    parameters = [p for p in operation["parameters"] if p["in"] == "query"]
    valid = {
        p["name"]: _example_value(p["name"], p["schema"]) for p in parameters if p.get("required")
    }
    failures = []
    for target in urls:
        for parameter in parameters:
            for value in QUERY_GARBAGE:
                query = urlencode({**valid, parameter["name"]: value})
                response = _request(client, method, f"{target}?{query}", **kwargs)
                problem = response["Content-Type"].startswith("application/problem+json")
                if response.status_code >= 500 or (response.status_code >= 400 and not problem):
                    failures.append(
                        f"{method.upper()} {target}?{query[:80]}: {response.status_code}"
                        f" {response.content[:200]!r}"
                    )
    assert not failures, "\n".join(failures)


# The ends of the calendar, as a body date: both outside the one window (tandem.core.params).
DATE_GARBAGE = ["9999-12-31", "0001-01-01"]


def _body_dates(schema: dict[str, Any], components: dict[str, Any]) -> list[tuple[str, ...]]:
    """The paths of the date fields in a body schema: ("due_on",) or ("todos", "due_on")."""
    if "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    found: list[tuple[str, ...]] = []
    for name, spec in schema.get("properties", {}).items():
        for option in spec.get("anyOf", [spec]):
            if option.get("format") == "date":
                found.append((name,))
            if option.get("type") == "array":
                found += [(name, *inner) for inner in _body_dates(option["items"], components)]
    return found


def _date_body_operations() -> list[tuple[str, str, tuple[str, ...]]]:
    from tandem.api.api import api

    components = api.get_openapi_schema()["components"]["schemas"]
    return [
        (method, path, field)
        for method, path, operation in api_operations()
        for content in [operation.get("requestBody", {}).get("content", {})]
        if "application/json" in content
        for field in _body_dates(content["application/json"]["schema"], components)
    ]


def test_every_date_the_api_takes_keeps_to_the_window() -> None:
    """Body, query and path dates alike are ``params.Day``: its pattern is in the schema."""
    from tandem.api.api import api
    from tandem.core.params import Day

    pattern = Day.__metadata__[1].json_schema_extra["pattern"]  # type: ignore[attr-defined]
    components = api.get_openapi_schema()["components"]["schemas"]
    loose = []

    def walk(where: str, spec: Any) -> None:
        if isinstance(spec, dict):
            if "$ref" in spec:
                spec = components[spec["$ref"].rsplit("/", 1)[1]]
            if spec.get("format") == "date" and spec.get("pattern") != pattern:
                loose.append(where)
            for key, value in spec.items():
                walk(f"{where}.{key}", value)
        elif isinstance(spec, list):
            for index, value in enumerate(spec):
                walk(f"{where}[{index}]", value)

    for method, path, operation in api_operations():
        # What the API takes, not what it answers: an answer's dates are already stored.
        walk(f"{method.upper()} {path}", operation.get("parameters", []))
        walk(f"{method.upper()} {path} body", operation.get("requestBody", {}))
    assert not loose, f"Dates without the window: {loose}"
    assert _date_body_operations()


@pytest.mark.parametrize(("method", "path", "field"), _date_body_operations())
def test_api_body_dates_survive_garbage(
    world: World, method: str, path: str, field: tuple[str, ...]
) -> None:
    """Each date a body carries, at the ends of the calendar (the rest of the body valid):
    a JSON problem with a 4xx that names the field, never a 500 or a saved record."""
    from tandem.api.api import api

    operation = {(m, p): o for m, p, o in api_operations()}[(method, path)]
    components = api.get_openapi_schema()["components"]["schemas"]
    secret = token_create(user=world.lena, name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {secret}"})
    values = _api_path_values(world, path)
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    failures = []
    for value in DATE_GARBAGE:
        body = _example_body(operation) or {}
        if len(field) == 1:
            body[field[0]] = value
        else:  # a date inside each item of a list (the to-dos a solved issue makes)
            reference = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            items = components[reference.rsplit("/", 1)[1]]["properties"][field[0]]["items"]
            content = {"application/json": {"schema": items}}
            item = _example_body({"requestBody": {"content": content}})
            body[field[0]] = [{**(item or {}), field[1]: value}]
        response = _request(client, method, url, data=body, content_type="application/json")
        problem = response["Content-Type"].startswith("application/problem+json")
        named = problem and any(
            key.rsplit(".", 1)[-1] == field[-1] for key in response.json().get("errors", {})
        )
        if not (400 <= response.status_code < 500 and named):
            failures.append(
                f"{method.upper()} {url} {'.'.join(field)}={value}: {response.status_code}"
                f" {response.content[:200]!r}"
            )
    assert not failures, "\n".join(failures)


def test_allauth_pages_answer_everyone_without_error(world: World) -> None:
    """Sign-in, sign-up, password and two-factor pages: no 500 for anyone."""
    routes = [
        route
        for route, pattern in _walk(get_resolver().url_patterns)
        if getattr(pattern.callback, "__module__", "").startswith("allauth") and "<" not in route
    ]
    assert "accounts/login/" in routes
    for persona in PERSONAS:
        user = None if persona == "anonymous" else getattr(world, persona)
        client = client_for(user)
        for route in routes:
            response = client.get("/" + route)
            assert response.status_code < 500, f"/{route} as {persona}"


GARBAGE = {
    "name": "x" * 50_000,
    "title": "nul\x00byte",
    "body": "b" * 30_000,
    "summary": "🙂" * 3_000,
    "version": "not-a-number",
    "email": "a" * 300 + "@example.com",
    "hours_per_week": "NaN",
    "stage": "🙂",
    "kind": "",
    "horizon": "<script>",
    "cadence": "hourly",
    "owner": "-1",
    "sponsor": "99999999999999999999999",
    "role": "root",
    "visibility": "public",
    "website": "javascript:alert(1)",
    "password": "",
    "meaning": "m" * 5_000,
    "matches": "not-an-id",
    "target": "t" * 5_000,
    # Issue 15: money, stages and the ledger.
    "amount": "-5",
    "currency": "ZZZ",
    "probability": "101",
    "stall_days": "0",
    "direction": "sideways",
    "attribution": "🙂",
    "account_name": "a" * 5_000,
    "reason": "r" * 50_000,
    # Single sign-on: a provider's form and the sign-in rules.
    "key": "Ä" * 300,
    "issuer": "http://169.254.169.254/latest",
    "client_id": "\x00",
    "client_secret": "s" * 5_000,
    "domains": "," * 3_000,
    "partnership_id": "99999999999999999999999",
    "require_sso": "🙂",
}
# The date inputs of the page forms (grep DayField) and of the meeting's own forms, each
# posted at both ends of the calendar (DATE_GARBAGE).
PAGE_DATE_NAMES = (
    "due_on",
    "held_on",
    "starts_on",
    "on",
    "planned_on",
    "needed_by",
    "todo_0_due",
    "todo_1_due",
    "expected_close",
    "occurred_on",
)


# The query parameters pages read (grep request.GET): dates, search, pages, filters, ids.
PAGE_QUERY_NAMES = (
    "to",
    "from",
    "q",
    "page",
    "issues",
    "list",
    "quarter",
    "v",
    "moved",
    "workspace",
    "owner",
    "stage",
    "horizon",
    "kind",
    "sort",
    "archived",
    "cancel",
    "next",
    "format",  # the lists' exports (csv or xlsx)
)


@pytest.mark.parametrize("route", [route for route, _ in page_routes()])
def test_pages_survive_garbage(world: World, route: str) -> None:
    """Oversized, mistyped and hostile form values: a message or a refusal, never a 500,
    and nothing written."""
    from tandem.partners.models import Note, Partnership

    # Made only when the route names it (each route needs one or two of these), each maker
    # at most once.
    makers = (_meeting, _values, _relationship, _promises, _diligence, _seats, _way, _exchange)
    made_by = {maker: functools.cache(functools.partial(maker, world)) for maker in makers}
    kwargs: dict[str, Callable[[], Any]] = {
        "notification_id": lambda: _notifications(world),
        "partnership_id": lambda: world.northwind.pk,
        "kind": lambda: "notes",
        "item_id": lambda: world.shared_note.pk,
        "todo_id": lambda: world.shared_todo.pk,
        "rock_id": lambda: world.shared_rock.pk,
        "milestone_id": lambda: world.shared_milestone.pk,
        "idea_id": lambda: world.shared_idea.pk,
        "issue_id": lambda: world.shared_issue.pk,
        "goal_id": lambda: world.shared_goal.pk,
        "measurable_id": lambda: world.shared_measurable.pk,
        "period": lambda: PERIOD,
        "access_id": lambda: world.northwind.partner_accesses.get().pk,
        "invitation_id": lambda: world.partner_invitation.pk,
        "membership_id": lambda: world.maria_membership.pk,
        "workspace_id": lambda: world.acme.pk,
        "token_id": lambda: 1,
        "token": lambda: "x" * 500,
        "user_id": lambda: world.pat.pk,
        "meeting_id": lambda: made_by[_meeting]()[0].pk,
        "headline_id": lambda: _meeting_headline(world),
        "value_id": lambda: made_by[_values]()["shared"].pk,
        "company_goal_id": lambda: made_by[_values]()["company_goal"].pk,
        "ask_id": lambda: made_by[_relationship]()["shared_ask"],
        "checkin_id": lambda: made_by[_relationship]()["shared_checkin"],
        "commitment_id": lambda: made_by[_promises]()["shared_commitment"],
        "review_id": lambda: made_by[_promises]()["shared_review"],
        "plan_entry_id": lambda: made_by[_promises]()["shared_entry"],
        "criterion_id": lambda: made_by[_diligence]()[0].pk,
        "assessment_id": lambda: made_by[_diligence]()[1].pk,
        "seat_id": lambda: made_by[_seats]()[1].pk,
        "process_id": lambda: made_by[_way]()["shared_process"].pk,
        "step_id": lambda: made_by[_way]()["shared_step"].pk,
        "opportunity_id": lambda: made_by[_exchange]()["shared_opportunity"].pk,
        "entry_id": lambda: made_by[_exchange]()["shared_entry"].pk,
        "stage_id": lambda: made_by[_exchange]()["stage"].pk,
        "kind_id": lambda: made_by[_exchange]()["kind"].pk,
        "job_id": lambda: _import_job(world),
        # Issue 18: Acme's webhook endpoint and its delivery (Pat's under a partnership).
        "endpoint_id": lambda: (
            _webhooks(world)[
                "pats_endpoint" if route.startswith("partnerships/") else "endpoint"
            ].pk
        ),
        "delivery_id": lambda: (
            _webhooks(world)[
                "pats_delivery" if route.startswith("partnerships/") else "delivery"
            ].pk
        ),
        "chat_channel_id": lambda: _chat_channel(world).pk,
        "provider_id": lambda: _sso_provider(world).pk,
    }
    made: dict[str, str] = {}

    def keyword(name: str) -> str:
        if name not in made:
            made[name] = str(kwargs[name]())
        return made[name]

    url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: keyword(m.group(1)), route)
    from tandem.exchange.ledger.models import Entry
    from tandem.exchange.pipeline.models import Opportunity

    def counts() -> tuple[int, ...]:
        return tuple(m.objects.count() for m in (Partnership, Note, Opportunity, Entry))

    before = counts()
    # One signed-in client for each persona's requests (signing in costs a session each
    # time); each is still signed in at the end, so every request was theirs.
    clients = {persona: client_for(getattr(world, persona)) for persona in ("lena", "pat")}
    for persona, client in clients.items():
        for day in DATE_GARBAGE:
            data = {**GARBAGE, **dict.fromkeys(PAGE_DATE_NAMES, day)}
            response = _request(client, "post", url, data=data)
            assert response.status_code < 500, f"POST {url} ({day}) as {persona}"
        response = client.get(url, {"page": "💥", "q": "x" * 10_000})
        assert response.status_code < 500, f"GET {url} as {persona}"
        for value in QUERY_GARBAGE:
            # Every query parameter a page reads, all at once, holding the same garbage.
            query = dict.fromkeys(PAGE_QUERY_NAMES, value)
            response = client.get(url, query)
            assert response.status_code < 500, f"GET {url}?…={value[:20]!r} as {persona}"
    # An id in the path that is no id: a digit only to str.isdigit, one too large for a column.
    for name in re.findall(r"<(?:\w+:)?(\w+_id)>", route):
        for bad in ("²", "1" * 23):
            wrong = "/" + re.sub(
                r"<(?:\w+:)?(\w+)>",
                lambda m, bad=bad, name=name: bad if m.group(1) == name else keyword(m.group(1)),
                route,
            )
            for method in ("get", "post"):
                response = _request(clients["lena"], method, wrong, data={})
                assert response.status_code < 500, f"{method.upper()} {wrong} as lena"
    assert counts() == before
    for persona, client in clients.items():
        assert client.get("/notifications/").status_code == 200, f"{persona} was signed out"


def _notifications(world: World) -> int:
    """A notification of Lena's (about Northwind's shared note): only she reaches it."""
    from tandem.notifications.models import Kind, Notification

    return Notification.objects.get_or_create(
        recipient=world.lena,
        text="Maria mentioned you",
        defaults={
            "workspace": world.acme, "partnership": world.northwind, "kind": Kind.MENTION,
            "target_model": "partners.note", "target_id": world.shared_note.pk, "url": "/",
            "actor": world.maria,
        },
    )[0].pk  # fmt: skip
