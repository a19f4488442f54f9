"""Every change records who, what, when, old and new — shown by the same visibility rules."""

from __future__ import annotations

from tandem.core.access import Visibility
from tandem.core.models import ActivityEntry
from tandem.partners import services
from tandem.partners.models import Note
from tests.conftest import World


def test_an_update_records_old_and_new_values(world: World) -> None:
    lena = world.actor(world.lena)
    services.partnership_update(
        actor=lena, partnership=world.northwind, version=1, stage="paused", hours_per_week=4
    )
    entry = ActivityEntry.objects.filter(partnership=world.northwind).first()
    assert entry.actor == world.lena
    assert entry.verb == "updated"
    assert entry.changes["stage"] == ["Active", "Paused"]
    assert entry.changes["hours_per_week"] == ["2.0", "4"]
    assert world.northwind.stage_changes.first().to_stage == "paused"


def test_pat_never_sees_internal_activity(world: World, as_pat, as_maria) -> None:
    maria = world.actor(world.maria)
    services.item_create(
        Note, actor=maria, partnership=world.northwind, title="Shared plan", body=""
    )
    services.item_create(
        Note,
        actor=maria,
        partnership=world.northwind,
        title="Walk-away price",
        body="",
        visibility=Visibility.INTERNAL,
    )
    services.partnership_update(
        actor=maria, partnership=world.northwind, version=1, hours_per_week=9
    )
    pat_page = as_pat.get(f"/partnerships/{world.northwind.pk}/activity/").content.decode()
    maria_page = as_maria.get(f"/partnerships/{world.northwind.pk}/activity/").content.decode()
    assert "Shared plan" in pat_page
    assert "Walk-away price" not in pat_page
    assert "Hours per week" not in pat_page
    assert "Walk-away price" in maria_page and "Hours per week" in maria_page


def test_making_an_internal_note_shared_keeps_its_internal_past_hidden(world: World) -> None:
    maria = world.actor(world.maria)
    note = world.internal_note
    services.item_update(note, actor=maria, version=1, visibility=Visibility.SHARED)
    entry = ActivityEntry.objects.filter(target_id=note.pk, verb="updated").get()
    assert entry.visibility == Visibility.INTERNAL
    pat_entries = ActivityEntry.objects.visible_to(world.actor(world.pat))
    assert not pat_entries.filter(target_id=note.pk, target_type="note").exists()


def test_activity_api_is_paginated_and_filtered(world: World, client) -> None:
    from tandem.accounts.services import token_create

    maria = world.actor(world.maria)
    for number in range(60):
        services.item_create(
            Note, actor=maria, partnership=world.northwind, title=f"Shared {number}", body=""
        )
    services.item_create(
        Note,
        actor=maria,
        partnership=world.northwind,
        title="Internal",
        body="",
        visibility=Visibility.INTERNAL,
    )
    secret = token_create(user=world.pat, name="t")[1]
    url = f"/api/partnerships/{world.northwind.pk}/activity"
    first = client.get(url, headers={"Authorization": f"Bearer {secret}"}).json()
    assert first["count"] == 60 and first["pages"] == 2 and len(first["items"]) == 50
    second = client.get(url + "?page=2", headers={"Authorization": f"Bearer {secret}"}).json()
    labels = [item["target_label"] for item in first["items"] + second["items"]]
    assert "Internal" not in labels
