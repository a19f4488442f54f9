"""The joint quarterly plan: what it holds (shared items only), both sides signing it, a
change after signing asking both to sign again, the API, access and query counts."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.notifications.models import Notification
from tandem.partners.models import Partnership
from tandem.plans import content as plan_content
from tandem.plans import services
from tandem.plans.models import PlanSignature
from tandem.plans.notify import after_quarterly_meeting, people_to_sign
from tandem.plans.selectors import plan_state
from tandem.relationship.commitments.models import Commitment
from tandem.traction.models import Rock
from tandem.traction.rocks import ROCKS
from tandem.vision.models import Goal
from tests.conftest import World, client_for

Q = (2026, 4)
KEY = "2026-Q4"


def _page(world: World) -> str:
    return reverse("plan", args=[world.northwind.pk]) + f"?quarter={KEY}"


def _api(world: World, rest: str = "") -> str:
    return f"/api/partnerships/{world.northwind.pk}/plans/{KEY}{rest}"


def _commitments(world: World) -> tuple[Commitment, Commitment]:
    shared = Commitment.objects.create(
        workspace=world.acme, partnership=world.northwind, side="partner",
        description="Present our product to prospects", target="6 presentations", owner=world.pat,
    )  # fmt: skip
    internal = Commitment.objects.create(
        workspace=world.acme, partnership=world.northwind, side="ours",
        description="Keep margin above 25%", target="25%", visibility=Visibility.INTERNAL,
    )  # fmt: skip
    return shared, internal


def _sign(world: World, user: Any) -> PlanSignature:
    state = plan_state(None, world.northwind, *Q)
    return services.sign(
        actor=world.actor(user),
        partnership=world.northwind,
        year=Q[0],
        quarter=Q[1],
        content_hash=state.content_hash,
    )


def test_a_plan_holds_the_shared_rocks_commitments_and_goals_never_internal_ones(
    world: World,
) -> None:
    Rock.objects.filter(pk=world.shared_rock.pk).update(goal=world.shared_goal)
    Rock.objects.filter(pk=world.internal_rock.pk).update(goal=world.internal_goal)
    Rock.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Dropped idea", year=2026,
        quarter=4, due_on=date(2026, 12, 1), status="dropped",
    )  # fmt: skip
    Rock.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Next year's rock", year=2027,
        quarter=1, due_on=date(2027, 3, 31),
    )  # fmt: skip
    shared, _internal = _commitments(world)

    content = plan_content.build(world.northwind, *Q)

    assert content["quarter"] == KEY
    assert [rock["title"] for rock in content["rocks"]] == ["Launch the joint offer"]
    assert content["rocks"][0]["owner"] == "Pat Northwind"
    assert content["rocks"][0]["goal"] == world.shared_goal.pk
    assert [item["description"] for item in content["commitments"]] == [shared.description]
    assert [goal["title"] for goal in content["goals"]] == ["Northwind a top-3 reseller"]
    text = str(content)
    for secret in ("Decide on exclusivity", "Exclusivity decided", "Keep margin"):
        assert secret not in text
    # The same plan, the same hash; an internal change moves nothing.
    before = plan_content.digest(content)
    Rock.objects.filter(pk=world.internal_rock.pk).update(title="Decide on exclusivity now")
    assert plan_content.digest(plan_content.build(world.northwind, *Q)) == before


def test_both_sides_sign_and_the_plan_is_signed(world: World, as_maria: Client) -> None:
    assert plan_state(None, world.northwind, *Q).status == "not_signed"
    page = as_maria.get(_page(world)).content.decode()
    assert "Not signed yet" in page
    assert "I agree to this plan for Q4 2026 on behalf of Acme Analytics" in page

    state = plan_state(None, world.northwind, *Q)
    response = as_maria.post(
        reverse("plan_sign", args=[world.northwind.pk]),
        {"quarter": KEY, "content_hash": state.content_hash, "agree": "yes"},
    )
    assert response.status_code == 302
    page = as_maria.get(_page(world)).content.decode()
    assert "You signed the Q4 2026 plan on behalf of Acme Analytics." in page
    assert "Waiting for Northwind's signature." in page
    assert plan_state(None, world.northwind, *Q).status == "waiting"

    as_pat = client_for(world.pat)
    page = as_pat.get(_page(world)).content.decode()
    assert "I agree to this plan for Q4 2026 on behalf of Northwind" in page
    as_pat.post(
        reverse("plan_sign", args=[world.northwind.pk]),
        {"quarter": KEY, "content_hash": state.content_hash, "agree": "yes"},
    )
    assert plan_state(None, world.northwind, *Q).status == "signed"
    page = as_pat.get(_page(world)).content.decode()
    assert "Signed by both sides." in page
    assert "Maria Manager" in page and "Pat Northwind" in page
    signature = PlanSignature.objects.get(side="partner")
    assert signature.user == world.pat and signature.content["rocks"][0]["title"]


def test_signing_without_ticking_the_sentence_signs_nothing(world: World, as_maria: Client) -> None:
    state = plan_state(None, world.northwind, *Q)
    response = as_maria.post(
        reverse("plan_sign", args=[world.northwind.pk]),
        {"quarter": KEY, "content_hash": state.content_hash},
        follow=True,
    )
    assert "Tick the sentence" in response.content.decode()
    assert not PlanSignature.objects.exists()


def test_signing_the_same_version_again_is_refused_politely(world: World) -> None:
    _sign(world, world.maria)
    with pytest.raises(InvalidInput, match="You signed this version on"):
        _sign(world, world.maria)
    with pytest.raises(InvalidInput, match="Maria Manager signed this version for Acme"):
        _sign(world, world.lena)
    assert PlanSignature.objects.count() == 1


def test_a_rock_changed_after_signing_lists_the_change_and_asks_both_to_sign_again(
    world: World, as_pat: Client
) -> None:
    _sign(world, world.maria)
    _sign(world, world.pat)
    assert plan_state(None, world.northwind, *Q).signed
    rock = Rock.objects.get(pk=world.shared_rock.pk)
    ROCKS.update(
        rock,
        actor=world.actor(world.maria),
        version=rock.version,
        title="Launch the joint offer in Norway",
        owner=world.maria,
    )

    state = plan_state(None, world.northwind, *Q)
    assert state.status == "to_sign_again" and state.to_sign() == ["ours", "partner"]
    changed = state.sides["partner"].changes.changed
    assert [item.title for item in changed] == ["Launch the joint offer in Norway"]
    assert [(c.field, c.before, c.after) for c in changed[0].changes] == [
        ("title", "Launch the joint offer", "Launch the joint offer in Norway"),
        ("owner", "Pat Northwind", "Maria Manager"),
    ]
    page = as_pat.get(_page(world)).content.decode()
    assert "Changed since signing." in page
    assert "Changes since Acme Analytics and Northwind signed" in page
    assert "<del>Pat Northwind</del> → <ins>Maria Manager</ins>" in page
    assert "I agree to this plan for Q4 2026 on behalf of Northwind" in page

    # Both sides are told, once: Northwind's owner (Maria) and Pat; Maria made the change,
    # so only Pat hears of it.
    told = Notification.objects.filter(kind="plan_to_sign")
    assert {note.recipient for note in told} == {world.pat}
    assert "Q4 2026 plan of Northwind changed since it was signed" in told.get().text
    rock.refresh_from_db()
    ROCKS.update(rock, actor=world.actor(world.maria), version=rock.version, title="Again")
    assert Notification.objects.filter(kind="plan_to_sign").count() == 1


def test_a_removed_and_an_added_rock_show_as_such(world: World) -> None:
    _sign(world, world.maria)
    rock = Rock.objects.get(pk=world.shared_rock.pk)
    ROCKS.remove(rock, actor=world.actor(world.maria), version=rock.version)
    ROCKS.create(
        actor=world.actor(world.pat),
        partnership=world.northwind,
        title="Train their sellers",
        owner=world.pat,
        year=2026,
        quarter=4,
        due_on=date(2026, 12, 15),
    )
    changes = plan_state(None, world.northwind, *Q).sides["ours"].changes
    assert [item.title for item in changes.added] == ["Train their sellers"]
    assert [item.title for item in changes.removed] == ["Launch the joint offer"]


def test_a_stale_hash_is_a_conflict_never_a_signature(world: World) -> None:
    seen = plan_state(None, world.northwind, *Q).content_hash
    Rock.objects.filter(pk=world.shared_rock.pk).update(title="Changed meanwhile")
    with pytest.raises(Conflict):
        services.sign(
            actor=world.actor(world.pat),
            partnership=world.northwind,
            year=2026,
            quarter=4,
            content_hash=seen,
        )
    assert not PlanSignature.objects.exists()


def test_an_archived_partnership_refuses_signatures(world: World) -> None:
    from django.utils import timezone

    Partnership.objects.filter(pk=world.northwind.pk).update(archived_at=timezone.now())
    world.northwind.refresh_from_db()
    with pytest.raises(InvalidInput, match="archived"):
        _sign(world, world.maria)


def test_people_to_sign_are_those_of_the_sides_that_have_not_signed(world: World) -> None:
    Partnership.objects.filter(pk=world.northwind.pk).update(sponsor=world.lena)
    world.northwind.refresh_from_db()
    assert set(people_to_sign(world.northwind, *Q)) == {world.maria, world.lena, world.pat}
    _sign(world, world.pat)
    assert set(people_to_sign(world.northwind, *Q)) == {world.maria, world.lena}
    _sign(world, world.maria)
    assert people_to_sign(world.northwind, *Q) == []


def test_the_end_of_a_quarterly_meeting_asks_both_sides_to_sign(world: World) -> None:
    told = after_quarterly_meeting(world.northwind, *Q, actor=world.actor(world.maria))
    assert told == 2  # Maria (the owner) and Pat; Maria ended it, so only Pat is notified
    assert [n.recipient for n in Notification.objects.filter(kind="plan_to_sign")] == [world.pat]


def test_the_api_reads_signs_and_lists_and_a_stale_hash_is_409(world: World) -> None:
    secret = token_create(user=world.pat, name="test")[1]
    api = Client(headers={"Authorization": f"Bearer {secret}"})
    read = api.get(_api(world)).json()
    assert read["status"] == "not_signed" and read["quarter"] == KEY
    assert [rock["title"] for rock in read["content"]["rocks"]] == ["Launch the joint offer"]

    signed = api.post(
        _api(world, "/sign"),
        {"content_hash": read["content_hash"]},
        content_type="application/json",
    )
    assert signed.status_code == 201, signed.content
    assert signed.json()["side"] == "partner" and signed.json()["signer"]["name"] == "Pat Northwind"
    again = api.post(
        _api(world, "/sign"),
        {"content_hash": read["content_hash"]},
        content_type="application/json",
    )
    assert again.status_code == 400 and "You signed this version" in again.json()["detail"]

    Rock.objects.filter(pk=world.shared_rock.pk).update(title="Changed meanwhile")
    stale = client_for(world.maria).post(
        _api(world, "/sign"),
        {"content_hash": read["content_hash"]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    assert stale.json()["current"]["content_hash"] != read["content_hash"]

    now = api.get(_api(world)).json()
    partner = next(side for side in now["sides"] if side["side"] == "partner")
    assert now["status"] == "to_sign_again" and not partner["signed_current"]
    assert partner["changes_since_signing"][0]["changes"][0]["after"] == "Changed meanwhile"
    history = api.get(_api(world, "/signatures")).json()
    assert history["count"] == 1
    assert history["items"][0]["content"]["rocks"][0]["title"] == "Launch the joint offer"


def test_only_the_two_sides_of_the_partnership_see_its_plan(world: World) -> None:
    _sign(world, world.maria)
    for user in (world.lee, world.olga):
        client = client_for(user)
        assert client.get(_page(world)).status_code == 404
        assert client.get(_api(world)).status_code == 404
        assert client.get(_api(world, "/signatures")).status_code == 404
        state = plan_state(None, world.northwind, *Q)
        response = client.post(
            _api(world, "/sign"), {"content_hash": state.content_hash},
            content_type="application/json",
        )  # fmt: skip
        assert response.status_code == 404
    assert client_for(world.lena).get("/partnerships/program/plan/").status_code == 404
    assert client_for(world.pat).get(_page(world)).status_code == 200


def test_the_plan_page_costs_the_same_with_3_or_30_items(world: World, as_maria: Client) -> None:
    def add(n: int) -> None:
        goal = Goal.objects.create(
            workspace=world.acme, partnership=world.northwind, title="g", target="t"
        )
        Rock.objects.bulk_create(
            Rock(workspace=world.acme, partnership=world.northwind, title=f"r{i}", owner=world.pat,
                 year=2026, quarter=4, due_on=date(2026, 12, 31), goal=goal)
            for i in range(n)
        )  # fmt: skip
        Commitment.objects.bulk_create(
            Commitment(workspace=world.acme, partnership=world.northwind, description=f"c{i}",
                       target="t", owner=world.maria)
            for i in range(n)
        )  # fmt: skip

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert as_maria.get(_page(world)).status_code == 200
        with CaptureQueriesContext(connection) as api:
            assert as_maria.get(_api(world)).status_code == 200
        return len(page), len(api)

    add(2)
    _sign(world, world.maria)
    few = count()
    add(27)
    _sign(world, world.maria)
    _sign(world, world.pat)
    assert count() == few


def test_the_quarterly_meetings_closing_step_shows_the_plan_and_its_end_asks_to_sign(
    world: World, as_maria: Client, as_pat: Client
) -> None:
    from tandem.meetings.models import Meeting
    from tandem.meetings.sections import planned_quarter

    as_maria.post(reverse("meeting_start", args=[world.northwind.pk]), {"kind": "quarterly"})
    meeting = Meeting.objects.get(partnership=world.northwind, ended_at__isnull=True)
    as_pat.get(reverse("meeting_detail", args=[world.northwind.pk, meeting.pk]))
    version = Meeting.objects.get(pk=meeting.pk).version
    as_maria.post(
        reverse("meeting_section", args=[world.northwind.pk, meeting.pk]),
        {"section": "conclusion", "version": version},
        HTTP_HX_REQUEST="true",
    )
    year, quarter = planned_quarter(meeting)
    page = as_pat.get(reverse("meeting_detail", args=[world.northwind.pk, meeting.pk]))
    text = page.content.decode()
    assert f"Review and sign the Q{quarter} {year} plan" in text
    assert f"?quarter={year}-Q{quarter}" in text and "Not signed yet" in text

    as_maria.post(
        reverse("meeting_end", args=[world.northwind.pk, meeting.pk]),
        {"version": Meeting.objects.get(pk=meeting.pk).version},
    )
    told = Notification.objects.get(kind="plan_to_sign")
    assert told.recipient == world.pat
    assert told.url.endswith(f"/plan/?quarter={year}-Q{quarter}")
    assert f"Q{quarter} {year} plan of Northwind is ready" in told.text
