"""Internal means internal: the program's values reach the partner side through the one
visibility mechanism. Pat sees the program values Acme shares with its partners, never one
Acme marked internal — on the Values page, in the API, in counts and in the activity log —
while Maria sees both kinds."""

from __future__ import annotations

import importlib
import json
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.models import shares_program_items
from tandem.core.scope import Program
from tandem.relationship.way.models import Process
from tandem.vision.models import Goal, Value
from tandem.vision.values import services as values_services
from tests.conftest import World, client_for
from tests.core.test_counts_for_reader import _api_urls, _fill, _page_urls, _read_everything


def _api(user: Any) -> Client:
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


@pytest.fixture
def program_values(world: World) -> dict[str, Value]:
    """Acme's shared "Candour", its internal "Walk away early", and a value of Northwind's
    that a member matched with each."""
    lena = world.actor(world.lena)
    program = Program(world.acme)
    found = {
        "shared": values_services.value_create(actor=lena, partnership=program, name="Candour"),
        "internal": values_services.value_create(
            actor=lena, partnership=program, name="Walk away early", visibility="internal"
        ),
    }
    for key, name in (("shared", "Straight talk"), ("internal", "Know when to stop")):
        found[f"theirs_{key}"] = values_services.value_create(
            actor=lena, partnership=world.northwind, name=name, matches=found[key]
        )
    return found


def test_a_program_value_is_shared_unless_the_program_keeps_it(program_values) -> None:
    assert program_values["shared"].visibility == Visibility.SHARED
    assert program_values["internal"].visibility == Visibility.INTERNAL


def test_pat_sees_the_shared_program_values_and_never_an_internal_one(
    world: World, program_values, as_pat
) -> None:
    alignment = _api(world.pat).get(f"/api/partnerships/{world.northwind.pk}/alignment").json()
    assert [value["name"] for value in alignment["ours"]] == ["Candour"]
    assert {value["visibility"] for value in alignment["ours"]} == {"shared"}
    assert alignment["shared"] == ["Candour"]
    # His value that a member matched with the internal one reads as matching nothing.
    theirs = {value["name"]: value["matches_id"] for value in alignment["theirs"]}
    assert theirs == {"Know when to stop": None, "Straight talk": program_values["shared"].pk}
    assert str(program_values["internal"].pk) not in json.dumps(alignment)

    listed = _api(world.pat).get(f"/api/partnerships/{world.northwind.pk}/values").json()
    assert {value["matches_id"] for value in listed} == {None, program_values["shared"].pk}

    page = as_pat.get(f"/partnerships/{world.northwind.pk}/values/").content.decode()
    assert "Candour" in page and "Straight talk" in page and "Know when to stop" in page
    assert "Walk away early" not in page


def test_maria_sees_both_kinds(world: World, program_values, as_maria) -> None:
    alignment = _api(world.maria).get(f"/api/partnerships/{world.northwind.pk}/alignment").json()
    assert {value["name"]: value["visibility"] for value in alignment["ours"]} == {
        "Candour": "shared",
        "Walk away early": "internal",
    }
    assert sorted(alignment["shared"]) == ["Candour", "Walk away early"]

    page = as_maria.get(f"/partnerships/{world.northwind.pk}/values/").content.decode()
    assert "Candour" in page and "Walk away early" in page
    program = as_maria.get("/partnerships/program/values/").content.decode()
    assert "Walk away early" in program and "vis-internal" in program


def test_marking_a_program_value_internal_hides_it_from_the_partner(
    world: World, program_values, as_lena, as_pat
) -> None:
    url = f"/partnerships/{world.northwind.pk}/values/"
    assert "Candour" in as_pat.get(url).content.decode()  # and now in the page cache
    candour = program_values["shared"]
    response = as_lena.post(
        f"/partnerships/program/values/{candour.pk}/edit/",
        {"version": candour.version, "name": "Candour", "meaning": "", "visibility": "internal"},
    )
    assert response.status_code == 302
    assert Value.objects.get(pk=candour.pk).visibility == Visibility.INTERNAL
    page = as_pat.get(url).content.decode()
    assert "Candour" not in page and "No shared values" in page

    # And back, through the API.
    candour.refresh_from_db()
    shared = _api(world.lena).patch(
        f"/api/partnerships/program/values/{candour.pk}",
        data={"version": candour.version, "visibility": "shared"},
        content_type="application/json",
    )
    assert shared.status_code == 200 and shared.json()["visibility"] == "shared"
    assert "Candour" in as_pat.get(url).content.decode()


def test_a_program_value_added_on_the_page_says_who_sees_it(world: World, as_lena) -> None:
    for name, visibility in (("Candour", "shared"), ("Walk away early", "internal")):
        response = as_lena.post(
            "/partnerships/program/values/new/", {"name": name, "visibility": visibility}
        )
        assert response.status_code == 302
        assert Value.objects.get(name=name, partnership=None).visibility == visibility


def test_pat_cannot_match_an_internal_program_value(world: World, program_values, as_pat) -> None:
    hidden = program_values["internal"].pk
    url = f"/partnerships/{world.northwind.pk}/values/"
    form = as_pat.get(url).content.decode()
    assert f'value="{hidden}"' not in form
    response = as_pat.post(f"{url}new/", {"name": "Quit early", "matches_field": hidden})
    assert response.status_code == 400
    assert not Value.objects.filter(name="Quit early").exists()

    api = _api(world.pat)
    refused = api.post(
        f"/api/partnerships/{world.northwind.pk}/values",
        data={"name": "Quit early", "matches_id": hidden},
        content_type="application/json",
    )
    unknown = api.post(
        f"/api/partnerships/{world.northwind.pk}/values",
        data={"name": "Quit early", "matches_id": 999999},
        content_type="application/json",
    )
    assert refused.status_code == unknown.status_code == 400
    assert refused.json()["errors"] == unknown.json()["errors"]  # same words: nothing learnt


def test_pat_editing_his_value_keeps_a_match_he_cannot_see(
    world: World, program_values, as_pat
) -> None:
    theirs = program_values["theirs_internal"]
    url = f"/partnerships/{world.northwind.pk}/values/{theirs.pk}/edit/"
    form = as_pat.get(url).content.decode()
    assert "Walk away early" not in form and 'name="matches_field"' not in form
    response = as_pat.post(url, {"version": theirs.version, "name": "Know when to quit"})
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.name == "Know when to quit" and theirs.matches_id == program_values["internal"].pk

    patched = _api(world.pat).patch(
        f"/api/partnerships/{world.northwind.pk}/values/{theirs.pk}",
        data={"version": theirs.version, "meaning": "Before it costs both sides"},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["matches_id"] is None


def test_the_partner_side_sees_no_other_program_items(world: World) -> None:
    """Only a model that says so shares its program items: every other program-level item
    stays the workspace's own, whatever its visibility."""
    sharing = {model for model in apps.get_models() if shares_program_items(model)}
    assert sharing == {Process, Value}
    shared = Process.objects.create(workspace=world.acme, name="Joint launch", visibility="shared")
    internal = Process.objects.create(
        workspace=world.acme, name="Margin review", visibility="internal"
    )
    seen = set(Process.objects.visible_to(world.actor(world.pat)).values_list("pk", flat=True))
    assert shared.pk in seen and internal.pk not in seen
    assert not Process.objects.visible_to(world.actor(world.olga)).filter(pk=shared.pk).exists()
    goal = Goal.objects.create(
        workspace=world.acme, title="Program-wide pipeline", target="1", visibility="shared"
    )
    assert not Goal.objects.visible_to(world.actor(world.pat)).filter(pk=goal.pk).exists()
    assert Goal.objects.visible_to(world.actor(world.maria)).filter(pk=goal.pk).exists()


def test_no_api_answer_pat_can_get_says_internal(world: World) -> None:
    found = _fill(world)
    pat = client_for(world.pat)
    seen = _read_everything(pat, [], _api_urls(world, found), found["live"])
    answers = {url: body for url, (status, body) in seen.items() if status == 200 and body}
    assert len(answers) >= 40, f"only {len(answers)} answers read"
    assert any("Candour" in json.dumps(body) for body in answers.values())
    internal = {url for url, body in answers.items() if _says_internal(body)}
    assert not internal, f"Pat reads internal items at {sorted(internal)}"


def _says_internal(body: Any) -> bool:
    """Whether any object in an answer, however deep, has ``"visibility": "internal"``."""
    if isinstance(body, dict):
        return body.get("visibility") == "internal" or any(map(_says_internal, body.values()))
    if isinstance(body, list):
        return any(map(_says_internal, body))
    return False


def test_pat_reads_no_internal_program_value_on_any_page(world: World) -> None:
    found = _fill(world)
    pat = client_for(world.pat)
    seen = _read_everything(pat, _page_urls(world, found), [], found["live"])
    pages = [url for url, (status, _body) in seen.items() if status == 200]
    assert len(pages) >= 60
    assert any("Candour" in body for _status, body in seen.values())
    assert not [url for url, (_status, body) in seen.items() if "Walk away early" in body]


def test_existing_program_values_become_shared(world: World) -> None:
    """They were shown to every partner before: the migration makes that their visibility."""
    migration = importlib.import_module("tandem.vision.migrations.0003_program_values_shared")
    old = Value.objects.create(workspace=world.acme, name="Candour", visibility="internal")
    theirs = Value.objects.create(
        workspace=world.acme, partnership=world.northwind, name="Mine", visibility="internal"
    )
    migration.share_program_values(apps, None)
    old.refresh_from_db()
    theirs.refresh_from_db()
    assert old.visibility == Visibility.SHARED
    assert theirs.visibility == Visibility.INTERNAL  # a partnership's own stays as it was
