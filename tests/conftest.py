"""The cast. Lena leads Acme's partner program (owner); Maria is a partner manager (member);
Pat works at Northwind and Lee at Globex (partner side, one partnership each); Olga owns
another workspace, Initech."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.test import Client, override_settings

from tandem.accounts import services as accounts
from tandem.accounts.actors import actor_for
from tandem.accounts.models import Invitation, Membership, User, Workspace
from tandem.core.access import Actor, Role, Visibility
from tandem.ideas.models import Idea
from tandem.issues.models import Issue
from tandem.partners.models import Contact, Note, Partnership
from tandem.scorecard.models import Measurable
from tandem.traction.models import Milestone, Rock, Todo
from tandem.vision.models import Goal
from tests import caches as test_caches
from tests.factories import (
    ContactFactory,
    MembershipFactory,
    NoteFactory,
    PartnerAccessFactory,
    PartnershipFactory,
    UserFactory,
    WorkspaceFactory,
)

PASSWORD = "correct-horse-battery"

# The servers and commands a test starts write to the shared cache under this process's
# prefix too, never under another test process's (tests.caches).
os.environ["CACHE_KEY_PREFIX"] = test_caches.PREFIX


@dataclass
class World:
    acme: Workspace
    initech: Workspace
    lena: User
    maria: User
    pat: User
    lee: User
    olga: User
    northwind: Partnership
    globex: Partnership
    initech_partner: Partnership
    shared_note: Note
    internal_note: Note
    internal_contact: Contact
    shared_contact: Contact
    maria_membership: Membership
    member_invitation: Invitation
    partner_invitation: Invitation
    shared_todo: Todo
    internal_todo: Todo
    shared_rock: Rock
    internal_rock: Rock
    shared_milestone: Milestone
    internal_milestone: Milestone
    shared_issue: Issue
    shared_goal: Goal
    internal_goal: Goal
    internal_issue: Issue
    shared_idea: Idea
    internal_idea: Idea
    shared_measurable: Measurable
    internal_measurable: Measurable

    def actor(self, user: User) -> Actor:
        return actor_for(User.objects.get(pk=user.pk))


@pytest.fixture
def world(db: Any) -> World:
    acme = WorkspaceFactory(name="Acme Analytics", slug="acme")
    initech = WorkspaceFactory(name="Initech", slug="initech")
    lena = UserFactory(email="lena@acme.example", name="Lena Lead")
    maria = UserFactory(email="maria@acme.example", name="Maria Manager")
    pat = UserFactory(email="pat@northwind.example", name="Pat Northwind")
    lee = UserFactory(email="lee@globex.example", name="Lee Globex")
    olga = UserFactory(email="olga@initech.example", name="Olga Initech")
    MembershipFactory(workspace=acme, user=lena, role=Role.OWNER)
    maria_membership = MembershipFactory(workspace=acme, user=maria, role=Role.MEMBER)
    MembershipFactory(workspace=initech, user=olga, role=Role.OWNER)
    northwind = PartnershipFactory(workspace=acme, name="Northwind", owner=maria)
    globex = PartnershipFactory(workspace=acme, name="Globex", owner=maria)
    initech_partner = PartnershipFactory(workspace=initech, name="Initrode")
    PartnerAccessFactory(partnership=northwind, user=pat)
    PartnerAccessFactory(partnership=globex, user=lee)
    shared_note = NoteFactory(partnership=northwind, title="Joint pipeline plan")
    internal_note = NoteFactory(
        partnership=northwind, title="Margin we can accept", visibility=Visibility.INTERNAL
    )
    shared_contact = ContactFactory(partnership=northwind, name="Pat Northwind")
    internal_contact = ContactFactory(
        partnership=northwind, name="Their CFO (gossip)", visibility=Visibility.INTERNAL
    )
    NoteFactory(partnership=globex, title="Globex connector scope")
    NoteFactory(partnership=initech_partner, title="Initech secret")
    member_invitation = accounts.member_invite(
        actor=actor_for(lena), workspace=acme, email="new@acme.example", role=Role.MEMBER
    )
    partner_invitation = accounts.partner_invite(
        actor=actor_for(maria), partnership=northwind, email="sam@northwind.example"
    )
    shared_todo = Todo.objects.create(
        workspace=acme, partnership=northwind, title="Send the joint deck", owner=pat
    )
    internal_todo = Todo.objects.create(
        workspace=acme,
        partnership=northwind,
        title="Check their credit rating",
        owner=maria,
        visibility=Visibility.INTERNAL,
    )
    shared_rock = Rock.objects.create(
        workspace=acme, partnership=northwind, title="Launch the joint offer", owner=pat,
        year=2026, quarter=4, due_on=date(2026, 12, 31),
    )  # fmt: skip
    internal_rock = Rock.objects.create(
        workspace=acme, partnership=northwind, title="Decide on exclusivity", owner=maria,
        year=2026, quarter=4, due_on=date(2026, 12, 31), visibility=Visibility.INTERNAL,
    )  # fmt: skip
    shared_milestone = Milestone.objects.create(
        rock=shared_rock, title="Pricing agreed", due_on=date(2026, 11, 30)
    )
    internal_milestone = Milestone.objects.create(
        rock=internal_rock, title="Legal review", due_on=date(2026, 12, 5)
    )
    shared_idea = Idea.objects.create(
        workspace=acme, partnership=northwind, title="Joint customer webinar", owner=pat
    )
    internal_idea = Idea.objects.create(
        workspace=acme, partnership=northwind, title="Ask for exclusivity in Norway",
        owner=maria, visibility=Visibility.INTERNAL, position=1,
    )  # fmt: skip
    shared_issue = Issue.objects.create(
        workspace=acme, partnership=northwind, title="Leads go cold after handoff", owner=pat,
        rank=1,
    )  # fmt: skip
    internal_issue = Issue.objects.create(
        workspace=acme, partnership=northwind, title="Their reseller margin is too high",
        owner=maria, rank=2, visibility=Visibility.INTERNAL,
    )  # fmt: skip
    shared_measurable = Measurable.objects.create(
        workspace=acme, partnership=northwind, title="Leads referred", owner=pat, goal=5,
    )  # fmt: skip
    internal_measurable = Measurable.objects.create(
        workspace=acme, partnership=northwind, title="Margin kept", owner=maria, goal=25,
        unit="percent", aggregate="average", visibility=Visibility.INTERNAL,
    )  # fmt: skip
    shared_goal = Goal.objects.create(
        workspace=acme, partnership=northwind, title="Northwind a top-3 reseller",
        target="$400k partner-sourced revenue",
    )  # fmt: skip
    internal_goal = Goal.objects.create(
        workspace=acme, partnership=northwind, title="Exclusivity decided",
        target="Signed or declined by June", visibility=Visibility.INTERNAL,
    )  # fmt: skip
    return World(
        acme=acme,
        initech=initech,
        lena=lena,
        maria=maria,
        pat=pat,
        lee=lee,
        olga=olga,
        northwind=northwind,
        globex=globex,
        initech_partner=initech_partner,
        shared_note=shared_note,
        internal_note=internal_note,
        shared_contact=shared_contact,
        internal_contact=internal_contact,
        maria_membership=maria_membership,
        member_invitation=member_invitation,
        partner_invitation=partner_invitation,
        shared_todo=shared_todo,
        internal_todo=internal_todo,
        shared_rock=shared_rock,
        internal_rock=internal_rock,
        shared_milestone=shared_milestone,
        internal_milestone=internal_milestone,
        shared_issue=shared_issue,
        shared_goal=shared_goal,
        internal_goal=internal_goal,
        internal_issue=internal_issue,
        shared_idea=shared_idea,
        internal_idea=internal_idea,
        shared_measurable=shared_measurable,
        internal_measurable=internal_measurable,
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def as_lena(world: World) -> Client:
    return client_for(world.lena)


@pytest.fixture
def as_maria(world: World) -> Client:
    return client_for(world.maria)


@pytest.fixture
def as_pat(world: World) -> Client:
    return client_for(world.pat)


@pytest.fixture
def as_olga(world: World) -> Client:
    return client_for(world.olga)


@pytest.fixture(autouse=True)
def _tasks_run_in_process(settings: Any) -> None:
    """Unit tests run background tasks in process; the browser test runs the real worker."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True, scope="session")
def _cache_of_this_process(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The cache the settings choose (Redis with REDIS_URL, else a folder), under this test
    process's key prefix; the folder is one of its own (``<var>/cache``, as the settings
    place it under TANDEM_VAR_DIR)."""
    cache = dict(django_settings.CACHES["default"], KEY_PREFIX=test_caches.PREFIX)
    if cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache":
        cache["BACKEND"] = "tests.caches.WorkerRedisCache"
    elif cache["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache":
        cache["LOCATION"] = str(Path(tmp_path_factory.mktemp("var")) / "cache")
    with override_settings(CACHES={**django_settings.CACHES, "default": cache}):
        yield
        for each in caches.all():
            each.clear()  # a shared Redis keeps nothing of this run


@pytest.fixture(autouse=True)
def _fresh_cache(_cache_of_this_process: None) -> None:
    """What a test leaves in the cache (allauth's rate limits: one confirmation mail per
    address every 3 minutes, ...) is not the next test's."""
    for cache in caches.all():
        cache.clear()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """A test marked ``postgresql`` needs a database server (several connections at once, a
    cluster of its own) or is about what its stricter storage refuses; one marked ``sqlite``
    brings a SQLite file of its own whatever the suite's database. Each runs in its own pass
    only, reported as deselected in the other."""
    on_postgresql = os.environ.get("DATABASE_URL", "").startswith("postgres")
    other = "sqlite" if on_postgresql else "postgresql"
    left = [item for item in items if item.get_closest_marker(other)]
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = [item for item in items if not item.get_closest_marker(other)]
