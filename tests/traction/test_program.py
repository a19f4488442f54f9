"""The program level: the workspace's own rocks and to-dos, outside any partnership.
Members only; a partner-side person is told it is not there."""

from __future__ import annotations

from tandem.traction.models import Rock, Todo
from tests.conftest import World


def test_a_member_adds_a_program_todo(world: World, as_maria) -> None:
    response = as_maria.post(
        "/partnerships/program/todos/new/",
        {"title": "Write the partner playbook", "due_on": "2030-01-01"},
    )
    assert response.status_code == 302
    todo = Todo.objects.get(title="Write the partner playbook")
    assert todo.partnership_id is None and todo.workspace_id == world.acme.pk
    page = as_maria.get("/partnerships/program/todos/")
    assert page.status_code == 200
    assert "Write the partner playbook" in page.content.decode()
    assert "Acme Analytics program" in page.content.decode()
    # A partnership's to-dos stay on the partnership's own list.
    assert world.shared_todo.title not in page.content.decode()


def test_program_todos_tick_edit_and_delete(world: World, as_maria) -> None:
    as_maria.post(
        "/partnerships/program/todos/new/", {"title": "Program review", "due_on": "2030-01-01"}
    )
    todo = Todo.objects.get(title="Program review")
    base = f"/partnerships/program/todos/{todo.pk}"
    assert as_maria.post(f"{base}/done/", {"version": 1, "done": "1"}).status_code == 302
    todo.refresh_from_db()
    assert todo.is_done
    response = as_maria.post(
        f"{base}/edit/",
        {"version": todo.version, "title": "Quarterly program review", "due_on": todo.due_on},
    )
    assert response.status_code == 302, response.content.decode()
    todo.refresh_from_db()
    assert todo.title == "Quarterly program review"
    assert as_maria.post(f"{base}/delete/", {"version": todo.version}).status_code == 302
    assert not Todo.objects.filter(pk=todo.pk).exists()


def test_a_partner_side_owner_is_refused_at_program_level(world: World, as_maria) -> None:
    response = as_maria.post(
        "/partnerships/program/todos/new/",
        {"title": "Ask Pat", "owner": world.pat.pk, "due_on": "2030-01-01"},
    )
    assert response.status_code == 400
    assert not Todo.objects.filter(title="Ask Pat").exists()


def test_program_rocks(world: World, as_maria) -> None:
    response = as_maria.post("/partnerships/program/rocks/new/", {"title": "Launch tier 2"})
    assert response.status_code == 302
    rock = Rock.objects.get(title="Launch tier 2")
    assert rock.partnership_id is None
    assert "Launch tier 2" in as_maria.get("/partnerships/program/rocks/").content.decode()


def test_partner_side_people_never_reach_the_program(world: World, as_pat) -> None:
    for url in ("/partnerships/program/todos/", "/partnerships/program/rocks/"):
        assert as_pat.get(url).status_code == 404
    assert as_pat.post("/partnerships/program/todos/new/", {"title": "x"}).status_code == 404


def test_each_workspace_has_its_own_program(world: World, as_maria, as_olga) -> None:
    as_maria.post(
        "/partnerships/program/todos/new/", {"title": "Acme-only plan", "due_on": "2030-01-01"}
    )
    todo = Todo.objects.get(title="Acme-only plan")
    page = as_olga.get("/partnerships/program/todos/")
    assert page.status_code == 200
    assert "Acme-only plan" not in page.content.decode()
    assert as_olga.get(f"/partnerships/program/todos/{todo.pk}/edit/").status_code == 404


def test_program_items_through_the_api(world: World) -> None:
    from tandem.accounts.services import token_create
    from tests.conftest import client_for
    from tests.factories import MembershipFactory

    _token, secret = token_create(user=world.maria, name="tools")
    api = client_for(None)
    headers = {"Authorization": f"Bearer {secret}"}
    created = api.post(
        "/api/partnerships/program/todos",
        {"title": "Refresh the partner tiers"},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    todo = Todo.objects.get(pk=created.json()["id"])
    assert todo.partnership_id is None and todo.workspace_id == world.acme.pk
    assert todo.visibility == "internal"
    listed = api.get("/api/partnerships/program/todos", headers=headers).json()
    assert [t["title"] for t in listed["items"]] == ["Refresh the partner tiers"]
    # Someone in two workspaces names the one they mean.
    MembershipFactory(workspace=world.initech, user=world.maria)
    from tandem.accounts.actors import forget_actor

    forget_actor(world.maria)
    ambiguous = api.get("/api/partnerships/program/todos", headers=headers)
    assert ambiguous.status_code == 400
    assert "?workspace=ID" in ambiguous.json()["detail"]
    initech = api.get(
        f"/api/partnerships/program/todos?workspace={world.initech.pk}", headers=headers
    ).json()
    assert initech["count"] == 0
    elsewhere = api.get("/api/partnerships/program/todos?workspace=999999", headers=headers)
    assert elsewhere.status_code == 404
