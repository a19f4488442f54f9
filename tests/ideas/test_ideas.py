"""The ideas backlog (seed 001): two groups with an owner each, in priority order, only a few
committed at a time, and an idea becomes a rock or a to-do in one action."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import DomainError
from tandem.core.models import ActivityEntry
from tandem.ideas import services
from tandem.ideas.models import Idea, IdeaBoard, IdeaStatus
from tandem.traction.models import Rock, Todo
from tests.conftest import World

# Pages are read more than once per test; their context is what these tests look at.

LIMIT_MESSAGE = (
    "Northwind already has 3 committed ideas — the limit is 3."
    " Finish or release one first, or raise the limit."
)


def url(world: World, suffix: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/ideas/{suffix}"


def add(world: World, title: str, horizon: str = "tactical", **values: object) -> Idea:
    return services.idea_create(
        actor=world.actor(world.maria), partnership=world.northwind, title=title,
        horizon=horizon, **values,
    )  # fmt: skip


def api_client(user: object) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


def titles(response: object, horizon: str) -> list[str]:
    groups = {group["horizon"]: group for group in response.context["groups"]}  # type: ignore[attr-defined]
    return [idea.title for idea in groups[horizon]["page"].object_list]


# --- Capture and groups --------------------------------------------------------------------


def test_an_idea_is_captured_in_one_field_at_the_bottom_of_its_group(
    world: World, as_maria
) -> None:
    response = as_maria.post(
        url(world, "new/"), {"title": "Partner of the month", "horizon": "strategic"}
    )
    assert response.status_code == 302
    add(world, "Case study with Northwind", horizon="strategic")
    idea = Idea.objects.get(title="Partner of the month")
    assert (idea.horizon, idea.status, idea.owner, idea.visibility) == (
        "strategic", "backlog", world.maria, "shared",
    )  # fmt: skip
    page = as_maria.get(url(world))
    assert titles(page, "strategic") == ["Partner of the month", "Case study with Northwind"]
    assert "Joint customer webinar" in titles(page, "tactical")


def test_an_empty_idea_is_refused_without_a_crash(world: World, as_maria) -> None:
    response = as_maria.post(url(world, "new/"), {"title": "  ", "horizon": "tactical"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_each_group_has_its_own_owner_who_owns_new_ideas(world: World, as_maria, as_pat) -> None:
    response = as_maria.post(
        url(world, "settings/"),
        {"version": 1, "commit_limit": 3, "tactical_owner": world.pat.pk,
         "strategic_owner": world.maria.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert as_pat.get(url(world, "settings/")).status_code == 403
    assert add(world, "Shared quick win").owner == world.pat
    assert add(world, "Bigger bet", horizon="strategic").owner == world.maria
    # Pat cannot see an internal idea, so he cannot own one: whoever adds it does.
    internal = add(world, "Internal quick win", visibility=Visibility.INTERNAL)
    assert internal.owner == world.maria
    page = as_pat.get(url(world)).content.decode()
    assert "Owner <strong>Pat Northwind</strong>" in page


def test_pat_sees_and_adds_shared_ideas_only(world: World, as_pat) -> None:
    page = as_pat.get(url(world))
    assert titles(page, "tactical") == ["Joint customer webinar"]
    assert "Ask for exclusivity" not in page.content.decode()
    assert as_pat.get(url(world, f"{world.internal_idea.pk}/edit/")).status_code == 404
    as_pat.post(url(world, "new/"), {"title": "Joint booth at the fair", "horizon": "tactical"})
    assert Idea.objects.get(title="Joint booth at the fair").visibility == "shared"


# --- The commit limit ----------------------------------------------------------------------


def test_committing_past_the_limit_is_refused_and_says_why(world: World, as_maria) -> None:
    ideas = [world.shared_idea, world.internal_idea, add(world, "Third")]
    for idea in ideas:
        response = as_maria.post(url(world, f"{idea.pk}/commit/"), {"version": idea.version})
        assert response.status_code == 302
    fourth = add(world, "Fourth")
    response = as_maria.post(
        url(world, f"{fourth.pk}/commit/"), {"version": fourth.version}, follow=True
    )
    assert LIMIT_MESSAGE in response.content.decode()
    fourth.refresh_from_db()
    assert fourth.status == IdeaStatus.BACKLOG
    assert Idea.objects.filter(status=IdeaStatus.COMMITTED).count() == 3


def test_a_refused_commit_with_htmx_reloads_the_page_with_the_reason(
    world: World, as_maria
) -> None:
    IdeaBoard.objects.create(workspace=world.acme, partnership=world.northwind, commit_limit=1)
    services.idea_commit(world.shared_idea, actor=world.actor(world.maria), version=1)
    idea = world.internal_idea
    response = as_maria.post(
        url(world, f"{idea.pk}/commit/"), {"version": idea.version}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    page = as_maria.get(url(world)).content.decode()
    assert "Northwind already has 1 committed idea — the limit is 1." in page


def test_a_commit_with_htmx_answers_the_board(world: World, as_maria) -> None:
    idea = world.shared_idea
    response = as_maria.post(
        url(world, f"{idea.pk}/commit/"), {"version": idea.version}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200 and html.lstrip().startswith('<div id="board"')
    assert "Committed: 1 of 3" in html and "<html" not in html


def test_releasing_or_finishing_frees_a_place_and_raising_the_limit_makes_room(
    world: World, as_maria
) -> None:
    maria = world.actor(world.maria)
    ideas = [world.shared_idea, world.internal_idea, add(world, "Third"), add(world, "Fourth")]
    for idea in ideas[:3]:
        services.idea_commit(idea, actor=maria, version=idea.version)
    services.idea_release(ideas[0], actor=maria, version=ideas[0].version)
    services.idea_commit(ideas[3], actor=maria, version=ideas[3].version)
    services.idea_finish(ideas[1], actor=maria, version=ideas[1].version)
    services.idea_commit(ideas[0], actor=maria, version=ideas[0].version)
    with pytest.raises(services.CommitLimitReached):
        services.idea_commit(add(world, "Fifth"), actor=maria, version=1)
    as_maria.post(url(world, "settings/"), {"version": 1, "commit_limit": 4})
    fifth = Idea.objects.get(title="Fifth")
    services.idea_commit(fifth, actor=maria, version=fifth.version)
    assert Idea.objects.filter(status=IdeaStatus.COMMITTED).count() == 4


def test_the_limit_is_between_1_and_20(world: World, as_maria) -> None:
    for bad in ("0", "21", "x"):
        response = as_maria.post(url(world, "settings/"), {"version": 1, "commit_limit": bad})
        assert response.status_code == 200 and "errorlist" in response.content.decode()
    with pytest.raises(DomainError):
        services.board_update(
            actor=world.actor(world.maria), partnership=world.northwind, version=1,
            commit_limit=0,
        )  # fmt: skip


@pytest.mark.postgresql  # an in-memory SQLite database is one connection's
@pytest.mark.django_db(transaction=True)
def test_two_commits_at_once_cannot_both_pass_the_limit(world: World) -> None:
    """The count and the change happen under the board's row lock: the second commit waits
    for the first and then sees it."""
    IdeaBoard.objects.create(workspace=world.acme, partnership=world.northwind, commit_limit=1)
    first, second = world.shared_idea, add(world, "Second")
    counted = threading.Event()
    original = services.committed_count

    def slow_count(scope: object) -> int:
        result = original(scope)
        counted.set()
        threading.Event().wait(0.3)  # hold the lock while the other commit arrives
        return result

    outcomes: dict[str, object] = {}

    def commit(name: str, idea: Idea) -> None:
        try:
            services.idea_commit(idea, actor=world.actor(world.maria), version=idea.version)
            outcomes[name] = "committed"
        except services.CommitLimitReached as error:
            outcomes[name] = error.detail
        finally:
            connection.close()

    services.committed_count = slow_count  # type: ignore[assignment]
    try:
        one = threading.Thread(target=commit, args=("first", first))
        one.start()
        counted.wait(5)
        services.committed_count = original  # type: ignore[assignment]
        two = threading.Thread(target=commit, args=("second", second))
        two.start()
        one.join(10)
        two.join(10)
    finally:
        services.committed_count = original  # type: ignore[assignment]
    assert outcomes["first"] == "committed"
    assert "already has 1 committed idea" in str(outcomes["second"])
    assert Idea.objects.filter(status=IdeaStatus.COMMITTED).count() == 1


def test_a_stale_commit_is_refused(world: World, as_maria) -> None:
    idea = world.shared_idea
    services.idea_update(idea, actor=world.actor(world.pat), version=1, title="Webinar, May")
    response = as_maria.post(url(world, f"{idea.pk}/commit/"), {"version": 1}, follow=True)
    assert "was changed meanwhile" in response.content.decode()
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.BACKLOG


# --- Priority order ------------------------------------------------------------------------


def test_ideas_move_up_and_down_within_their_group(world: World, as_maria) -> None:
    second = add(world, "Second")
    add(world, "Strategic one", horizon="strategic")
    response = as_maria.post(url(world, f"{second.pk}/move/"), {"direction": "up"})
    assert response.status_code == 302 and response["Location"].endswith(f"#idea-{second.pk}")
    assert titles(as_maria.get(url(world)), "tactical") == [
        "Joint customer webinar", "Second", "Ask for exclusivity in Norway",
    ]  # fmt: skip
    as_maria.post(url(world, f"{second.pk}/move/"), {"direction": "up"})
    as_maria.post(url(world, f"{second.pk}/move/"), {"direction": "up"})  # already first
    page = as_maria.get(url(world))
    assert titles(page, "tactical")[0] == "Second"
    assert titles(page, "strategic") == ["Strategic one"]
    as_maria.post(
        url(world, f"{world.shared_idea.pk}/move/"), {"direction": "down"}, HTTP_HX_REQUEST="true"
    )
    assert titles(as_maria.get(url(world)), "tactical")[-1] == "Joint customer webinar"
    entry = ActivityEntry.objects.filter(verb="raised the priority of").first()
    assert entry is not None and entry.target_label == "Second"


def test_pat_moves_past_ideas_he_cannot_see(world: World, as_pat) -> None:
    """Pat's list has no internal idea in it: "down" swaps with the next one he sees."""
    later = add(world, "Later shared idea")
    as_pat.post(url(world, f"{world.shared_idea.pk}/move/"), {"direction": "down"})
    assert titles(as_pat.get(url(world)), "tactical") == [
        "Later shared idea", "Joint customer webinar",
    ]  # fmt: skip
    later.refresh_from_db()
    assert later.position == 0


def test_moving_to_the_other_group_puts_it_last_there(world: World, as_maria) -> None:
    add(world, "Strategic one", horizon="strategic")
    idea = world.shared_idea
    response = as_maria.post(
        url(world, f"{idea.pk}/edit/"),
        {"version": 1, "title": idea.title, "horizon": "strategic", "owner": world.pat.pk,
         "visibility": "shared"},
    )  # fmt: skip
    assert response.status_code == 302
    assert titles(as_maria.get(url(world)), "strategic") == [
        "Strategic one", "Joint customer webinar",
    ]  # fmt: skip


# --- Becoming a rock or a to-do ------------------------------------------------------------


def test_an_idea_becomes_a_rock_in_one_action_and_keeps_the_link(world: World, as_maria) -> None:
    idea = world.shared_idea
    response = as_maria.post(
        url(world, f"{idea.pk}/convert/"), {"version": 1, "into": "rock"}, follow=True
    )
    assert "is now a rock for" in response.content.decode()
    idea.refresh_from_db()
    rock = Rock.objects.get(title="Joint customer webinar")
    assert (idea.status, idea.rock, idea.todo) == (IdeaStatus.CONVERTED, rock, None)
    assert (rock.owner, rock.visibility, rock.partnership) == (world.pat, "shared", world.northwind)
    page = as_maria.get(url(world)).content.decode()
    assert f'href="/partnerships/{world.northwind.pk}/rocks/{rock.pk}/edit/"' in page
    assert "Joint customer webinar" not in titles(as_maria.get(url(world)), "tactical")
    assert ActivityEntry.objects.filter(verb="made a rock of idea").exists()


def test_an_idea_becomes_a_todo_for_pat(world: World, as_pat) -> None:
    idea = world.shared_idea
    response = as_pat.post(url(world, f"{idea.pk}/convert/"), {"version": 1, "into": "todo"})
    assert response.status_code == 302
    idea.refresh_from_db()
    todo = Todo.objects.get(pk=idea.todo_id)
    assert (todo.title, todo.owner, todo.visibility) == (
        "Joint customer webinar",
        world.pat,
        "shared",
    )
    page = as_pat.get(url(world)).content.decode()
    assert "became the to-do" in page


def test_a_conversion_that_fails_changes_nothing(world: World, as_maria) -> None:
    idea = world.shared_idea
    world.northwind.archived_at = world.northwind.created_at
    world.northwind.save()
    response = as_maria.post(url(world, f"{idea.pk}/convert/"), {"version": 1, "into": "rock"})
    assert response.status_code == 302
    assert not Rock.objects.filter(title=idea.title).exists()
    with pytest.raises(DomainError):
        services.idea_convert(idea, actor=world.actor(world.maria), version=1, into="rock")


def test_a_rock_made_internal_later_is_not_shown_to_pat(world: World, as_pat) -> None:
    maria = world.actor(world.maria)
    idea = services.idea_convert(world.shared_idea, actor=maria, version=1, into="rock")
    from tandem.traction import rocks

    rocks.rock_update(idea.rock, actor=maria, version=1, visibility="internal", owner=world.maria)
    page = as_pat.get(url(world)).content.decode()
    assert "since removed" in page and "/rocks/" not in page.split('id="past"')[1]


# --- The program level ---------------------------------------------------------------------


def test_the_program_has_its_own_internal_backlog(world: World, as_maria, as_pat) -> None:
    response = as_maria.post(
        "/partnerships/program/ideas/new/", {"title": "Partner awards", "horizon": "strategic"}
    )
    assert response.status_code == 302
    idea = Idea.objects.get(title="Partner awards")
    assert (idea.partnership_id, idea.visibility) == (None, "internal")
    page = as_maria.get("/partnerships/program/ideas/").content.decode()
    assert "Partner awards" in page and "Joint customer webinar" not in page
    assert as_pat.get("/partnerships/program/ideas/").status_code == 404
    services.idea_commit(idea, actor=world.actor(world.maria), version=idea.version)
    assert "Committed: 1 of 3" in as_maria.get("/partnerships/program/ideas/").content.decode()


# --- Cost ----------------------------------------------------------------------------------


def _many(world: World, n: int) -> None:
    rock = Rock.objects.create(
        workspace=world.acme, partnership=world.northwind, title="r", owner=world.pat,
        year=2026, quarter=4, due_on=world.shared_rock.due_on,
    )  # fmt: skip
    todo = Todo.objects.create(workspace=world.acme, partnership=world.northwind, title="t")
    statuses = ["backlog", "committed", "done", "converted"]
    Idea.objects.bulk_create(
        Idea(
            workspace=world.acme, partnership=world.northwind, title=f"idea {i}",
            owner=world.pat if i % 2 else world.maria, horizon=("tactical", "strategic")[i % 2],
            status=statuses[i % 4], position=10 + i,
            rock=rock if i % 8 == 3 else None, todo=todo if i % 8 == 7 else None,
            visibility="internal" if i % 5 == 4 else "shared",
        )
        for i in range(n)
    )  # fmt: skip


def test_the_idea_list_costs_the_same_with_10_or_200_ideas(world: World, as_maria, as_pat) -> None:
    def count(client: Client) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url(world)).status_code == 200
        return len(captured)

    _many(world, 8)  # with the two of the cast: 10
    few = count(as_maria), count(as_pat)
    _many(world, 190)
    assert (count(as_maria), count(as_pat)) == few


def test_the_idea_api_list_costs_the_same_with_10_or_200_ideas(world: World) -> None:
    api = api_client(world.maria)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = api.get(f"/api/partnerships/{world.northwind.pk}/ideas?page_size=200")
            assert response.status_code == 200
        return len(captured)

    _many(world, 8)
    count()
    few = count()
    _many(world, 190)
    assert count() == few
    assert api.get(f"/api/partnerships/{world.northwind.pk}/ideas").json()["count"] == 200


# --- The API -------------------------------------------------------------------------------


def test_ideas_through_the_api(world: World) -> None:
    pat = api_client(world.pat)
    base = f"/api/partnerships/{world.northwind.pk}/ideas"
    listed = pat.get(base).json()
    assert [idea["title"] for idea in listed["items"]] == ["Joint customer webinar"]
    assert set(listed) == {"items", "count", "page", "pages"}
    created = pat.post(base, {"title": "Referral bonus"}, content_type="application/json")
    assert created.status_code == 201
    idea = created.json()
    assert (idea["horizon"], idea["status"], idea["owner"]["email"]) == (
        "tactical", "backlog", "pat@northwind.example",
    )  # fmt: skip
    moved = pat.post(
        f"{base}/{idea['id']}/move", {"direction": "up"}, content_type="application/json"
    )
    assert moved.status_code == 200
    committed = pat.post(
        f"{base}/{idea['id']}/commit", {"version": 1}, content_type="application/json"
    )
    assert committed.json()["status"] == "committed"
    converted = pat.post(
        f"{base}/{idea['id']}/convert", {"version": 2, "into": "todo"},
        content_type="application/json",
    )  # fmt: skip
    assert converted.json()["became"]["kind"] == "todo"
    assert converted.json()["status"] == "converted"
    hidden = pat.patch(
        f"{base}/{world.internal_idea.pk}", {"version": 1, "title": "x"},
        content_type="application/json",
    )  # fmt: skip
    assert hidden.status_code == 404
    board = pat.patch(
        f"{base}/board", {"version": 1, "commit_limit": 9}, content_type="application/json"
    )
    assert board.status_code == 403


def test_the_api_refuses_a_commit_past_the_limit_with_the_same_words(world: World) -> None:
    maria = api_client(world.maria)
    base = f"/api/partnerships/{world.northwind.pk}/ideas"
    board = maria.patch(
        f"{base}/board", {"version": 1, "commit_limit": 1}, content_type="application/json"
    )
    assert board.json()["commit_limit"] == 1
    maria.post(
        f"{base}/{world.shared_idea.pk}/commit", {"version": 1}, content_type="application/json"
    )
    refused = maria.post(
        f"{base}/{world.internal_idea.pk}/commit", {"version": 1}, content_type="application/json"
    )
    assert refused.status_code == 409
    assert refused["Content-Type"].startswith("application/problem+json")
    problem = refused.json()
    assert problem["title"] == "Commit limit reached"
    assert problem["detail"] == (
        "Northwind already has 1 committed idea — the limit is 1."
        " Finish or release one first, or raise the limit."
    )
    assert maria.get(f"{base}/board").json()["committed"] == 1


def test_the_program_backlog_through_the_api(world: World) -> None:
    lena, pat = api_client(world.lena), api_client(world.pat)
    created = lena.post(
        "/api/partnerships/program/ideas", {"title": "Partner awards", "visibility": "shared"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 201
    assert created.json()["visibility"] == "internal"  # the program's own, whatever was asked
    listed = lena.get("/api/partnerships/program/ideas").json()
    assert [idea["title"] for idea in listed["items"]] == ["Partner awards"]
    assert lena.get("/api/partnerships/program/ideas/board").json()["commit_limit"] == 3
    assert pat.get("/api/partnerships/program/ideas").status_code == 404


def test_moving_past_an_internal_idea_is_not_news_for_the_partner(world: World, as_maria) -> None:
    """The entry names the neighbour; an internal neighbour keeps the entry internal."""
    as_maria.post(url(world, f"{world.shared_idea.pk}/move/"), {"direction": "down"})
    entry = ActivityEntry.objects.filter(target_id=world.shared_idea.pk).latest("id")
    assert "Ask for exclusivity in Norway" in str(entry.changes)
    assert entry.visibility == Visibility.INTERNAL
    pat = Client()
    pat.force_login(world.pat, backend="django.contrib.auth.backends.ModelBackend")
    page = pat.get(f"/partnerships/{world.northwind.pk}/activity/").content.decode()
    assert "Ask for exclusivity in Norway" not in page


def test_converting_in_place_says_what_the_idea_became(world: World, as_maria) -> None:
    response = as_maria.post(
        url(world, f"{world.shared_idea.pk}/convert/"),
        {"version": 1, "into": "todo"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="board"' in body
    assert "“Joint customer webinar” is now a to-do, due" in body
