"""The Way: the program's core processes as ordered steps, and per partnership how far
both sides follow them."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.models import ActivityEntry
from tandem.partners.services import partnership_archive
from tandem.relationship.way import selectors, services
from tandem.relationship.way.defaults import DEFAULT_WAY
from tandem.relationship.way.models import Process, Step, StepCheck
from tests.conftest import World, client_for
from tests.factories import PartnershipFactory

PROGRAM = "/partnerships/program/way/"


def _way(world: World) -> dict[str, Any]:
    """Acme's Way: a shared lead hand-off (3 steps) and an internal health check (2)."""
    maria = world.actor(world.maria)
    handoff = services.process_create(
        actor=maria, workspace_id=world.acme.pk, name="Joint lead hand-off", purpose="Leads"
    )
    health = services.process_create(
        actor=maria,
        workspace_id=world.acme.pk,
        name="Margin health check",
        visibility=Visibility.INTERNAL,
    )
    steps = [
        services.step_create(handoff, actor=maria, title=title)
        for title in ("Qualify the lead", "Register it", "Introduce both owners")
    ]
    secret = [
        services.step_create(health, actor=maria, title=title)
        for title in ("Check their discount level", "Compare with our floor")
    ]
    return {"handoff": handoff, "health": health, "steps": steps, "secret": secret}


def _tick(world: World, step: Step, user: Any = None, followed: bool = True) -> StepCheck:
    check = StepCheck.objects.filter(partnership=world.northwind, step=step).first()
    return services.step_check(
        actor=world.actor(user or world.maria),
        partnership=world.northwind,
        step=step,
        followed=followed,
        version=check.version if check else None,
    )


def _way_url(world: World) -> str:
    return f"/partnerships/{world.northwind.pk}/way/"


# --- The program level ----------------------------------------------------------------------


def test_an_empty_way_offers_the_defaults_in_one_click(world: World, as_maria) -> None:
    page = as_maria.get(PROGRAM).content.decode()
    assert "No processes documented yet" in page
    assert "Start from these three processes" in page

    response = as_maria.post(f"{PROGRAM}defaults/")
    assert response.status_code == 302
    processes = list(Process.objects.filter(workspace=world.acme).order_by("position"))
    assert [p.name for p in processes] == [
        "Partner onboarding",
        "Joint lead hand-off",
        "Quarterly review",
    ]
    for process in processes:
        assert 4 <= process.steps.count() <= 7
    page = as_maria.get(PROGRAM).content.decode()
    assert "No processes documented yet" not in page
    assert "Register the lead in the shared pipeline" in page
    assert "The Way starts from partner onboarding" in page

    # A second click (another tab, a double click) adds nothing.
    as_maria.post(f"{PROGRAM}defaults/")
    assert Process.objects.filter(workspace=world.acme).count() == 3
    assert Step.objects.filter(workspace=world.acme).count() == sum(
        len(spec["steps"]) for spec in DEFAULT_WAY
    )


def test_the_defaults_go_into_the_members_own_workspace_only(world: World) -> None:
    services.install_defaults(actor=world.actor(world.olga), workspace_id=world.initech.pk)
    assert Process.objects.filter(workspace=world.acme).count() == 0
    with pytest.raises(Exception, match="permission"):
        services.install_defaults(actor=world.actor(world.pat), workspace_id=world.acme.pk)


def test_members_add_a_process_and_its_steps(world: World, as_maria) -> None:
    response = as_maria.post(
        f"{PROGRAM}processes/new/",
        {"name": "Joint lead hand-off", "purpose": "How leads move", "visibility": "shared"},
    )
    assert response.status_code == 302
    process = Process.objects.get(name="Joint lead hand-off")
    assert process.partnership_id is None and process.workspace_id == world.acme.pk
    assert response["Location"].endswith(f"#process-{process.pk}")
    for title in ("Qualify the lead", "Register it"):
        assert (
            as_maria.post(
                f"{PROGRAM}processes/{process.pk}/steps/new/", {"title": title}
            ).status_code
            == 302
        )
    assert [s.title for s in process.steps.order_by("position")] == [
        "Qualify the lead",
        "Register it",
    ]
    page = as_maria.get(PROGRAM).content.decode()
    assert "How leads move" in page and "Register it" in page
    assert ActivityEntry.objects.filter(verb="created", target_type="process").exists()


def test_a_process_needs_a_name_and_a_step_needs_a_title(world: World, as_maria) -> None:
    response = as_maria.post(f"{PROGRAM}processes/new/", {"name": "  ", "visibility": "shared"})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    process = _way(world)["handoff"]
    response = as_maria.post(f"{PROGRAM}processes/{process.pk}/steps/new/", {"title": ""})
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert process.steps.count() == 3
    response = as_maria.post(f"{PROGRAM}processes/new/", {"name": "Secret", "visibility": "public"})
    assert response.status_code == 400
    assert not Process.objects.filter(name="Secret").exists()


def test_members_edit_and_delete_processes_and_steps(world: World, as_maria) -> None:
    way = _way(world)
    process, step = way["handoff"], way["steps"][0]
    response = as_maria.post(
        f"{PROGRAM}processes/{process.pk}/edit/",
        {
            "version": process.version,
            "name": "Lead hand-off",
            "purpose": "",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302
    response = as_maria.post(
        f"{PROGRAM}steps/{step.pk}/edit/",
        {"version": step.version, "title": "Qualify against the profile", "guidance": "BANT"},
    )
    assert response.status_code == 302
    step.refresh_from_db()
    assert (step.title, step.guidance) == ("Qualify against the profile", "BANT")

    # Delete asks first.
    confirm = as_maria.get(f"{PROGRAM}steps/{step.pk}/delete/").content.decode()
    assert "Delete the step “Qualify against the profile”?" in confirm
    assert Step.objects.filter(pk=step.pk).exists()
    as_maria.post(f"{PROGRAM}steps/{step.pk}/delete/", {"version": step.version})
    assert not Step.objects.filter(pk=step.pk).exists()

    process.refresh_from_db()
    confirm = as_maria.get(f"{PROGRAM}processes/{process.pk}/delete/").content.decode()
    assert "Delete the process “Lead hand-off”?" in confirm
    as_maria.post(f"{PROGRAM}processes/{process.pk}/delete/", {"version": process.version})
    assert not Process.objects.filter(pk=process.pk).exists()
    assert not Step.objects.filter(process_id=process.pk).exists()


def test_an_edit_based_on_a_stale_version_is_refused(world: World, as_maria) -> None:
    process = _way(world)["handoff"]
    services.process_update(
        process, actor=world.actor(world.lena), version=process.version, name="Lena's name"
    )
    response = as_maria.post(
        f"{PROGRAM}processes/{process.pk}/edit/",
        {"version": 1, "name": "Maria's name", "purpose": "", "visibility": "shared"},
    )
    assert response.status_code == 400
    assert "Someone else saved a change" in response.content.decode()
    process.refresh_from_db()
    assert process.name == "Lena's name"


def test_processes_and_steps_move_up_and_down(world: World, as_maria) -> None:
    way = _way(world)
    handoff, health = way["handoff"], way["health"]
    response = as_maria.post(
        f"{PROGRAM}processes/{health.pk}/move/", {"version": health.version, "direction": "up"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"{PROGRAM}?moved=process-{health.pk}-up#process-{health.pk}"
    assert [p.name for p in selectors.processes_for(world.actor(world.maria), _program(world))] == [
        "Margin health check",
        "Joint lead hand-off",
    ]
    page = as_maria.get(response["Location"]).content.decode()
    assert page.index("Margin health check") < page.index("Joint lead hand-off")
    # The keyboard user's focus stays on the process just moved (now on top: its "down").
    assert 'aria-label="Move down: Margin health check" title="Move down" autofocus' in page
    assert page.count("autofocus") == 1
    # The top one's "up" is disabled; the buttons name what they move.
    assert 'aria-label="Move up: Margin health check" title="Move up" disabled' in page
    assert 'aria-label="Move down: Joint lead hand-off" title="Move down" disabled' in page
    assert ActivityEntry.objects.filter(verb="moved up", target_label="Margin health check")

    first, second, third = way["steps"]
    as_maria.post(f"{PROGRAM}steps/{first.pk}/move/", {"version": 1, "direction": "down"})
    as_maria.post(f"{PROGRAM}steps/{third.pk}/move/", {"version": 1, "direction": "up"})
    titles = list(handoff.steps.order_by("position", "id").values_list("title", flat=True))
    assert titles == ["Register it", "Introduce both owners", "Qualify the lead"]

    # Already at the bottom: nothing moves. A stale version: refused, with a message.
    first.refresh_from_db()
    assert not services.step_move(
        first, actor=world.actor(world.maria), version=first.version, direction="down"
    )
    response = as_maria.post(
        f"{PROGRAM}steps/{second.pk}/move/", {"version": 99, "direction": "down"}, follow=True
    )
    assert "was changed meanwhile" in response.content.decode()
    titles = list(handoff.steps.order_by("position", "id").values_list("title", flat=True))
    assert titles == ["Register it", "Introduce both owners", "Qualify the lead"]


def test_moving_renumbers_positions_that_tie(world: World) -> None:
    way = _way(world)
    Step.objects.filter(process=way["handoff"]).update(position=0)
    last = way["steps"][2]
    services.step_move(last, actor=world.actor(world.maria), version=1, direction="up")
    order = list(way["handoff"].steps.order_by("position", "id").values_list("title", "position"))
    assert order == [("Qualify the lead", 0), ("Introduce both owners", 1), ("Register it", 2)]


def test_partner_side_people_cannot_edit_the_way(world: World, as_pat) -> None:
    way = _way(world)
    assert as_pat.get(PROGRAM).status_code == 404
    nw = _way_url(world)
    assert (
        as_pat.post(f"{nw}processes/new/", {"name": "Mine", "visibility": "shared"}).status_code
        == 403
    )
    shared_step = way["steps"][0]
    response = as_pat.post(f"{nw}steps/{shared_step.pk}/edit/", {"version": 1, "title": "Mine"})
    assert response.status_code == 403
    assert as_pat.post(f"{nw}defaults/").status_code == 403
    with pytest.raises(Exception, match="permission"):
        services.step_update(shared_step, actor=world.actor(world.pat), version=1, title="Mine")


def test_another_workspace_never_sees_acmes_way(world: World, as_olga) -> None:
    way = _way(world)
    page = as_olga.get(PROGRAM).content.decode()
    assert "No processes documented yet" in page
    assert "Qualify the lead" not in page and "Margin health check" not in page
    assert as_olga.get(f"{PROGRAM}processes/{way['handoff'].pk}/edit/").status_code == 404
    assert as_olga.get(_way_url(world)).status_code == 404


def _program(world: World) -> Any:
    from tandem.core.scope import Program

    return Program(world.acme)


def test_the_program_page_shows_each_partnership_share_followed(world: World, as_maria) -> None:
    way = _way(world)
    for step in way["steps"][:2]:
        _tick(world, step)
    _tick(world, way["secret"][0])
    archived = PartnershipFactory(workspace=world.acme, name="Dormant Ltd")
    partnership_archive(actor=world.actor(world.maria), partnership=archived, version=1)
    rows = {
        row["partnership"].name: row
        for row in selectors.program_matrix(
            world.actor(world.maria),
            list(selectors.processes_for(world.actor(world.maria), _program(world))),
            list(selectors.program_partnerships(world.actor(world.maria), world.acme.pk)),
        )
    }
    assert set(rows) == {"Northwind", "Globex"}  # active partnerships only
    northwind = rows["Northwind"]
    assert [cell["percent"] for cell in northwind["cells"]] == [67, 50]
    assert (northwind["followed"], northwind["total"], northwind["percent"]) == (3, 5, 60)
    assert rows["Globex"]["percent"] == 0
    page = as_maria.get(PROGRAM).content.decode()
    assert "How far each partnership follows the Way" in page
    assert "60%" in page and "67%" in page and "Dormant Ltd" not in page


# --- Per partnership --------------------------------------------------------------------------


def test_a_member_ticks_a_step_without_javascript(world: World, as_maria) -> None:
    way = _way(world)
    step = way["steps"][0]
    url = f"{_way_url(world)}steps/{step.pk}/check/"
    response = as_maria.post(url, {"version": "", "followed": "1"})
    assert response.status_code == 302
    assert response["Location"] == f"{_way_url(world)}#step-{step.pk}"
    check = StepCheck.objects.get(partnership=world.northwind, step=step)
    assert check.followed and check.checked_by == world.maria and check.checked_at
    assert check.visibility == Visibility.SHARED
    entry = ActivityEntry.objects.get(verb="followed step", target_id=check.pk)
    assert entry.partnership_id == world.northwind.pk and entry.visibility == Visibility.SHARED

    page = as_maria.get(_way_url(world)).content.decode()
    assert "20%" in page  # 1 of 5 steps: the internal process counts for members
    assert "1 of 5 steps" in page
    assert "Followed · Maria Manager" in page

    # Unticking names the version it saw; a note is kept alongside.
    as_maria.post(url, {"version": check.version, "followed": "0", "note": "Not yet agreed"})
    check.refresh_from_db()
    assert (check.followed, check.note, check.version) == (False, "Not yet agreed", 2)
    assert ActivityEntry.objects.filter(verb="unticked step", target_id=check.pk).exists()


def test_ticking_with_htmx_answers_the_process_and_the_overall_share(world: World, as_pat) -> None:
    way = _way(world)
    step = way["steps"][1]
    response = as_pat.post(
        f"{_way_url(world)}steps/{step.pk}/check/",
        {"version": "", "followed": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith(
        f'<section class="card way-process" id="process-{way["handoff"].pk}"'
    )
    assert 'id="way-summary" hx-swap-oob="true"' in html
    assert "33%" in html  # 1 of the 3 shared steps Pat sees
    assert "Margin health check" not in html
    assert "<html" not in html


def test_the_partner_sees_and_ticks_shared_processes_only(world: World, as_pat) -> None:
    way = _way(world)
    _tick(world, way["secret"][0])  # a member's tick of an internal step
    page = as_pat.get(_way_url(world)).content.decode()
    assert "Joint lead hand-off" in page and "Qualify the lead" in page
    for hidden in ("Margin health check", "Check their discount level", "Internal"):
        assert hidden not in page
    assert "0%" in page and "0 of 3 steps" in page

    secret = way["secret"][1]
    url = f"{_way_url(world)}steps/{secret.pk}/check/"
    assert as_pat.post(url, {"followed": "1"}).status_code == 404
    assert not StepCheck.objects.filter(step=secret).exists()
    with pytest.raises(Exception, match="permission"):
        services.step_check(
            actor=world.actor(world.pat), partnership=world.northwind, step=secret, followed=True
        )

    as_pat.post(f"{_way_url(world)}steps/{way['steps'][0].pk}/check/", {"followed": "1"})
    check = StepCheck.objects.get(step=way["steps"][0])
    assert check.checked_by == world.pat and check.visibility == Visibility.SHARED
    assert StepCheck.objects.visible_to(world.actor(world.pat)).count() == 1

    # The partnership's activity: Pat's tick, never the member's tick of the internal step.
    activity = as_pat.get(f"/partnerships/{world.northwind.pk}/activity/").content.decode()
    assert "Qualify the lead" in activity and "followed step" in activity
    assert "Check their discount level" not in activity
    activity = client_for(world.maria).get(f"/partnerships/{world.northwind.pk}/activity/")
    assert "Check their discount level" in activity.content.decode()


def test_the_partner_is_told_when_nothing_is_shared_yet(world: World, as_pat, as_maria) -> None:
    page = as_pat.get(_way_url(world)).content.decode()
    assert "No shared processes yet" in page
    page = as_maria.get(_way_url(world)).content.decode()
    assert "The Way is not documented yet" in page and "Document the Way" in page
    services.process_create(
        actor=world.actor(world.maria),
        workspace_id=world.acme.pk,
        name="Our own pricing",
        visibility=Visibility.INTERNAL,
    )
    page = as_pat.get(_way_url(world)).content.decode()
    assert "No shared processes yet" in page and "Our own pricing" not in page


def test_making_a_process_internal_hides_its_ticks_from_the_partner(world: World) -> None:
    way = _way(world)
    check = _tick(world, way["steps"][0], user=world.pat)
    pat = world.actor(world.pat)
    assert ActivityEntry.objects.visible_to(pat).filter(target_id=check.pk).exists()
    process = way["handoff"]
    services.process_update(
        process, actor=world.actor(world.maria), version=process.version, visibility="internal"
    )
    check.refresh_from_db()
    assert check.visibility == Visibility.INTERNAL
    assert not StepCheck.objects.visible_to(pat).exists()
    assert not ActivityEntry.objects.visible_to(pat).filter(target_id=check.pk).exists()
    assert selectors.way_followed(pat, world.northwind) == {
        "followed": 0,
        "total": 0,
        "percent": None,
    }
    page = client_for(world.pat).get(_way_url(world)).content.decode()
    assert "Joint lead hand-off" not in page


def test_steps_added_later_are_not_followed_and_deleted_ones_drop_out(world: World) -> None:
    way = _way(world)
    maria = world.actor(world.maria)
    for step in way["steps"]:
        _tick(world, step)
    handoff = lambda: selectors.way_progress(maria, world.northwind).processes[0]  # noqa: E731
    assert (handoff().followed, handoff().total, handoff().percent) == (3, 3, 100)
    added = services.step_create(way["handoff"], actor=maria, title="Report the outcome")
    assert (handoff().followed, handoff().total, handoff().percent) == (3, 4, 75)
    assert [row.followed for row in handoff().rows] == [True, True, True, False]
    first = way["steps"][0]
    services.step_delete(first, actor=maria, version=first.version)
    assert (handoff().followed, handoff().total, handoff().percent) == (2, 3, 67)
    assert not StepCheck.objects.filter(step_id=first.pk).exists()
    services.step_delete(added, actor=maria, version=added.version)
    assert selectors.way_followed(maria, world.northwind) == {
        "followed": 2,
        "total": 4,
        "percent": 50,
    }


def test_a_stale_tick_is_a_conflict(world: World, as_pat) -> None:
    step = _way(world)["steps"][0]
    check = _tick(world, step)
    _tick(world, step, followed=False)  # version 2 now
    with pytest.raises(Conflict):
        services.step_check(
            actor=world.actor(world.pat),
            partnership=world.northwind,
            step=step,
            followed=True,
            version=check.version - 1 if check.version > 1 else 1,
        )
    # Someone ticked it meanwhile: a page that saw no check yet is told, nothing is lost.
    response = as_pat.post(
        f"{_way_url(world)}steps/{step.pk}/check/", {"version": "", "followed": "1"}, follow=True
    )
    assert "was ticked meanwhile" in response.content.decode()
    check.refresh_from_db()
    assert not check.followed
    # Asking for what already holds, from the version it is at, is no conflict and no news;
    # from a page that saw no check yet, it is a conflict like any other stale version.
    entries = ActivityEntry.objects.count()
    services.step_check(
        actor=world.actor(world.pat),
        partnership=world.northwind,
        step=step,
        followed=False,
        version=check.version,
    )
    assert ActivityEntry.objects.count() == entries
    with pytest.raises(Conflict):
        services.step_check(
            actor=world.actor(world.pat),
            partnership=world.northwind,
            step=step,
            followed=False,
            version=None,
        )


def test_an_archived_partnership_keeps_its_ticks_read_only(world: World, as_maria) -> None:
    step = _way(world)["steps"][0]
    partnership_archive(actor=world.actor(world.maria), partnership=world.northwind, version=1)
    world.northwind.refresh_from_db()
    with pytest.raises(InvalidInput, match="archived"):
        services.step_check(
            actor=world.actor(world.maria), partnership=world.northwind, step=step, followed=True
        )
    page = as_maria.get(_way_url(world)).content.decode()
    assert "way_step_check" not in page and "/check/" not in page


def test_a_step_of_another_workspace_cannot_be_ticked(world: World, as_maria) -> None:
    olga = world.actor(world.olga)
    theirs = services.process_create(actor=olga, workspace_id=world.initech.pk, name="Theirs")
    step = services.step_create(theirs, actor=olga, title="Their step")
    response = as_maria.post(f"{_way_url(world)}steps/{step.pk}/check/", {"followed": "1"})
    assert response.status_code == 404
    assert as_maria.get(f"{PROGRAM}steps/{step.pk}/edit/").status_code == 404


def test_the_health_selector_counts_what_each_side_sees(world: World) -> None:
    way = _way(world)
    _tick(world, way["steps"][0])
    _tick(world, way["secret"][0])
    _tick(world, way["secret"][1], followed=False)
    maria, pat, lee = (world.actor(u) for u in (world.maria, world.pat, world.lee))
    with CaptureQueriesContext(connection) as queries:
        assert selectors.way_followed(maria, world.northwind) == {
            "followed": 2,
            "total": 5,
            "percent": 40,
        }
    assert len(queries) == 1
    assert selectors.way_followed(pat, world.northwind)["percent"] == 33
    assert selectors.way_followed(lee, world.northwind)["total"] == 0
    assert selectors.way_followed(maria, world.globex)["percent"] == 0


# --- Query counts ------------------------------------------------------------------------------


def _grow(world: World, processes: int, steps: int, partnerships: int) -> None:
    maria = world.actor(world.maria)
    for n in range(processes):
        process = services.process_create(
            actor=maria,
            workspace_id=world.acme.pk,
            name=f"Process {Process.objects.count()}",
            visibility=Visibility.INTERNAL if n % 2 else Visibility.SHARED,
        )
        for m in range(steps):
            step = services.step_create(process, actor=maria, title=f"Step {m}")
            if m % 2 == 0:
                _tick(world, step)
    for _ in range(partnerships):
        PartnershipFactory(workspace=world.acme)


def test_the_way_pages_cost_the_same_with_more_processes(world: World, as_maria, as_pat) -> None:
    def cost(client: Any, url: str) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    _grow(world, 2, 2, 0)
    small = (
        cost(as_maria, PROGRAM),
        cost(as_maria, _way_url(world)),
        cost(as_pat, _way_url(world)),
    )
    _grow(world, 6, 5, 8)
    large = (
        cost(as_maria, PROGRAM),
        cost(as_maria, _way_url(world)),
        cost(as_pat, _way_url(world)),
    )
    assert large == small


# --- The API ---------------------------------------------------------------------------------


def _api(user: Any) -> Any:
    secret = token_create(user=user, name="tools")[1]
    return client_for(None), {"Authorization": f"Bearer {secret}"}


def test_the_way_through_the_api(world: World) -> None:
    api, auth = _api(world.maria)
    base = f"/api/workspaces/{world.acme.pk}/way"
    assert api.get(base, headers=auth).json() == []
    created = api.post(f"{base}/defaults", headers=auth)
    assert created.status_code == 201
    assert [p["name"] for p in created.json()] == [
        "Partner onboarding",
        "Joint lead hand-off",
        "Quarterly review",
    ]
    again = api.post(f"{base}/defaults", headers=auth)
    assert again.status_code == 400 and again["Content-Type"] == "application/problem+json"

    response = api.post(
        f"{base}/processes",
        data={"name": "Pricing review", "visibility": "internal"},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 201
    process = response.json()
    assert process["steps"] == [] and process["position"] == 3
    step = api.post(
        f"{base}/processes/{process['id']}/steps",
        data={"title": "Compare discounts", "guidance": "Against the floor"},
        content_type="application/json",
        headers=auth,
    ).json()
    assert step["title"] == "Compare discounts" and step["version"] == 1
    response = api.patch(
        f"{base}/steps/{step['id']}",
        data={"version": 1, "title": "Compare discount levels"},
        content_type="application/json",
        headers=auth,
    )
    assert response.json()["title"] == "Compare discount levels"
    stale = api.patch(
        f"{base}/steps/{step['id']}",
        data={"version": 1, "title": "Other"},
        content_type="application/json",
        headers=auth,
    )
    assert stale.status_code == 409
    moved = api.post(
        f"{base}/processes/{process['id']}/move",
        data={"version": process["version"], "direction": "up"},
        content_type="application/json",
        headers=auth,
    )
    assert [p["name"] for p in moved.json()][2:] == ["Pricing review", "Quarterly review"]
    response = api.patch(
        f"{base}/processes/{process['id']}",
        data={"version": process["version"] + 1, "name": None},
        content_type="application/json",
        headers=auth,
    )
    assert response.status_code == 400
    deleted = api.delete(f"{base}/steps/{step['id']}?version=2", headers=auth)
    assert deleted.status_code == 204
    deleted = api.delete(
        f"{base}/processes/{process['id']}?version={process['version'] + 1}", headers=auth
    )
    assert deleted.status_code == 204
    assert len(api.get(base, headers=auth).json()) == 3


def test_ticking_through_the_api_from_both_sides(world: World) -> None:
    way = _way(world)
    maria_api, maria = _api(world.maria)
    pat_api, pat = _api(world.pat)
    url = f"/api/partnerships/{world.northwind.pk}/way"

    seen = pat_api.get(url, headers=pat).json()
    assert [p["name"] for p in seen["processes"]] == ["Joint lead hand-off"]
    assert (seen["followed"], seen["total"], seen["percent"]) == (0, 3, 0)
    assert pat_api.get(f"/api/workspaces/{world.acme.pk}/way", headers=pat).status_code == 404

    step = way["steps"][0]
    ticked = pat_api.put(
        f"{url}/steps/{step.pk}/check",
        data={"followed": True, "note": "Done on the call"},
        content_type="application/json",
        headers=pat,
    )
    assert ticked.status_code == 200
    body = ticked.json()
    assert (body["followed"], body["total"], body["percent"]) == (1, 3, 33)
    first = body["steps"][0]
    assert first["followed"] and first["note"] == "Done on the call"
    assert first["checked_by"]["name"] == "Pat Northwind" and first["check_version"] == 1

    secret = way["secret"][0]
    response = pat_api.put(
        f"{url}/steps/{secret.pk}/check",
        data={"followed": True},
        content_type="application/json",
        headers=pat,
    )
    assert response.status_code == 404

    stale = maria_api.put(
        f"{url}/steps/{step.pk}/check",
        data={"followed": False},
        content_type="application/json",
        headers=maria,
    )
    assert stale.status_code == 409
    response = maria_api.put(
        f"{url}/steps/{step.pk}/check",
        data={"followed": False, "version": 1},
        content_type="application/json",
        headers=maria,
    )
    assert response.json()["percent"] == 0
    whole = maria_api.get(url, headers=maria).json()
    assert [p["name"] for p in whole["processes"]] == ["Joint lead hand-off", "Margin health check"]
    assert whole["total"] == 5
    assert maria_api.get("/api/partnerships/program/way", headers=maria).status_code == 422


def test_a_refused_tick_with_htmx_reloads_the_page_with_the_reason(world: World) -> None:
    step = _way(world)["steps"][0]
    partnership_archive(actor=world.actor(world.maria), partnership=world.northwind, version=1)
    client = client_for(world.pat)
    response = client.post(
        f"{_way_url(world)}steps/{step.pk}/check/",
        {"version": "", "followed": "1"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response["HX-Refresh"] == "true"
    assert not StepCheck.objects.exists()
    page = client.get(_way_url(world)).content.decode()
    assert "This partnership is archived" in page


def test_changes_to_the_way_refresh_the_partnership_pages_showing_them(world: World) -> None:
    """The page cache keys on data versions: a change of the Way moves the versions of the
    partnerships whose ticks it changes, and a cached page is not shown stale."""
    way = _way(world)
    step = way["steps"][0]
    _tick(world, step, user=world.pat)
    pat = client_for(world.pat)
    assert "1 of 3 steps" in pat.get(_way_url(world)).content.decode()  # now cached

    def version() -> int:
        world.northwind.refresh_from_db()
        return world.northwind.data_version

    before = version()
    services.step_delete(step, actor=world.actor(world.maria), version=step.version)
    assert version() > before
    assert "0 of 2 steps" in pat.get(_way_url(world)).content.decode()
    process = way["handoff"]
    process.refresh_from_db()
    before = version()
    services.process_update(
        process, actor=world.actor(world.maria), version=process.version, visibility="internal"
    )
    assert version() == before  # no ticks left under it: nothing of Northwind's changed
    assert "No shared processes yet" in pat.get(_way_url(world)).content.decode()
