"""An edit based on a stale version is refused — page and API alike — never applied."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from django.test import Client

import tandem
from tandem.core.errors import Conflict
from tandem.partners import services
from tandem.partners.models import Partnership
from tests.conftest import World


def test_update_based_on_stale_version_is_refused(world: World) -> None:
    lena, maria = world.actor(world.lena), world.actor(world.maria)
    mine = Partnership.objects.get(pk=world.northwind.pk)
    theirs = Partnership.objects.get(pk=world.northwind.pk)
    services.partnership_update(actor=lena, partnership=mine, version=1, stage="paused")
    with pytest.raises(Conflict) as raised:
        services.partnership_update(
            actor=maria, partnership=theirs, version=1, stage="ended", hours_per_week=5
        )
    saved = Partnership.objects.get(pk=world.northwind.pk)
    assert saved.stage == "paused"
    assert saved.version == 2
    rows = {row["field"]: row for row in raised.value.comparison()}
    assert rows["stage"] == {"field": "stage", "yours": "ended", "theirs": "paused"}


def test_two_writers_with_the_same_version_only_one_wins(world: World) -> None:
    """Even when both pass the first check, the conditional UPDATE lets one through."""
    lena = world.actor(world.lena)
    first = Partnership.objects.get(pk=world.northwind.pk)
    second = Partnership.objects.get(pk=world.northwind.pk)
    services.partnership_update(actor=lena, partnership=first, version=1, name="Northwind AB")
    second.version = 1  # as if it had read before the first write landed
    with pytest.raises(Conflict):
        services.partnership_update(actor=lena, partnership=second, version=1, name="NW Oy")
    assert Partnership.objects.get(pk=world.northwind.pk).name == "Northwind AB"


def test_page_shows_both_versions_and_keeps_the_users_input(world: World, as_maria) -> None:
    lena = world.actor(world.lena)
    services.partnership_update(
        actor=lena, partnership=world.northwind, version=1, summary="Lena's summary"
    )
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/edit/",
        {
            "version": 1,
            "name": "Northwind",
            "summary": "Maria's summary",
            "kind": "referral",
            "horizon": "tactical",
            "stage": "active",
            "cadence": "weekly",
            "hours_per_week": "2.0",
            "owner": world.maria.pk,
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved a change while you were editing" in page
    assert "Lena&#x27;s summary" in page and "Maria&#x27;s summary" in page
    assert Partnership.objects.get(pk=world.northwind.pk).summary == "Lena's summary"
    # The form now carries the saved version: saving again is a deliberate overwrite.
    assert 'name="version" value="2"' in page


def test_api_answers_409_with_the_current_record(world: World, client) -> None:
    from tandem.accounts.services import token_create

    secret = token_create(user=world.maria, name="t")[1]
    headers = {"Authorization": f"Bearer {secret}"}
    url = f"/api/partnerships/{world.northwind.pk}"
    first = client.patch(
        url, {"version": 1, "stage": "paused"}, content_type="application/json", headers=headers
    )
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(
        url, {"version": 1, "stage": "ended"}, content_type="application/json", headers=headers
    )
    assert stale.status_code == 409
    problem = stale.json()
    assert problem["current"]["stage"] == "paused"
    assert problem["current"]["version"] == 2
    assert problem["differences"] == [{"field": "stage", "yours": "ended", "theirs": "paused"}]
    assert Partnership.objects.get(pk=world.northwind.pk).stage == "paused"


def test_deleting_a_changed_item_is_refused(world: World, as_maria) -> None:
    note = world.shared_note
    from tandem.partners.services import item_update

    item_update(note, actor=world.actor(world.pat), version=1, title="Pat's new title")
    url = f"/partnerships/{world.northwind.pk}/notes/{note.pk}/delete/"
    response = as_maria.post(url, {"version": 1})
    assert response.status_code == 200
    assert "Someone else saved a change" in response.content.decode()
    note.refresh_from_db()
    assert note.title == "Pat's new title"


# --- Every versioned action checks the version first (issue 20) ------------------------------


def test_ticking_done_and_not_done_from_the_same_version_lets_one_win(world: World) -> None:
    """Pat ticks the to-do done while Maria, from the same page, unticks it: one of them is
    told the to-do changed, whichever order the two requests land in."""
    from tandem.accounts.services import token_create
    from tandem.traction.models import Todo

    url = f"/api/partnerships/{world.northwind.pk}/todos/{world.shared_todo.pk}/done"
    for first, second in ((True, False), (False, True)):
        version = Todo.objects.get(pk=world.shared_todo.pk).version
        answers = []
        for user, done in ((world.pat, first), (world.maria, second)):
            secret = token_create(user=user, name=f"tick-{done}-{version}")[1]
            response = Client().post(
                url,
                {"done": done, "version": version},
                content_type="application/json",
                headers={"Authorization": f"Bearer {secret}"},
            )
            answers.append(response.status_code)
        assert sorted(answers) == [200, 409], (first, second, answers)


def test_an_action_that_has_nothing_to_do_still_refuses_a_stale_version(world: World) -> None:
    from tandem.ideas import services as ideas
    from tandem.issues import services as issues
    from tandem.traction import services as traction

    maria = world.actor(world.maria)
    todo = world.shared_todo
    traction.todo_set_done(todo, actor=maria, version=todo.version, done=True)
    with pytest.raises(Conflict):
        traction.todo_set_done(todo, actor=maria, version=todo.version - 1, done=True)
    issue = world.shared_issue  # open: reopening has nothing to do
    with pytest.raises(Conflict):
        issues.issue_reopen(issue, actor=maria, version=issue.version + 5)
    with pytest.raises(Conflict):
        services.partnership_archive(
            actor=maria, partnership=world.northwind, version=99, archived=False
        )
    idea = world.shared_idea  # in the backlog: releasing it has nothing to do
    with pytest.raises(Conflict):
        ideas.idea_release(idea, actor=maria, version=idea.version + 1)


def _versioned_actions() -> list[tuple[str, str, ast.FunctionDef]]:
    root = Path(tandem.__file__).parent
    found = []
    for path in sorted(root.rglob("*.py")):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and "version" in [
                arg.arg for arg in node.args.args + node.args.kwonlyargs
            ]:
                found.append((str(path.relative_to(root)), node.name, node))
    return found


def test_every_versioned_action_asks_the_version_before_it_can_return() -> None:
    """A service that takes the version a person read must use it before any early return
    ("already done: nothing to do"), or a stale page is told it won. Read from the code, so
    a new service is held to it too."""
    actions = _versioned_actions()
    assert len(actions) > 30
    early = []
    for path, name, function in actions:
        uses = [
            node.lineno
            for node in ast.walk(function)
            if isinstance(node, ast.Name)
            and node.id == "version"
            and isinstance(node.ctx, ast.Load)
        ]
        returns = [
            node.lineno
            for node in ast.walk(function)
            if isinstance(node, ast.Return)
            # ``return other_action(..., version=version)`` hands the check on
            and not any(isinstance(n, ast.Name) and n.id == "version" for n in ast.walk(node))
        ]
        if uses and any(line < min(uses) for line in returns):
            early.append(f"{path}:{name}")
    assert early == []
