"""To-dos: both sides own them, due in 7 days, ticked off, repeated, measured against 90%."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.traction import selectors, services
from tandem.traction.models import Todo
from tests.conftest import World

MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def url(world: World, suffix: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/todos/{suffix}"


@time_machine.travel(MONDAY, tick=False)
def test_a_new_todo_is_mine_and_due_in_seven_days(world: World, as_maria) -> None:
    response = as_maria.post(
        url(world, "new/"),
        {"title": "Book the QBR room", "due_on": "2026-11-30", "visibility": "shared"},
    )
    assert response.status_code == 302
    todo = Todo.objects.get(title="Book the QBR room")
    assert todo.owner == world.maria and todo.due_on == date(2026, 11, 30)
    form = as_maria.get(url(world)).context["form"]
    assert form["due_on"].value() == date(2026, 11, 30)  # today + 7 days


def test_pat_adds_a_todo_the_manager_sees(world: World, as_pat, as_maria) -> None:
    response = as_pat.post(
        url(world, "new/"),
        {"title": "Draft the webinar invite", "due_on": "2030-01-07", "owner": world.maria.pk},
    )
    assert response.status_code == 302
    todo = Todo.objects.get(title="Draft the webinar invite")
    assert todo.visibility == Visibility.SHARED and todo.owner == world.maria
    maria_page = as_maria.get(url(world)).content.decode()
    assert "Draft the webinar invite" in maria_page and "Check their credit rating" in maria_page
    pat_page = as_pat.get(url(world)).content.decode()
    assert "Check their credit rating" not in pat_page


def test_an_internal_todo_cannot_be_owned_by_the_partner(world: World, as_maria) -> None:
    response = as_maria.post(
        url(world, "new/"),
        {
            "title": "Secret",
            "owner": world.pat.pk,
            "due_on": "2030-01-07",
            "visibility": "internal",
        },
    )
    assert response.status_code == 400
    assert "An internal item is owned by someone from your workspace." in response.content.decode()
    assert not Todo.objects.filter(title="Secret").exists()


def test_ticking_off_with_htmx_answers_the_row(world: World, as_pat) -> None:
    todo = world.shared_todo
    response = as_pat.post(
        url(world, f"{todo.pk}/done/"), {"version": 1, "done": "1"}, headers={"HX-Request": "true"}
    )
    page = response.content.decode()
    assert page.lstrip().startswith(f'<div class="todo-row is-done" id="todo-{todo.pk}">')
    todo.refresh_from_db()
    assert todo.is_done and todo.version == 2


def test_a_repeating_todo_comes_back_once(world: World) -> None:
    maria = world.actor(world.maria)
    todo = services.todo_create(
        actor=maria, partnership=world.northwind, title="Pipeline review",
        due_on=date(2030, 1, 31), repeat="monthly",
    )  # fmt: skip
    services.todo_set_done(todo, actor=maria, version=1, done=True)
    services.todo_set_done(todo, actor=maria, version=2, done=False)
    services.todo_set_done(todo, actor=maria, version=3, done=True)
    follow_ups = Todo.objects.filter(repeated_from=todo)
    assert [t.due_on for t in follow_ups] == [date(2030, 2, 28)]


@time_machine.travel(MONDAY, tick=False)
def test_overdue_todos_stand_out(world: World, as_maria) -> None:
    Todo.objects.filter(pk=world.shared_todo.pk).update(due_on=date(2026, 11, 20))
    page = as_maria.get(url(world)).content.decode()
    assert f'class="todo-row overdue" id="todo-{world.shared_todo.pk}"' in page
    assert "overdue since Fri 20 Nov" in page


def test_completion_rate_per_side_and_owner_against_90_percent(world: World) -> None:
    Todo.objects.all().delete()
    today = timezone.localdate()

    def make(owner, days_ago: int, done_late_by: int | None) -> None:
        due = today - timedelta(days=days_ago)
        done_at = None
        if done_late_by is not None:
            done_at = datetime.combine(due + timedelta(days=done_late_by), datetime.min.time(), UTC)
        Todo.objects.create(
            workspace=world.acme, partnership=world.northwind, title="t", owner=owner,
            due_on=due, done_at=done_at,
        )  # fmt: skip

    for _ in range(9):
        make(world.maria, 3, 0)  # on time, this month
    make(world.maria, 5, 2)  # done late
    make(world.pat, 10, None)  # never done
    make(world.pat, 60, -1)  # done early, two months ago (13-week window only)
    make(world.pat, -3, None)  # not due yet: does not count
    rates = selectors.completion(world.actor(world.lena), world.northwind)
    assert (rates.ours[4].done, rates.ours[4].due) == (9, 10)
    assert rates.ours[4].on_target and rates.ours[4].percent == 90
    assert (rates.theirs[4].done, rates.theirs[4].due) == (0, 1)
    assert (rates.theirs[13].done, rates.theirs[13].due) == (1, 2)
    assert not rates.overall[4].on_target
    assert {o.name: o.rates[13].percent for o in rates.owners} == {
        "Maria Manager": 90,
        "Pat Northwind": 50,
    }


def test_the_list_costs_the_same_with_10_or_200_todos(world: World, as_maria) -> None:
    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert as_maria.get(url(world)).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        Todo.objects.bulk_create(
            Todo(workspace=world.acme, partnership=world.northwind, title=f"t{i}", owner=world.pat,
                 due_on=date(2030, 1, 1), done_at=timezone.now() if i % 3 == 0 else None)
            for i in range(n)
        )  # fmt: skip

    add(10)
    few = count()
    add(190)
    assert count() == few


def test_todos_through_the_api(world: World) -> None:
    pat = Client(headers={"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"})
    base = f"/api/partnerships/{world.northwind.pk}/todos"
    created = pat.post(base, {"title": "Send case study"}, content_type="application/json")
    assert created.status_code == 201
    todo = created.json()
    assert todo["owner"]["email"] == "pat@northwind.example" and todo["version"] == 1
    assert date.fromisoformat(todo["due_on"]) == timezone.localdate() + timedelta(days=7)
    titles = [t["title"] for t in pat.get(base).json()["items"]]
    assert "Check their credit rating" not in titles and "Send case study" in titles
    done = pat.post(f"{base}/{todo['id']}/done", {"version": 1}, content_type="application/json")
    assert done.json()["done"] is True
    stale = pat.patch(
        f"{base}/{todo['id']}", {"version": 1, "title": "x"}, content_type="application/json"
    )
    assert stale.status_code == 409
    internal = pat.post(
        base, {"title": "x", "visibility": "internal"}, content_type="application/json"
    )
    assert internal.status_code == 400
    assert pat.delete(f"{base}/{todo['id']}?version=2").status_code == 204


def test_due_dates_far_away_are_refused_not_crashes(world: World, as_maria) -> None:
    response = as_maria.post(
        url(world, "new/"), {"title": "Far", "due_on": "9999-12-31", "visibility": "shared"}
    )
    assert response.status_code == 400
    assert "Choose a date between 2000 and 2100." in response.content.decode()
    api = Client(headers={"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"})
    base = f"/api/partnerships/{world.northwind.pk}/todos"
    far = api.post(base, {"title": "Far", "due_on": "9999-12-30"}, content_type="application/json")
    assert far.status_code == 422 and far.json()["errors"]["due_on"]


def test_monthly_todos_keep_their_day_and_never_come_back_overdue(world: World) -> None:
    maria = world.actor(world.maria)
    todo = services.todo_create(
        actor=maria, partnership=world.northwind, title="Month-end report",
        due_on=date(2027, 1, 31), repeat="monthly",
    )  # fmt: skip
    dues = []
    for _ in range(3):
        services.todo_set_done(todo, actor=maria, version=todo.version, done=True)
        todo = Todo.objects.get(repeated_from=todo)
        dues.append(todo.due_on)
    assert dues == [date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30)]
    weekly = services.todo_create(
        actor=maria, partnership=world.northwind, title="Weekly sync notes",
        due_on=timezone.localdate() - timedelta(days=35), repeat="weekly",
    )  # fmt: skip
    services.todo_set_done(weekly, actor=maria, version=1, done=True)
    assert Todo.objects.get(repeated_from=weekly).due_on > timezone.localdate()


def test_a_refused_tick_off_reloads_the_list_with_the_reason(world: World, as_pat) -> None:
    todo = world.shared_todo
    services.todo_update(todo, actor=world.actor(world.maria), version=1, title="Send the deck v2")
    response = as_pat.post(
        url(world, f"{todo.pk}/done/"), {"version": 1, "done": "1"}, headers={"HX-Request": "true"}
    )
    assert response["HX-Refresh"] == "true"
    page = as_pat.get(url(world)).content.decode()
    assert "was changed meanwhile" in page
    todo.refresh_from_db()
    assert not todo.is_done


def test_todos_nobody_owns_count_for_neither_side(world: World) -> None:
    Todo.objects.all().delete()
    due = timezone.localdate() - timedelta(days=2)
    Todo.objects.create(workspace=world.acme, partnership=world.northwind, title="t", due_on=due)
    rates = selectors.completion(world.actor(world.lena), world.northwind)
    assert rates.overall[4].due == 1
    assert rates.ours[4].due == 0 and rates.theirs[4].due == 0


def test_the_api_list_costs_the_same_with_10_or_200_todos(world: World) -> None:
    api = Client(headers={"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"})
    base = f"/api/partnerships/{world.northwind.pk}/todos?page_size=200"

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert api.get(base).status_code == 200
        return len(captured)

    def add(n: int) -> None:
        Todo.objects.bulk_create(
            Todo(workspace=world.acme, partnership=world.northwind, title=f"t{i}", owner=world.pat,
                 due_on=date(2029, 1, 1), done_at=timezone.now() if i % 2 else None)
            for i in range(n)
        )  # fmt: skip

    add(10)
    count()  # stamps the token's "last used" time
    few = count()
    add(190)
    assert count() == few
    items = api.get(base).json()["items"]
    assert items[0]["done"] is False  # open first, on every database
    assert items[-1]["done"] is True
