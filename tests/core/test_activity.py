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


# --- An entry is visible only while its item is (issue 20) ----------------------------------


def _pat_reads(world: World, as_pat) -> list[str]:
    """What Pat can read of Northwind's history: the API, the history page, the overview."""
    from tandem.accounts.services import token_create

    secret = token_create(user=world.pat, name="reader")[1]
    pk = world.northwind.pk
    api = as_pat.get(
        f"/api/partnerships/{pk}/activity", headers={"Authorization": f"Bearer {secret}"}
    )
    return [
        api.content.decode(),
        as_pat.get(f"/partnerships/{pk}/activity/").content.decode(),
        as_pat.get(f"/partnerships/{pk}/").content.decode(),
    ]


def _api_as(client, user, method: str, url: str, **body):
    from tandem.accounts.services import token_create

    secret = token_create(user=user, name=f"{method}-{url}")[1]
    return getattr(client, method)(
        url,
        data=body or None,
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )


def test_a_note_made_internal_takes_its_history_with_it(world: World, client, as_pat) -> None:
    url = f"/api/partnerships/{world.northwind.pk}/notes"
    note = _api_as(client, world.maria, "post", url, title="Price list", body="Our floor is 40%")
    assert note.status_code == 201
    assert all("Our floor is 40%" in page for page in _pat_reads(world, as_pat))

    made_internal = _api_as(
        client,
        world.maria,
        "patch",
        f"{url}/{note.json()['id']}",
        visibility="internal",
        version=note.json()["version"],
    )
    assert made_internal.status_code == 200
    for page in _pat_reads(world, as_pat):
        assert "Our floor is 40%" not in page and "Price list" not in page


def test_a_deleted_note_keeps_the_visibility_it_had_last(world: World, client, as_pat) -> None:
    url = f"/api/partnerships/{world.northwind.pk}/notes"
    shared = _api_as(client, world.maria, "post", url, title="Event recap", body="Went well")
    hidden = _api_as(client, world.maria, "post", url, title="Their churn", body="Worrying")
    pk_hidden, pk_shared = hidden.json()["id"], shared.json()["id"]
    _api_as(client, world.maria, "patch", f"{url}/{pk_hidden}", visibility="internal", version=1)
    _api_as(client, world.maria, "delete", f"{url}/{pk_hidden}?version=2")
    _api_as(client, world.maria, "delete", f"{url}/{pk_shared}?version=1")

    history = ActivityEntry.objects.visible_to(world.actor(world.pat))
    assert list(history.filter(target_id=pk_shared).values_list("verb", flat=True)) == [
        "deleted",
        "created",
    ]
    assert not history.filter(target_id=pk_hidden).exists()
    for page in _pat_reads(world, as_pat):
        assert "Their churn" not in page and "Worrying" not in page
    maria_sees = ActivityEntry.objects.visible_to(world.actor(world.maria))
    assert maria_sees.filter(target_id=pk_hidden).count() == 3


def test_every_kind_of_item_takes_its_history_along(world: World) -> None:
    """Whatever kind of item and whatever path made it internal (here, a plain UPDATE that
    bypasses the services), its entries leave Pat's view with it."""
    from tandem.core import services as core
    from tandem.core.models import _item_models
    from tests.test_access import _diligence, _promises, _relationship, _seats, _values, _way

    for build in (_relationship, _values, _promises, _diligence, _seats, _way):
        build(world)
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    kinds = [model for model, rule in _item_models() if rule == "item"]
    seen = []
    for model in kinds:
        item = model.objects.filter(partnership=world.northwind, visibility="shared").first()
        if item is None:
            continue
        core.record(actor=maria, verb="updated", target=item, changes={"x": ["a", "b"]})
        assert (
            ActivityEntry.objects.visible_to(pat)
            .filter(target_model=model._meta.label_lower, target_id=item.pk)
            .exists()
        ), model
        model.objects.filter(pk=item.pk).update(visibility="internal")
        assert (
            not ActivityEntry.objects.visible_to(pat)
            .filter(target_model=model._meta.label_lower, target_id=item.pk)
            .exists()
        ), model
        seen.append(model._meta.label_lower)
    # The walk reached the item kinds partners work with, not just one.
    assert {"partners.note", "traction.todo", "traction.rock", "issues.issue"} <= set(seen)
    assert len(seen) >= 12, seen


def test_a_change_naming_an_internal_item_stays_internal(world: World) -> None:
    from tandem.core import services as core

    maria = world.actor(world.maria)
    rock = world.shared_rock
    core.update(rock, actor=maria, version=rock.version, changes={"goal": world.internal_goal})
    entry = ActivityEntry.objects.filter(target_id=rock.pk, target_model="traction.rock").first()
    assert world.internal_goal.title in str(entry.changes)
    assert entry.visibility == "internal"
    assert not ActivityEntry.objects.visible_to(world.actor(world.pat)).filter(pk=entry.pk).exists()


def test_an_entry_naming_an_item_made_internal_later_leaves_pats_view(world: World) -> None:
    """Maria links the shared rock to a shared goal, then to another; later the first goal
    becomes internal. Both entries name it, so both leave Pat's history — and come back to
    nobody else's: Maria still reads them."""
    from tandem.core import services as core
    from tandem.vision.models import Goal

    maria, pat = world.actor(world.maria), world.actor(world.pat)
    first = Goal.objects.create(
        workspace=world.acme,
        partnership=world.northwind,
        title="Ten joint customers",
        target="10 customers",
    )
    second = world.shared_goal
    rock = world.shared_rock
    core.update(rock, actor=maria, version=rock.version, changes={"goal": first})
    core.update(rock, actor=maria, version=rock.version, changes={"goal": second})
    about_rock = ActivityEntry.objects.filter(target_model="traction.rock", target_id=rock.pk)
    assert about_rock.visible_to(pat).count() == 2

    core.update(first, actor=maria, version=first.version, changes={"visibility": "internal"})
    assert not about_rock.visible_to(pat).exists()
    assert "Ten joint customers" not in str(list(about_rock.visible_to(pat).values("changes")))
    assert about_rock.visible_to(maria).count() == 2


def test_an_idea_raised_above_one_made_internal_later_leaves_pats_view(world: World) -> None:
    from tandem.ideas import services as ideas
    from tandem.ideas.models import Idea

    maria, pat = world.actor(world.maria), world.actor(world.pat)
    alpha = Idea.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Alpha idea", position=5
    )
    beta = Idea.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Beta idea", position=6
    )
    ideas.idea_move(beta, actor=pat, direction="up")
    raised = ActivityEntry.objects.filter(target_model="ideas.idea", target_id=beta.pk)
    assert "Alpha idea" in str(raised.visible_to(pat).values_list("changes", flat=True)[0])

    from tandem.core import services as core

    alpha.refresh_from_db()
    core.update(alpha, actor=maria, version=alpha.version, changes={"visibility": "internal"})
    assert not raised.visible_to(pat).filter(verb__contains="priority").exists()
    assert raised.visible_to(maria).filter(verb__contains="priority").exists()


def test_a_deleted_named_item_keeps_the_visibility_it_had_last(world: World) -> None:
    from tandem.core import services as core
    from tandem.vision.models import Goal

    maria, pat = world.actor(world.maria), world.actor(world.pat)
    kept = Goal.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Shared then gone"
    )
    rock = world.shared_rock
    core.update(rock, actor=maria, version=rock.version, changes={"goal": kept})
    linked = ActivityEntry.objects.filter(target_model="traction.rock", verb="updated")
    rock.refresh_from_db()
    core.update(rock, actor=maria, version=rock.version, changes={"goal": None})
    core.delete(kept, actor=maria, version=kept.version)
    assert linked.visible_to(pat).count() == 2  # it was shared when it went


def test_what_a_partner_side_reader_may_see_depends_on_their_partnerships_only(
    world: World,
) -> None:
    """The activity log compiles each kind of item's ``visible_to`` once per set of
    partnerships (core.models._visible_ids_sql); that holds only while no ``visible_to``
    looks at who the user is. If one ever does, this says so."""
    from tandem.core.access import Actor
    from tandem.core.models import _item_models

    pat, lee = world.actor(world.pat), world.actor(world.lee)
    as_lee_seat = Actor(user=world.lee, partner_partnerships=pat.partner_partnerships)
    for model, rule in _item_models():
        if rule != "item":
            continue
        mine = str(model.objects.visible_to(pat).values("pk").query)
        theirs = str(model.objects.visible_to(as_lee_seat).values("pk").query)
        assert mine == theirs, model
    assert lee.partner_partnerships != pat.partner_partnerships
