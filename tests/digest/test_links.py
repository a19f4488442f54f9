"""One-click links: GET only asks, POST acts as the person (in the activity log as theirs);
single-use, 7 days, refused with words after use or expiry, when access was lost, or when
the secret was changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.actors import actor_for
from tandem.accounts.models import PartnerAccess, digest
from tandem.core.access import Visibility
from tandem.core.models import ActivityEntry
from tandem.evaluation.digest import links
from tandem.evaluation.digest.models import ActionLink
from tandem.relationship.asks.models import Ask, AskStatus, Side
from tandem.traction.models import Todo
from tests.conftest import World
from tests.digest.helpers import choose, digests_to, run_at, secrets_in, todo


def url(secret: str) -> str:
    return reverse("digest_action", args=[secret])


@pytest.fixture
def pat_link(world: World) -> str:
    """The secret of a "mark done" link for Pat's shared to-do."""
    return links.issue(world.pat, actor_for(world.pat), "todo_done", world.shared_todo)[1]


def test_get_only_asks_and_post_marks_it_done_as_pat(world: World, pat_link: str) -> None:
    anyone = Client()  # not signed in: the link is the credential
    page = anyone.get(url(pat_link))
    assert page.status_code == 200
    assert "Mark this to-do done?" in page.text and "Send the joint deck" in page.text
    assert page["Referrer-Policy"] == "same-origin"
    world.shared_todo.refresh_from_db()
    assert world.shared_todo.done_at is None  # a mail scanner's GET changes nothing

    done = anyone.post(url(pat_link))
    assert done.status_code == 200
    assert "Done: Send the joint deck" in done.text
    world.shared_todo.refresh_from_db()
    assert world.shared_todo.done_at is not None
    entry = ActivityEntry.objects.filter(target_model="traction.todo").latest("id")
    assert (entry.actor_id, entry.verb) == (world.pat.pk, "completed")

    again = anyone.post(url(pat_link))
    assert again.status_code == 410
    assert "This link was already used" in again.text
    assert anyone.get(url(pat_link)).status_code == 410


def test_an_expired_link_is_refused(world: World, pat_link: str) -> None:
    ActionLink.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    page = Client().post(url(pat_link))
    assert page.status_code == 410 and "This link has expired" in page.text
    world.shared_todo.refresh_from_db()
    assert world.shared_todo.done_at is None


def test_a_link_works_for_seven_days(world: World) -> None:
    issued = timezone.now()
    with time_machine.travel(issued, tick=False):
        secret = links.issue(world.pat, actor_for(world.pat), "todo_done", world.shared_todo)[1]
    with time_machine.travel(issued + dt.timedelta(days=6, hours=23), tick=False):
        assert Client().get(url(secret)).status_code == 200
    with time_machine.travel(issued + dt.timedelta(days=7, seconds=1), tick=False):
        assert Client().get(url(secret)).status_code == 410


@pytest.mark.parametrize("how", ["seat removed", "made internal", "deleted", "account closed"])
def test_a_link_is_refused_when_pat_lost_access(world: World, pat_link: str, how: str) -> None:
    if how == "seat removed":
        PartnerAccess.objects.filter(user=world.pat).delete()
    elif how == "made internal":
        Todo.objects.filter(pk=world.shared_todo.pk).update(visibility=Visibility.INTERNAL)
    elif how == "deleted":
        Todo.objects.filter(pk=world.shared_todo.pk).delete()
    else:
        type(world.pat).objects.filter(pk=world.pat.pk).update(is_active=False)
    for method in ("get", "post"):
        page = getattr(Client(), method)(url(pat_link))
        assert page.status_code == 403, how
        assert "no longer" in page.text
    assert ActionLink.objects.get().used_at is None
    assert not Todo.objects.filter(pk=world.shared_todo.pk, done_at__isnull=False).exists()


@pytest.mark.parametrize(
    "change", [lambda s: s[:-1] + ("A" if s[-1] != "A" else "B"), lambda s: s[:-4], str.upper]
)
def test_a_changed_secret_matches_nothing(world: World, pat_link: str, change: Any) -> None:
    page = Client().post(url(change(pat_link)))
    assert page.status_code == 404 and "This link doesn&#x27;t work" in page.text
    world.shared_todo.refresh_from_db()
    assert world.shared_todo.done_at is None


def test_only_a_digest_of_the_secret_is_stored(world: World, pat_link: str) -> None:
    stored = ActionLink.objects.values_list("token_digest", flat=True).get()
    assert pat_link not in stored and len(stored) == 64


def test_an_ask_is_answered_from_its_link(world: World) -> None:
    ask = Ask.objects.create(
        workspace=world.acme, partnership=world.northwind, side=Side.OURS, owner=world.pat,
        title="Logo permission for our partner page", created_by=world.maria,
    )  # fmt: skip
    secret = links.issue(world.pat, actor_for(world.pat), "ask_answer", ask)[1]
    page = Client().get(url(secret))
    assert page.status_code == 200 and "Answer this ask" in page.text
    assert 'name="answer"' in page.text and "Logo permission" in page.text

    empty = Client().post(url(secret), {"answer": "  "})
    assert empty.status_code == 400 and "errorlist" in empty.text
    assert ActionLink.objects.get().used_at is None  # refused: the link still works

    done = Client().post(url(secret), {"answer": "Yes, use the blue one."})
    assert done.status_code == 200 and "Answer sent" in done.text
    ask.refresh_from_db()
    assert (ask.status, ask.answer, ask.answered_by_id) == (
        AskStatus.ANSWERED,
        "Yes, use the blue one.",
        world.pat.pk,
    )
    assert ActivityEntry.objects.filter(target_model="asks.ask", actor=world.pat).exists()
    assert Client().post(url(secret), {"answer": "Again"}).status_code == 410


def test_a_todo_done_meanwhile_says_so(world: World, pat_link: str) -> None:
    Todo.objects.filter(pk=world.shared_todo.pk).update(done_at=timezone.now())
    page = Client().get(url(pat_link))
    assert page.status_code == 410 and "already done" in page.text


def test_the_digest_links_work_end_to_end_in_process(world: World) -> None:
    choose(world.pat, "UTC")
    todo(world, world.pat, "Book the joint booth", dt.date(2026, 12, 7))
    run_at("2026-12-07T08:00:00")
    [message] = digests_to(world.pat)
    secrets = secrets_in(message.body)
    assert secrets
    booth = next(s for s in secrets if _todo_of(s).title == "Book the joint booth")
    assert Client().post(url(booth)).status_code == 200
    assert Todo.objects.get(title="Book the joint booth").done_at is not None


def _todo_of(secret: str) -> Todo:
    return Todo.objects.get(pk=ActionLink.objects.get(token_digest=digest(secret)).target_id)


@pytest.mark.parametrize("secret", ["x" * 500, "dg_", "dg_" + "a" * 43, "not-a-valid-token"])
def test_garbage_is_a_clear_404(db: Any, secret: str) -> None:
    page = Client().get("/digest/act/" + secret + "/")
    assert page.status_code == 404
