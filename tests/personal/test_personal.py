"""My week (one person's work across partnerships) and one person's rocks for a quarter."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.core.access import Visibility
from tandem.core.scope import Program
from tandem.issues import services as issues
from tandem.scorecard import services as scorecard
from tandem.traction import rocks, services
from tandem.traction.models import Rock, Todo, quarter_of
from tests.conftest import World, client_for


def _spread(world: World, count: int, start: int = 0) -> None:
    """``count`` of each kind of item for Maria, across Northwind, Globex and the program."""
    maria = world.actor(world.maria)
    scopes = [world.northwind, world.globex, Program(world.acme)]
    year, quarter = quarter_of(timezone.localdate())
    for n in range(start, start + count):
        scope = scopes[n % 3]
        services.todo_create(
            actor=maria, partnership=scope, title=f"To-do {n}", visibility=Visibility.INTERNAL
        )
        rocks.rock_create(
            actor=maria, partnership=scope, title=f"Rock {n}", year=year, quarter=quarter
        )
        issues.issue_create(actor=maria, partnership=scope, title=f"Issue {n}")
        scorecard.measurable_create(actor=maria, partnership=scope, title=f"Number {n}", goal=5)


def test_my_week_gathers_everything_a_person_owns(world: World, as_maria) -> None:
    _spread(world, 3)
    page = as_maria.get("/week/").content.decode()
    for n in range(3):
        for kind in ("To-do", "Rock", "Issue", "Number"):
            assert f"{kind} {n}" in page
    assert "Program level" in page and "Globex" in page and "Northwind" in page
    # What is not Maria's stays off her week.
    assert world.shared_todo.title not in page  # Pat's
    assert world.internal_todo.title in page  # hers, internal


def test_a_partner_sees_their_own_week_and_nothing_internal(world: World, as_pat) -> None:
    maria = world.actor(world.maria)
    services.todo_create(
        actor=maria, partnership=world.northwind, title="Secret for Pat", owner=world.maria,
        visibility=Visibility.INTERNAL,
    )  # fmt: skip
    page = as_pat.get("/week/").content.decode()
    assert world.shared_todo.title in page
    assert world.shared_rock.title in page
    assert world.shared_issue.title in page
    assert "Secret for Pat" not in page
    assert "Program level" not in page


def test_ticking_off_on_my_week_stays_on_my_week(world: World, as_pat) -> None:
    todo = world.shared_todo
    url = f"/partnerships/{world.northwind.pk}/todos/{todo.pk}/done/"
    response = as_pat.post(
        url,
        {"version": todo.version, "done": "1", "show_scope": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Northwind" in response.content.decode()  # the row still says where it lives
    todo.refresh_from_db()
    assert todo.is_done
    response = as_pat.post(url, {"version": todo.version, "done": "0", "show_scope": "1"})
    assert response["Location"] == "/week/"


def test_overdue_and_due_milestones_show(world: World, as_maria) -> None:
    today = timezone.localdate()
    rocks.milestone_add(
        world.internal_rock, actor=world.actor(world.maria), title="Board memo", due_on=today
    )
    Todo.objects.filter(pk=world.internal_todo.pk).update(due_on=today - timedelta(days=2))
    page = as_maria.get("/week/").content.decode()
    assert "Board memo" in page
    assert "overdue since" in page


@pytest.mark.parametrize("url", ["/week/", "/people/{maria}/rocks/"])
def test_the_personal_pages_cost_the_same_with_more_items(world: World, as_lena, url: str) -> None:
    client = client_for(world.maria) if url == "/week/" else as_lena

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url.format(maria=world.maria.pk)).status_code == 200
        return len(queries)

    _spread(world, 4)
    small = cost()
    _spread(world, 60, start=4)
    assert cost() == small


def test_a_persons_rocks_across_partnerships_with_the_warning(world: World, as_lena) -> None:
    maria = world.actor(world.maria)
    year, quarter = quarter_of(timezone.localdate())
    for n in range(8):
        scope = world.northwind if n % 2 else world.globex
        rocks.rock_create(
            actor=maria, partnership=scope, title=f"Push {n}", year=year, quarter=quarter
        )
    page = as_lena.get(f"/people/{world.maria.pk}/rocks/").content.decode()
    assert "Maria Manager's rocks" in page
    assert "Push 0" in page and "Push 7" in page and "Globex" in page
    assert "more than 7" in page
    # Another quarter, another list.
    other = as_lena.get(f"/people/{world.maria.pk}/rocks/?quarter={year - 1}-{quarter}")
    assert "Push 0" not in other.content.decode()


def test_someone_outside_the_workspace_is_not_there(world: World, as_lena, as_olga) -> None:
    assert as_lena.get(f"/people/{world.olga.pk}/rocks/").status_code == 404
    assert as_olga.get(f"/people/{world.maria.pk}/rocks/").status_code == 404
    assert client_for(world.pat).get(f"/people/{world.maria.pk}/rocks/").status_code == 403


def test_rocks_of_a_partner_side_person_show_to_members(world: World, as_maria) -> None:
    Rock.objects.filter(pk=world.shared_rock.pk).update(
        year=quarter_of(timezone.localdate())[0], quarter=quarter_of(timezone.localdate())[1]
    )
    page = as_maria.get(f"/people/{world.pat.pk}/rocks/").content.decode()
    assert world.shared_rock.title in page


def test_my_week_shows_a_change_made_by_the_other_side(world: World, as_pat) -> None:
    """The page is cached by the data versions of all Pat sees: a new to-do for Pat in
    Northwind shows at once."""
    as_pat.get("/week/")  # the first visit sets the CSRF cookie the cache key needs
    assert "Bring two references" not in as_pat.get("/week/").content.decode()  # cached now
    services.todo_create(
        actor=world.actor(world.maria),
        partnership=world.northwind,
        title="Bring two references",
        owner=world.pat,
    )
    assert "Bring two references" in as_pat.get("/week/").content.decode()


def test_my_week_keeps_to_the_workspace_and_skips_archived_work(world: World, as_maria) -> None:
    """Program items of another workspace would not open from here; archived partnerships'
    work is history."""
    from tandem.partners.services import partnership_archive
    from tests.factories import MembershipFactory

    MembershipFactory(workspace=world.initech, user=world.maria)
    from tandem.accounts.actors import forget_actor

    forget_actor(world.maria)
    maria = world.actor(world.maria)
    services.todo_create(actor=maria, partnership=Program(world.initech), title="Initech chore")
    services.todo_create(actor=maria, partnership=Program(world.acme), title="Acme chore")
    year, quarter = quarter_of(timezone.localdate())
    rocks.rock_create(
        actor=maria, partnership=world.globex, title="Globex push", year=year, quarter=quarter
    )
    issues.issue_create(actor=maria, partnership=world.globex, title="Globex blocker")
    page = as_maria.get("/week/").content.decode()
    assert "Acme chore" in page and "Initech chore" not in page
    assert "Globex push" in page and "Globex blocker" in page
    globex = type(world.globex).objects.get(pk=world.globex.pk)
    partnership_archive(actor=maria, partnership=globex, version=globex.version)
    page = as_maria.get("/week/").content.decode()
    assert "Globex push" not in page and "Globex blocker" not in page


def test_my_week_keeps_its_lists_short(world: World, as_maria) -> None:
    """However much a person owns, My week shows the first 25 rocks of the quarter and says
    how many more; a past quarter's undone milestones no longer show (its rocks were closed
    at the quarterly meeting)."""
    _spread(world, 30)
    today = timezone.localdate()
    last_year, last_quarter = quarter_of(today.replace(day=1) - timedelta(days=95))
    old = Rock.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Last quarter's rock",
        owner=world.maria, year=last_year, quarter=last_quarter, due_on=today - timedelta(days=60),
    )  # fmt: skip
    rocks.milestone_add(
        old, actor=world.actor(world.maria), title="Forgotten step", due_on=today - timedelta(60)
    )
    page = as_maria.get("/week/").content.decode()
    section = page.split('id="my-rocks"')[1].split("</section>")[0]
    total = Rock.objects.filter(
        owner=world.maria, year=quarter_of(today)[0], quarter=quarter_of(today)[1]
    ).count()
    assert total > 25
    assert section.count("<li>") == 25
    assert f"And {total - 25} more this quarter." in section
    assert "Forgotten step" not in page
