"""Issues: ranked lists for both sides, top-three votes, solving into to-dos, moving."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.core.models import ActivityEntry
from tandem.issues import services
from tandem.issues.models import Issue, Term, Vote
from tandem.traction.models import Todo
from tests.conftest import World, client_for


def _titles(world: World, term: str = Term.SHORT, partnership: Any = None) -> list[str]:
    scope = partnership or world.northwind
    return list(
        Issue.objects.filter(partnership=scope, term=term, solved_at__isnull=True)
        .order_by("rank", "id")
        .values_list("title", flat=True)
    )


def _add(world: World, *titles: str, who: Any = None, **extra: Any) -> list[Issue]:
    actor = world.actor(who or world.maria)
    return [
        services.issue_create(actor=actor, partnership=world.northwind, title=title, **extra)
        for title in titles
    ]


def _ranks(world: World) -> list[int]:
    return list(
        Issue.objects.filter(partnership=world.northwind, term=Term.SHORT, solved_at=None)
        .order_by("rank")
        .values_list("rank", flat=True)
    )


def test_a_new_issue_joins_the_bottom_of_its_list(world: World, as_pat) -> None:
    response = as_pat.post(
        f"/partnerships/{world.northwind.pk}/issues/new/",
        {"title": "Demo environment keeps breaking", "term": "short", "due_on": ""},
    )
    assert response.status_code == 302
    assert _titles(world)[-1] == "Demo environment keeps breaking"
    issue = Issue.objects.get(title="Demo environment keeps breaking")
    assert issue.owner == world.pat and issue.visibility == Visibility.SHARED
    page = as_pat.get(f"/partnerships/{world.northwind.pk}/issues/").content.decode()
    assert "Demo environment keeps breaking" in page
    assert world.shared_issue.title in page
    assert world.internal_issue.title not in page  # internal: members only


def test_an_empty_title_is_refused_in_the_page(world: World, as_maria) -> None:
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/new/",
        {"title": "  ", "term": "short", "visibility": "shared"},
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert Issue.objects.count() == 2


def test_moving_an_issue_up_renumbers_the_list(world: World, as_maria) -> None:
    _add(world, "C", "D")
    d = Issue.objects.get(title="D")
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{d.pk}/rank/",
        {"position": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert _titles(world) == ["D", world.shared_issue.title, world.internal_issue.title, "C"]
    assert _ranks(world) == [1, 2, 3, 4]
    # The htmx answer is the list as saved, in its new order.
    body = response.content.decode()
    assert body.index(">D<") < body.index(world.shared_issue.title)
    # D is shared, so Pat reads the entry too: its places are counted among the shared
    # issues (#3 of Pat's three), never counting the internal one he cannot see.
    entry = ActivityEntry.objects.filter(verb="ranked").get()
    assert entry.changes == {"rank": ["#3", "#1"]}


def test_a_partner_moves_around_issues_they_cannot_see(world: World, as_pat) -> None:
    """Pat sees two of the three; moving the last one up past the first keeps the internal
    issue where it was relative to the others."""
    (c,) = _add(world, "C", who=world.pat)
    # Pat's list: shared_issue (rank 1), C (rank 3). The row above C has rank 1.
    as_pat.post(f"/partnerships/{world.northwind.pk}/issues/{c.pk}/rank/", {"position": "1"})
    assert _titles(world) == ["C", world.shared_issue.title, world.internal_issue.title]


def test_a_bad_position_is_a_message_not_an_error(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/issues/{world.shared_issue.pk}/rank/"
    response = as_maria.post(url, {"position": "first"}, follow=True)
    assert "Choose a place in the list." in response.content.decode()
    as_maria.post(url, {"position": "999"})  # clamped to the bottom
    assert _titles(world)[-1] == world.shared_issue.title


def test_three_votes_each_then_the_list_is_ranked_by_them(world: World, as_maria) -> None:
    c, d, e = _add(world, "C", "D", "E")
    maria, lena, pat = (world.actor(u) for u in (world.maria, world.lena, world.pat))
    for issue in (e, d, world.shared_issue):
        services.issue_vote(issue, actor=maria, vote=True)
    with pytest.raises(InvalidInput, match="used your 3 votes"):
        services.issue_vote(c, actor=maria, vote=True)
    assert services.issue_vote(world.shared_issue, actor=maria, vote=False) == 1
    assert services.issue_vote(c, actor=maria, vote=True) == 0
    services.issue_vote(e, actor=lena, vote=True)
    services.issue_vote(e, actor=pat, vote=True)
    services.issue_vote(d, actor=pat, vote=True)
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/issues/").content.decode()
    assert "<strong>0</strong> of 3 votes left" in page
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/votes/apply/", {"list": "short"}, follow=True
    )
    assert "Ranked by 6 votes; votes cleared." in response.content.decode()
    # E has 3 votes, D 2, C 1; the rest keep their order.
    assert _titles(world) == ["E", "D", "C", world.shared_issue.title, world.internal_issue.title]
    assert not Vote.objects.exists()


def test_votes_are_per_list(world: World) -> None:
    maria = world.actor(world.maria)
    short = _add(world, "S1", "S2", "S3")
    (long_one,) = _add(world, "L1", term=Term.LONG)
    for issue in short:
        services.issue_vote(issue, actor=maria, vote=True)
    assert services.issue_vote(long_one, actor=maria, vote=True) == 2


def test_solving_records_the_decision_and_creates_todos(world: World, as_pat) -> None:
    issue = world.shared_issue
    url = f"/partnerships/{world.northwind.pk}/issues/{issue.pk}/solve/"
    assert "Solve: Leads go cold after handoff" in as_pat.get(url).content.decode()
    response = as_pat.post(
        url,
        {
            "version": issue.version,
            "decision": "Hand off within 24 hours, with a shared checklist.",
            "todo0-title": "Write the handoff checklist",
            "todo0-owner": world.maria.pk,
            "todo0-due_on": "2030-01-10",
            "todo1-title": "Brief our sales team",
            "todo1-owner": "",
            "todo1-due_on": "",
            "todo2-title": "",
        },
    )
    assert response.status_code == 302, response.content.decode()
    issue.refresh_from_db()
    assert issue.is_solved and issue.solved_by == world.pat
    todos = {todo.title: todo for todo in issue.todos.all()}
    assert set(todos) == {"Write the handoff checklist", "Brief our sales team"}
    assert todos["Write the handoff checklist"].owner == world.maria
    assert todos["Brief our sales team"].owner == world.pat  # "Me"
    assert all(t.partnership_id == world.northwind.pk for t in todos.values())
    # Off the open list, onto the solved one, and the to-dos are on the to-do list.
    assert issue.title not in _titles(world)
    assert _ranks(world) == [1]
    solved = as_pat.get(f"/partnerships/{world.northwind.pk}/issues/solved/").content.decode()
    assert "Hand off within 24 hours" in solved and "Write the handoff checklist" in solved
    todo_page = as_pat.get(f"/partnerships/{world.northwind.pk}/todos/").content.decode()
    assert "Brief our sales team" in todo_page
    assert ActivityEntry.objects.filter(verb="solved", target_id=issue.pk).exists()


def test_solving_is_all_or_nothing(world: World, as_maria) -> None:
    """An internal issue's to-do cannot go to a partner-side person: nothing is written."""
    issue = world.internal_issue
    url = f"/partnerships/{world.northwind.pk}/issues/{issue.pk}/solve/"
    response = as_maria.post(url, {"version": issue.version, "decision": ""})
    assert response.status_code == 400
    assert "Write down what was decided." in response.content.decode()
    maria = world.actor(world.maria)
    with pytest.raises(InvalidInput):
        services.issue_solve(
            issue,
            actor=maria,
            version=issue.version,
            decision="Renegotiate",
            new_todos=[
                services.NewTodo(title="Call their CFO", owner=world.maria),
                services.NewTodo(title="Tell Pat", owner=world.pat),
            ],
        )
    issue.refresh_from_db()
    assert not issue.is_solved
    assert not Todo.objects.filter(title="Call their CFO").exists()


def test_a_stale_solve_is_reported(world: World, as_maria) -> None:
    issue = world.shared_issue
    services.issue_update(issue, actor=world.actor(world.pat), version=1, title="Leads go cold")
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{issue.pk}/solve/",
        {"version": 1, "decision": "Faster handoff"},
    )
    assert response.status_code == 400
    assert "Someone else saved a change" in response.content.decode()
    issue.refresh_from_db()
    assert not issue.is_solved


def test_the_solved_list_is_searchable_and_can_be_reopened(world: World, as_maria) -> None:
    maria = world.actor(world.maria)
    a, b = _add(world, "Pricing unclear", "Logo usage")
    services.issue_solve(a, actor=maria, version=a.version, decision="Use the 2027 price book")
    services.issue_solve(b, actor=maria, version=b.version, decision="Brand guide v2 applies")
    url = f"/partnerships/{world.northwind.pk}/issues/solved/"
    found = as_maria.get(url, {"q": "price book"}).content.decode()
    assert "Pricing unclear" in found and "Logo usage" not in found
    assert "Nothing matches" in as_maria.get(url, {"q": "zebra"}).content.decode()
    a.refresh_from_db()
    as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{a.pk}/reopen/", {"version": a.version}
    )
    assert _titles(world)[-1] == "Pricing unclear"


def test_an_issue_moves_to_another_partnership(world: World, as_maria) -> None:
    issue = world.shared_issue  # owned by Pat, who is not part of Globex
    url = f"/partnerships/{world.northwind.pk}/issues/{issue.pk}/move/"
    page = as_maria.get(url).content.decode()
    assert "Globex" in page and "The program level" in page
    response = as_maria.post(url, {"version": issue.version, "destination": world.globex.pk})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.partnership_id == world.globex.pk and issue.owner is None
    assert _ranks(world) == [1]  # Northwind's list closed the gap
    lee = client_for(world.lee)
    assert issue.title in lee.get(f"/partnerships/{world.globex.pk}/issues/").content.decode()
    assert client_for(world.pat).get(f"/partnerships/{world.northwind.pk}/issues/").status_code


def test_an_issue_moves_to_the_program_level(world: World, as_maria) -> None:
    issue = world.shared_issue
    as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{issue.pk}/move/",
        {"version": issue.version, "destination": "program"},
    )
    issue.refresh_from_db()
    assert issue.partnership_id is None and issue.visibility == Visibility.INTERNAL
    page = as_maria.get("/partnerships/program/issues/").content.decode()
    assert issue.title in page
    assert client_for(world.pat).get("/partnerships/program/issues/").status_code == 404


def test_partner_side_people_cannot_move_issues(world: World, as_pat) -> None:
    url = f"/partnerships/{world.northwind.pk}/issues/{world.shared_issue.pk}/move/"
    assert as_pat.get(url).status_code == 403
    assert as_pat.post(url, {"version": 1, "destination": "program"}).status_code == 403
    with pytest.raises(Exception, match="permission"):
        services.issue_move(
            world.shared_issue,
            actor=world.actor(world.pat),
            version=1,
            destination=world.globex,
        )


def test_an_issue_cannot_move_to_another_workspace(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/issues/{world.shared_issue.pk}/move/"
    response = as_maria.post(url, {"version": 1, "destination": world.initech_partner.pk})
    assert response.status_code == 400
    world.shared_issue.refresh_from_db()
    assert world.shared_issue.partnership_id == world.northwind.pk


def test_changing_the_list_puts_it_at_the_bottom_there(world: World) -> None:
    (long_one,) = _add(world, "Exclusivity in the Nordics", term=Term.LONG)
    issue = services.issue_update(
        world.shared_issue, actor=world.actor(world.maria), version=1, term=Term.LONG
    )
    assert issue.rank == 2
    assert _titles(world, Term.LONG) == ["Exclusivity in the Nordics", world.shared_issue.title]
    assert _ranks(world) == [1]


@pytest.mark.parametrize("url", ["/partnerships/{}/issues/", "/partnerships/{}/issues/solved/"])
def test_the_issue_pages_cost_the_same_with_10_or_200_issues(
    world: World, as_maria, url: str
) -> None:
    maria = world.actor(world.maria)

    def grow(total: int) -> None:
        while Issue.objects.filter(partnership=world.northwind).count() < total:
            (issue,) = _add(world, f"Issue {Issue.objects.count()}", owner=world.pat)
            services.issue_vote(
                issue, actor=maria, vote=True
            ) if not Vote.objects.exists() else None
            if issue.pk % 2:
                services.issue_solve(
                    issue,
                    actor=maria,
                    version=issue.version,
                    decision="Decided",
                    new_todos=[services.NewTodo(title="Follow up")],
                )

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(url.format(world.northwind.pk)).status_code == 200
        return len(queries)

    grow(10)
    small = cost()
    grow(200)
    assert cost() == small


def test_issues_through_the_api(world: World) -> None:
    from tandem.accounts.services import token_create

    _token, secret = token_create(user=world.pat, name="Pat's tools")
    api = client_for(None)
    headers = {"Authorization": f"Bearer {secret}"}
    base = f"/api/partnerships/{world.northwind.pk}/issues"
    created = api.post(
        base, {"title": "Need a sandbox"}, content_type="application/json", headers=headers
    )
    assert created.status_code == 201
    issue = created.json()
    # Third in the list, second of the two Pat sees: his numbers skip the internal issue.
    assert issue["rank"] == 2 and issue["owner"]["id"] == world.pat.pk
    listed = api.get(base, headers=headers).json()
    assert [i["title"] for i in listed["items"]] == [world.shared_issue.title, "Need a sandbox"]
    ranked = api.post(
        f"{base}/{issue['id']}/rank", {"position": 1}, content_type="application/json",
        headers=headers,
    )  # fmt: skip
    assert ranked.json()["rank"] == 1
    vote = api.post(
        f"{base}/{issue['id']}/vote", {}, content_type="application/json", headers=headers
    )
    assert vote.json() == {"votes_left": 2}
    solved = api.post(
        f"{base}/{issue['id']}/solve",
        {
            "version": ranked.json()["version"],
            "decision": "Spin one up per quarter",
            "todos": [{"title": "Request the sandbox", "owner_id": world.maria.pk}],
        },
        content_type="application/json",
        headers=headers,
    )
    assert solved.status_code == 200, solved.content
    assert solved.json()["solved"] and len(solved.json()["todo_ids"]) == 1
    refused = api.post(
        f"{base}/{world.shared_issue.pk}/solve",
        {"version": 1, "decision": "x", "todos": [{"title": "y", "owner_id": world.lee.pk}]},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 400 and refused["Content-Type"] == "application/problem+json"
    assert not Todo.objects.filter(title="y").exists()
    moved = api.post(
        f"{base}/{world.shared_issue.pk}/move",
        {"version": 1, "destination": "program"},
        content_type="application/json",
        headers=headers,
    )
    assert moved.status_code == 403
    found = api.get(base, {"solved": True, "q": "quarter"}, headers=headers).json()
    assert [i["title"] for i in found["items"]] == ["Need a sandbox"]


def test_the_issue_api_list_costs_the_same_with_more_issues(world: World) -> None:
    from tandem.accounts.services import token_create

    _token, secret = token_create(user=world.maria, name="tools")
    url = f"/api/partnerships/{world.northwind.pk}/issues"

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client_for(None).get(url, headers={"Authorization": f"Bearer {secret}"})
            assert response.status_code == 200
        return len(queries)

    _add(world, *(f"Issue {n}" for n in range(8)))
    cost()  # the token's first use of the day is recorded once
    small = cost()
    _add(world, *(f"More {n}" for n in range(190)))
    assert cost() == small


def test_a_move_is_news_for_members_only(world: World, as_maria) -> None:
    """The entry names the partnership the issue came from and its owner there: the new
    partnership's people do not see it."""
    as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{world.shared_issue.pk}/move/",
        {"version": 1, "destination": world.globex.pk},
    )
    lee = client_for(world.lee).get(f"/partnerships/{world.globex.pk}/activity/")
    assert lee.status_code == 200
    assert "Northwind" not in lee.content.decode()
    assert "Pat Northwind" not in lee.content.decode()
    maria = as_maria.get(f"/partnerships/{world.globex.pk}/activity/").content.decode()
    assert "moved" in maria and "Northwind" in maria


def test_votes_of_partners_go_when_an_issue_becomes_internal(world: World) -> None:
    pat, maria = world.actor(world.pat), world.actor(world.maria)
    services.issue_vote(world.shared_issue, actor=pat, vote=True)
    services.issue_vote(world.shared_issue, actor=maria, vote=True)
    services.issue_update(
        world.shared_issue,
        actor=maria,
        version=1,
        visibility=Visibility.INTERNAL,
        owner=world.maria,
    )
    assert list(Vote.objects.values_list("voter_id", flat=True)) == [world.maria.pk]
    (other,) = _add(world, "Something shared", who=world.pat)
    assert services.issue_vote(other, actor=pat, vote=True) == 2  # all three are Pat's again


def test_ranking_the_long_list_in_place_answers_the_long_list(world: World, as_maria) -> None:
    first, second = _add(world, "Nordic expansion", "Renewals ownership", term=Term.LONG)
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{second.pk}/rank/",
        {"position": "1", "page": "1"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "Long-term (quarterly meeting)" in body
    assert body.index("Renewals ownership") < body.index("Nordic expansion")
    assert world.shared_issue.title not in body  # the short-term list is not swapped in


def test_a_vote_in_place_updates_the_votes_left(world: World, as_maria) -> None:
    response = as_maria.post(
        f"/partnerships/{world.northwind.pk}/issues/{world.shared_issue.pk}/vote/",
        {"vote": "1", "list": "short", "page": "1"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert 'id="votes-card" hx-swap-oob="true"' in body
    assert "<strong>2</strong> of 3 votes left" in body
