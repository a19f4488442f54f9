"""The health as a whole: weights per workspace, a fixed number of queries whatever the
number of partnerships or the length of their history, the weekly snapshots against a direct
computation, the page and the API."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.core.models import ActivityEntry
from tandem.evaluation.health import services
from tandem.evaluation.health.models import DEFAULT_WEIGHTS, HealthSettings, HealthSnapshot
from tandem.evaluation.health.selectors import health_of, member_view, shared_view
from tandem.evaluation.health.tasks import take_snapshots
from tandem.partners.models import Partnership, Stage
from tests.conftest import World, client_for
from tests.factories import PartnershipFactory
from tests.health.helpers import (
    TODAY,
    acted,
    ago,
    ask,
    checkin,
    deal,
    given,
    meeting,
    review,
    rock,
    schedule,
    todo,
)

pytestmark = pytest.mark.django_db


def _populate(partnership: Partnership, user: Any, *, history: int = 1, shift: int = 0) -> None:
    """A little of everything in ``partnership``, ``history`` times over, spread back in
    time by ``shift`` days per round (older rounds are history the windows leave out)."""
    if not Schedule_exists(partnership):
        schedule(partnership)
    for round_ in range(history):
        back = round_ * shift
        meeting(partnership, ago(1 + back), recap=True)
        meeting(partnership, ago(8 + back))
        todo(partnership, ago(2 + back), done=ago(2 + back))
        todo(partnership, ago(3 + back), visibility=Visibility.INTERNAL)
        rock(partnership, "off_track")
        review(partnership, "ours", True, ago(20 + back))
        review(partnership, "partner", False, ago(20 + back))
        ask(partnership, ago(15 + back))
        checkin(partnership, "monthly", ago(12 + back))
        given(partnership, "ours", ago(4 + back))
        given(partnership, "partner", ago(4 + back), visibility=Visibility.INTERNAL)
        deal(partnership, ago(45 + back))
        acted(partnership, user, ago(6 + back), partnership)


def Schedule_exists(partnership: Partnership) -> bool:  # noqa: N802 - reads as a question
    from tandem.meetings.models import Schedule

    return Schedule.objects.filter(partnership=partnership).exists()


def _api(user: Any) -> Any:
    _token, secret = token_create(user=user, name="tools")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


# --- Weights -------------------------------------------------------------------------------


def test_weights_change_the_total_and_are_validated(world: World) -> None:
    fresh = PartnershipFactory(workspace=world.acme, name="Fresh")
    todo(fresh, ago(1), done=ago(1))  # to-dos: 100
    rock(fresh, "off_track")
    rock(fresh, "on_track")
    rock(fresh, "done")  # rocks: 2 of 3 on track or done, 67
    maria = world.actor(world.maria)

    def total() -> int | None:
        return health_of(maria, [fresh], TODAY)[fresh.pk].score

    assert total() == round((100 * 2 + 67 * 2) / 4)
    zero = dict.fromkeys(DEFAULT_WEIGHTS, 0)
    services.set_weights(
        actor=maria, workspace_id=world.acme.pk, weights={**zero, "todos": 1, "rocks": 3}
    )
    assert total() == round((100 + 67 * 3) / 4)
    assert ActivityEntry.objects.filter(target_type="health weights").exists()

    with pytest.raises(InvalidInput) as error:
        services.set_weights(actor=maria, workspace_id=world.acme.pk, weights={"todos": 11})
    assert error.value.errors == {"todos": ["To-dos done on time: a whole number from 0 to 10."]}
    with pytest.raises(InvalidInput) as error:
        services.set_weights(actor=maria, workspace_id=world.acme.pk, weights=zero)
    assert "at least one part a weight above 0" in error.value.detail
    with pytest.raises(InvalidInput):
        services.set_weights(actor=maria, workspace_id=world.acme.pk, weights={"luck": 3})
    # Refused changes left the saved weights as they were.
    saved = HealthSettings.objects.get(workspace=world.acme).weights
    assert (saved["todos"], saved["rocks"], saved["meetings"]) == (1, 3, 0)


def test_only_members_set_weights(world: World) -> None:
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_weights(
            actor=world.actor(world.pat), workspace_id=world.acme.pk, weights={"todos": 1}
        )


# --- Batched -------------------------------------------------------------------------------


def _queries(actor: Any, ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        found = health_of(actor, ids, TODAY)
    assert len(found) == len(ids)
    return len(captured)


def test_queries_do_not_grow_with_partnerships_or_history(world: World) -> None:
    maria = world.actor(world.maria)
    small = [world.northwind, world.globex]
    for partnership in small:
        _populate(partnership, world.pat)
    few = _queries(maria, [p.pk for p in small])
    partner_few = _queries(shared_view([p.pk for p in small]), [p.pk for p in small])

    more = small + [PartnershipFactory(workspace=world.acme) for _ in range(10)]
    for partnership in more[2:]:
        _populate(partnership, world.pat)
    ids = [p.pk for p in more]
    assert _queries(maria, ids) == few
    assert _queries(shared_view(ids), ids) == partner_few

    for partnership in more:  # three more rounds, each 100 days further back
        _populate(partnership, world.pat, history=3, shift=100)
    assert _queries(maria, ids) == few
    assert _queries(shared_view(ids), ids) == partner_few


# --- Snapshots -----------------------------------------------------------------------------


def _week() -> Any:
    today = timezone.localdate()
    return today - timedelta(days=today.weekday() + 7)


def test_snapshots_match_a_direct_computation(world: World) -> None:
    extra = PartnershipFactory(workspace=world.acme, name="Contoso")
    prospect = PartnershipFactory(workspace=world.acme, name="Later", stage=Stage.PROSPECT)
    for partnership in (world.northwind, world.globex, extra, world.initech_partner):
        _populate(partnership, world.pat)
    week = _week()
    take_snapshots.enqueue(f"{week.isoformat()}T00:00:00+00:00")

    stored = {(s.partnership_id, s.view): s for s in HealthSnapshot.objects.filter(week=week)}
    active = [world.northwind, world.globex, extra, world.initech_partner]
    assert {pk for pk, _ in stored} == {p.pk for p in active}
    assert prospect.pk not in {pk for pk, _ in stored}
    for partnership in active:
        member = world.actor(world.olga if partnership == world.initech_partner else world.lena)
        direct = health_of(member, [partnership], week)[partnership.pk]
        snapshot = stored[partnership.pk, "all"]
        assert snapshot.score == direct.score
        assert snapshot.parts == [part.as_json() for part in direct.parts]
    # The shared view is what each partnership's own partner-side people see.
    for partnership, person in ((world.northwind, world.pat), (world.globex, world.lee)):
        direct = health_of(world.actor(person), [partnership], week)[partnership.pk]
        snapshot = stored[partnership.pk, "shared"]
        assert snapshot.score == direct.score
        assert snapshot.parts == [part.as_json() for part in direct.parts]
    assert stored[world.northwind.pk, "shared"].parts != stored[world.northwind.pk, "all"].parts

    # Taking the week again replaces it.
    todo(world.northwind, week - timedelta(days=1), title="Late one")
    take_snapshots.enqueue(week.isoformat())
    assert HealthSnapshot.objects.filter(week=week).count() == len(stored)
    again = HealthSnapshot.objects.get(partnership=world.northwind, week=week, view="all")
    direct = health_of(world.actor(world.lena), [world.northwind], week)[world.northwind.pk]
    assert again.parts == [part.as_json() for part in direct.parts]
    assert again.parts != stored[world.northwind.pk, "all"].parts


def test_member_and_shared_views_see_what_people_see(world: World) -> None:
    _populate(world.northwind, world.pat)
    ids = [world.northwind.pk]
    assert health_of(member_view([world.acme.pk]), ids, TODAY) == health_of(
        world.actor(world.maria), ids, TODAY
    )
    assert health_of(shared_view(ids), ids, TODAY) == health_of(world.actor(world.pat), ids, TODAY)


# --- The page ------------------------------------------------------------------------------


def test_the_health_page_for_both_sides(world: World) -> None:
    _populate(world.northwind, world.pat)
    take_snapshots.enqueue(_week().isoformat())
    url = f"/partnerships/{world.northwind.pk}/health/"
    maria = client_for(world.maria).get(url)
    assert maria.status_code == 200
    page = maria.content.decode()
    assert "Health score" in page and "Meetings held" in page
    assert 'role="img"' in page and "13 weeks" in page
    assert "No data yet" in page and "Scorecard on track" in page  # nothing on the scorecard
    assert f'href="/partnerships/{world.northwind.pk}/todos/"' in page
    pat = client_for(world.pat).get(url)
    assert pat.status_code == 200
    assert "Built from what both sides share." in pat.content.decode()
    assert client_for(world.lee).get(url).status_code == 404
    # The overview sums it up from the reader's latest snapshot, with the way to the page.
    overview = client_for(world.pat).get(f"/partnerships/{world.northwind.pk}/").content.decode()
    shared = HealthSnapshot.objects.get(partnership=world.northwind, view="shared")
    assert f"<strong>{shared.score}</strong> of 100" in overview
    assert f'href="{url}"' in overview


def test_the_program_level_has_no_health_page(world: World) -> None:
    assert client_for(world.lena).get("/partnerships/program/health/").status_code == 404


def test_a_partnership_without_data_says_not_enough_data(world: World) -> None:
    fresh = PartnershipFactory(workspace=world.acme, name="Fresh", stage=Stage.PAUSED)
    page = client_for(world.maria).get(f"/partnerships/{fresh.pk}/health/").content.decode()
    assert "Not enough data" in page
    assert "No weekly snapshot yet" in page


def test_the_weights_page(world: World) -> None:
    url = f"/partnerships/{world.northwind.pk}/health/weights/"
    maria = client_for(world.maria)
    assert maria.get(url).status_code == 200
    assert client_for(world.pat).get(url).status_code == 403
    form = {key: str(value) for key, value in DEFAULT_WEIGHTS.items()}
    refused = maria.post(url, {**form, "todos": "11"})
    assert refused.status_code == 400
    assert "To-dos done on time: a whole number from 0 to 10." in refused.content.decode()
    refused = maria.post(url, dict.fromkeys(DEFAULT_WEIGHTS, "0"))
    assert refused.status_code == 400
    assert "at least one part a weight above 0" in refused.content.decode()
    saved = maria.post(url, {**form, "meetings": "7"})
    assert saved.status_code == 302
    assert HealthSettings.objects.get(workspace=world.acme).weight_meetings == 7


# --- The API -------------------------------------------------------------------------------


def test_the_api_answers_each_reader_in_their_view(world: World) -> None:
    todo(world.northwind, ago(2), done=ago(2))
    todo(world.northwind, ago(2), visibility=Visibility.INTERNAL)
    path = f"/api/partnerships/{world.northwind.pk}/health"
    maria = _api(world.maria).get(path).json()
    pat = _api(world.pat).get(path).json()
    assert (maria["view"], pat["view"]) == ("all", "shared")
    assert [part["key"] for part in maria["parts"]] == list(DEFAULT_WEIGHTS)
    todos = {reader: next(p for p in found["parts"] if p["key"] == "todos")
             for reader, found in (("maria", maria), ("pat", pat))}  # fmt: skip
    assert todos["pat"]["score"] == 100 and todos["maria"]["score"] < 100
    assert _api(world.lee).get(path).status_code == 404

    take_snapshots.enqueue(_week().isoformat())
    snapshots = _api(world.pat).get(f"{path}/snapshots").json()
    assert snapshots["count"] == 1
    assert snapshots["items"][0]["view"] == "shared"
    assert snapshots["items"][0]["week"] == _week().isoformat()


def test_the_weights_api(world: World) -> None:
    path = f"/api/workspaces/{world.acme.pk}/health/weights"
    maria = _api(world.maria)
    read = maria.get(path).json()
    assert read == {**DEFAULT_WEIGHTS, "version": None}
    body = {**DEFAULT_WEIGHTS, "value": 5}
    changed = maria.put(path, body, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["value"] == 5
    assert maria.put(path, {**body, "asks": 11}, content_type="application/json").status_code == 422
    zero = maria.put(path, dict.fromkeys(DEFAULT_WEIGHTS, 0), content_type="application/json")
    assert zero.status_code == 400
    assert "at least one part a weight above 0" in zero.json()["detail"]
    stale = maria.put(path, {**body, "version": 99}, content_type="application/json")
    assert stale.status_code == 409
    assert _api(world.pat).get(path).status_code in {403, 404}
