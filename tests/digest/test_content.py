"""What a digest holds, read through its person's own access: Pat (Northwind's side) never
gets an internal item or anything of Globex, nor a link to one; Maria (a member) does."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.actors import actor_for
from tandem.core.access import Visibility
from tandem.evaluation.digest import content, links, timing
from tandem.evaluation.digest.models import ActionLink
from tandem.meetings.models import Schedule
from tandem.relationship.asks.models import Ask, Side
from tandem.traction.models import Rock, Todo
from tests.conftest import World
from tests.digest.helpers import choose, digests_to, html_of, run_at, secrets_in, text_of, todo
from tests.factories import PartnerAccessFactory, PartnershipFactory

MONDAY = dt.date(2026, 12, 7)


@pytest.fixture
def week(world: World) -> World:
    """Work for both sides, shared and internal, in Northwind and Globex."""
    Todo.objects.filter(pk__in=[world.shared_todo.pk, world.internal_todo.pk]).update(
        due_on=MONDAY + dt.timedelta(days=1)
    )
    todo(world, world.pat, "Shared: send the case study", MONDAY + dt.timedelta(days=2))
    todo(world, world.pat, "Shared: overdue price list", MONDAY - dt.timedelta(days=3))
    todo(world, world.pat, "Shared: next month's plan", MONDAY + dt.timedelta(days=30))
    # Made internal after it was given to Pat: not his to see any more.
    todo(world, world.pat, "Internal: Pat's old task", MONDAY, visibility=Visibility.INTERNAL)
    todo(world, world.pat, "Globex: not Pat's partnership", MONDAY, partnership=world.globex)
    todo(world, world.maria, "Internal: check the margin", MONDAY, visibility=Visibility.INTERNAL)
    Ask.objects.create(
        workspace=world.acme, partnership=world.northwind, side=Side.OURS, owner=world.pat,
        title="Shared: logo permission", created_by=world.maria,
    )  # fmt: skip
    Ask.objects.create(
        workspace=world.acme, partnership=world.globex, side=Side.OURS, owner=world.pat,
        title="Globex: forecast", created_by=world.maria,
    )  # fmt: skip
    Ask.objects.create(
        workspace=world.acme, partnership=world.northwind, side=Side.PARTNER, owner=world.maria,
        title="Shared: demo licences", created_by=world.pat,
    )  # fmt: skip
    Schedule.objects.create(partnership=world.northwind, weekday=1, timezone="America/New_York")
    return world


def test_pat_gets_his_shared_work_only_with_links_to_it(week: World) -> None:
    choose(week.pat, "Asia/Kolkata")
    run_at("2026-12-07T03:00:00")
    [message] = digests_to(week.pat)
    text, html = text_of(message), html_of(message)
    for seen in ("Shared: send the case study", "Shared: overdue price list", "Shared: logo"):
        assert seen in text and seen in html
    assert "overdue since" in text
    assert "Launch the joint offer" in text  # his rock of the quarter, with its status
    assert "On track" in text
    for hidden in ("Internal:", "Globex", "next month's plan", "Decide on exclusivity"):
        assert hidden not in text and hidden not in html
    # Northwind's next meeting, on Pat's clock (Tuesday 10:00 New York = 20:30 in Kolkata).
    assert "Tue 8 Dec, 20:30 IST" in text
    # A link for each of his to-dos and his ask: none for anything internal or of Globex.
    made = ActionLink.objects.filter(user=week.pat)
    assert len(secrets_in(text)) == made.count()
    linked = {_title(link) for link in made}
    assert {"Shared: send the case study", "Shared: overdue price list"} <= linked
    assert "Shared: logo permission" in linked
    assert not {title for title in linked if title.startswith(("Internal", "Globex"))}


def _title(link: ActionLink) -> str:
    model = Todo if link.target_model == "traction.todo" else Ask
    return str(model.objects.get(pk=link.target_id).title)


def test_maria_gets_internal_work_and_the_asks_waiting_for_her(week: World) -> None:
    choose(week.maria, "Europe/Berlin")
    run_at("2026-12-07T07:00:00")
    [message] = digests_to(week.maria)
    text = text_of(message)
    assert "Internal: check the margin" in text
    assert "Shared: demo licences" in text
    assert "Shared: send the case study" not in text  # Pat's, not hers
    assert message.subject == "Your week in Tandem: 2 to-dos, 1 ask, 1 stalled partnership"


def test_a_partner_side_person_is_never_given_a_link_to_an_internal_item(world: World) -> None:
    pat = actor_for(world.pat)
    with pytest.raises(ValueError):
        links.issue(world.pat, pat, "todo_done", world.internal_todo)
    assert not ActionLink.objects.exists()
    assert links.may_link(actor_for(world.maria), world.internal_todo)


def test_the_cost_of_a_digest_does_not_grow_with_partnerships_or_history(world: World) -> None:
    zone = timing.zone_of("UTC")
    at = timezone.now()

    def count() -> int:
        actor = actor_for(type(world.maria).objects.get(pk=world.maria.pk))
        with CaptureQueriesContext(connection) as queries:
            content.build(actor, world.maria, zone, at)
        return len(queries)

    def grow(n: int) -> None:
        for i in range(n):
            partnership = PartnershipFactory(
                workspace=world.acme, name=f"More {i}", owner=world.maria
            )
            PartnerAccessFactory(partnership=partnership)
            Schedule.objects.create(partnership=partnership, weekday=i % 5)
            todo(world, world.maria, f"Todo {i}", at.date(), partnership=partnership)
            Rock.objects.create(
                workspace=world.acme, partnership=partnership, title=f"Rock {i}", owner=world.maria,
                year=at.year, quarter=(at.month - 1) // 3 + 1, due_on=at.date(),
            )  # fmt: skip
            Ask.objects.create(
                workspace=world.acme, partnership=partnership, side=Side.PARTNER,
                owner=world.maria, title=f"Ask {i}",
            )  # fmt: skip

    grow(2)
    few = count()
    grow(12)
    assert count() == few


def test_members_hear_of_their_stalled_partnerships_and_partners_never(week: World) -> None:
    """The overdue price list stalls Northwind (Maria owns it): Maria's digest says so with
    what to do next; Pat's (partner side) has no such section; Lee's has nothing of it."""
    choose(week.maria, "UTC")
    choose(week.pat, "UTC")
    run_at("2026-12-07T08:00:00")
    maria = text_of(digests_to(week.maria)[0])
    assert "Partnerships that stalled" in maria
    stalled = maria.split("Partnerships that stalled")[1]
    assert "Northwind" in stalled and "overdue" in stalled and "Next:" in stalled
    assert "Partnerships that stalled" not in text_of(digests_to(week.pat)[0])


def test_a_long_section_shows_twenty_lines_and_counts_the_rest(world: World) -> None:
    """Past twenty lines a section says how many more there are (not "1 more"), at the
    same cost whatever that number is, and as a section within its twenty lines."""
    zone, at = timing.zone_of("UTC"), timezone.now()
    actor = actor_for(world.maria)

    def built() -> tuple[content.Digest, int]:
        content.build(actor, world.maria, zone, at)  # brings the standings up to date
        with CaptureQueriesContext(connection) as queries:
            digest = content.build(actor, world.maria, zone, at)
        return digest, len(queries)

    mine = Todo.objects.filter(
        owner=world.maria, done_at__isnull=True, due_on__lte=at.date() + content.WEEK
    )
    few, few_cost = built()
    assert few.section("todos") is None or few.section("todos").more == 0  # type: ignore[union-attr]
    for i in range(22 - mine.count()):
        todo(world, world.maria, f"Task {i:02}", at.date())
    digest, cost = built()
    assert cost == few_cost  # a section past its twenty lines costs no query more
    todos = digest.section("todos")
    assert todos is not None and len(todos.lines) == 20 and todos.more == 2
    for i in range(40):
        todo(world, world.maria, f"More {i:02}", at.date())
    digest, more_cost = built()
    todos = digest.section("todos")
    assert todos is not None and len(todos.lines) == 20 and todos.more == 42
    assert todos.count == mine.count() == 62
    assert more_cost == cost
