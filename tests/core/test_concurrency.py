"""An edit based on a stale version is refused — page and API alike — never applied."""

from __future__ import annotations

import pytest

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
