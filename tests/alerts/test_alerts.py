"""Stall alerts: each rule on small data of its own, what a partner-side reader sees, a fixed
number of queries whatever the number of partnerships, the pages and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import PartnerAccess
from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.evaluation.alerts import services
from tandem.evaluation.alerts.models import AlertSettings
from tandem.evaluation.alerts.selectors import alerts_of
from tandem.exchange.pipeline.models import PipelineSettings
from tandem.partners.models import Partnership, Stage
from tandem.relationship.commitments.models import Commitment, CommitmentReview
from tests.conftest import World, client_for
from tests.factories import PartnerAccessFactory, PartnershipFactory, UserFactory
from tests.health.helpers import (
    TODAY,
    acted,
    ago,
    at,
    deal,
    meeting,
    schedule,
    todo,
)

pytestmark = pytest.mark.django_db


def kinds(actor: Any, partnership: Partnership) -> dict[str, Any]:
    found = alerts_of(actor, [partnership], TODAY)[partnership.pk]
    return {alert.kind: alert for alert in found}


def promise(partnership: Partnership, *reviews: tuple[int, bool], **values: Any) -> Commitment:
    """A commitment with its reviews, each (days ago, kept)."""
    made = Commitment.objects.create(
        workspace_id=partnership.workspace_id,
        partnership=partnership,
        side=values.pop("side", "partner"),
        description=values.pop("description", "Three qualified leads a month"),
        target="3",
        **values,
    )
    for days, kept in reviews:
        CommitmentReview.objects.create(commitment=made, period_start=ago(days), kept=kept)
    return made


# --- The rules -----------------------------------------------------------------------------


def test_no_meeting_within_one_and_a_half_cadences(world: World) -> None:
    maria = world.actor(world.maria)
    schedule(world.northwind)  # weekly since January
    meeting(world.northwind, ago(11))
    alert = kinds(maria, world.northwind)["no_meeting"]
    assert alert.text == "No meeting for 11 days: the schedule plans weekly meetings."
    assert alert.url == f"/partnerships/{world.northwind.pk}/meetings/"
    assert alert.next_step.startswith("Hold the next meeting")

    meeting(world.northwind, ago(10))  # 10 days is within 1.5 weeks
    assert "no_meeting" not in kinds(maria, world.northwind)

    # Monthly: 40 days without a meeting is within 45.
    Partnership.objects.filter(pk=world.globex.pk).update(cadence="monthly")
    schedule(world.globex)
    meeting(world.globex, ago(40))
    globex = Partnership.objects.get(pk=world.globex.pk)
    assert "no_meeting" not in kinds(maria, globex)


def test_no_meeting_waits_for_the_schedule_and_skips_partnerships_that_do_not_meet(
    world: World,
) -> None:
    maria = world.actor(world.maria)
    schedule(world.northwind, starts_on=ago(5))  # just started: nothing was due yet
    assert "no_meeting" not in kinds(maria, world.northwind)
    schedule(world.globex)  # since January, never met
    said = kinds(maria, world.globex)["no_meeting"].text
    assert (
        said == "No meeting held since the schedule began on 6 Jan 2026. It plans weekly meetings."
    )
    Partnership.objects.filter(pk=world.globex.pk).update(stage=Stage.PAUSED)
    assert "no_meeting" not in kinds(maria, Partnership.objects.get(pk=world.globex.pk))


def test_recap_not_sent(world: World) -> None:
    maria = world.actor(world.maria)
    schedule(world.northwind)
    held = meeting(world.northwind, ago(2))
    alert = kinds(maria, world.northwind)["recap_not_sent"]
    assert alert.text == "A meeting ended without its recap sent."
    assert alert.url == f"/partnerships/{world.northwind.pk}/meetings/{held.pk}/"
    held.recap_sent_at = held.ended_at
    held.save()
    meeting(world.northwind, ago(40))  # older than 30 days: left alone
    assert "recap_not_sent" not in kinds(maria, world.northwind)


def test_todos_overdue_counts_what_the_reader_sees(world: World) -> None:
    todo(world.northwind, ago(3))
    todo(world.northwind, ago(9), visibility=Visibility.INTERNAL)
    todo(world.northwind, ago(4), done=ago(4))  # done
    todo(world.northwind, TODAY)  # due today: not overdue yet
    member = kinds(world.actor(world.maria), world.northwind)["todos_overdue"]
    assert member.text == "2 to-dos overdue, the oldest due 9 days ago."
    assert member.url == f"/partnerships/{world.northwind.pk}/todos/"
    partner = kinds(world.actor(world.pat), world.northwind)["todos_overdue"]
    assert partner.text == "1 to-do overdue, the oldest due 3 days ago."


def test_partner_quiet_after_the_workspace_days(world: World) -> None:
    maria = world.actor(world.maria)
    acted(world.northwind, world.pat, ago(20), world.shared_todo)
    alert = kinds(maria, world.northwind)["partner_quiet"]
    assert alert.text == "No action by Northwind's people for 20 days."
    assert alert.next_step.startswith("Reach out to Northwind")
    assert alert.url == f"/partnerships/{world.northwind.pk}/asks/"
    # The partner-side reader sees it too, told to answer (it is about their side).
    theirs = kinds(world.actor(world.pat), world.northwind)["partner_quiet"]
    assert theirs.next_step.startswith("Let Acme Analytics know")

    services.set_quiet_days(actor=maria, workspace_id=world.acme.pk, days=30)
    assert "partner_quiet" not in kinds(maria, world.northwind)
    services.set_quiet_days(actor=maria, workspace_id=world.acme.pk, days=14)
    # A member's own action does not count as the partner's.
    acted(world.northwind, world.maria, ago(1), world.shared_todo)
    assert "partner_quiet" in kinds(maria, world.northwind)
    acted(world.northwind, world.pat, ago(3), world.shared_todo)
    assert "partner_quiet" not in kinds(maria, world.northwind)


def test_partner_quiet_reads_a_bounded_window(world: World) -> None:
    PartnerAccess.objects.filter(partnership=world.northwind).update(created_at=at(ago(100)))
    acted(world.northwind, world.pat, ago(40), world.shared_todo)  # 2 x 14 days back: unseen
    alert = kinds(world.actor(world.maria), world.northwind)["partner_quiet"]
    assert alert.text == "No action by Northwind's people for more than 28 days."


def test_no_partner_quiet_without_anyone_from_the_partner(world: World) -> None:
    lonely = PartnershipFactory(workspace=world.acme, name="Lonely")
    assert "partner_quiet" not in kinds(world.actor(world.maria), lonely)


def test_the_same_commitment_missed_twice(world: World) -> None:
    maria = world.actor(world.maria)
    promise(world.northwind, (60, False), (30, False))
    promise(world.northwind, (60, False), (30, True), description="Kept since")
    promise(world.northwind, (30, False), description="Missed once")
    alert = kinds(maria, world.northwind)["commitment_missed"]
    assert alert.text == "Northwind missed “Three qualified leads a month” twice in a row."
    assert alert.url == f"/partnerships/{world.northwind.pk}/commitments/"
    ours = promise(world.globex, (90, False), (60, False), side="ours", description="Co-marketing")
    assert kinds(maria, world.globex)["commitment_missed"].text.startswith("Acme Analytics missed")
    # An internal commitment is not the partner-side reader's business.
    Commitment.objects.filter(pk=ours.pk).update(visibility=Visibility.INTERNAL)
    assert "commitment_missed" not in kinds(world.actor(world.lee), world.globex)


def test_deal_stalled_follows_the_pipeline_rule(world: World) -> None:
    maria = world.actor(world.maria)
    deal(world.northwind, ago(45))
    deal(world.northwind, ago(10))
    deal(world.northwind, ago(90), outcome="won")
    alert = kinds(maria, world.northwind)["deal_stalled"]
    assert alert.text == (
        "1 open deal without a stage change for 30 days or more, the longest for 45 days."
    )
    assert alert.url == f"/partnerships/{world.northwind.pk}/funnel/#stalled"
    PipelineSettings.objects.create(workspace=world.acme, stall_days=60)
    assert "deal_stalled" not in kinds(maria, world.northwind)


def test_order_archived_and_unseen_partnerships(world: World) -> None:
    maria = world.actor(world.maria)
    schedule(world.northwind)
    todo(world.northwind, ago(3))
    deal(world.northwind, ago(45))
    acted(world.northwind, world.pat, ago(20), world.shared_todo)
    found = alerts_of(maria, [world.northwind, world.initech_partner.pk], TODAY)
    assert list(found) == [world.northwind.pk]  # another workspace's: not a key
    assert [a.kind for a in found[world.northwind.pk]] == [
        "no_meeting",
        "partner_quiet",
        "todos_overdue",
        "deal_stalled",
    ]
    Partnership.objects.filter(pk=world.northwind.pk).update(archived_at=at(ago(1)))
    assert alerts_of(maria, [world.northwind.pk], TODAY) == {world.northwind.pk: []}
    assert alerts_of(world.actor(world.lee), [world.northwind.pk], TODAY) == {}
    # Objects loaded with what the rules read are used as they are, still access-checked.
    loaded = list(Partnership.objects.select_related("schedule", "workspace"))
    assert alerts_of(world.actor(world.lee), loaded, TODAY) == {world.globex.pk: []}


# --- Batched -------------------------------------------------------------------------------


def _stalling(partnership: Partnership, partner: Any) -> None:
    schedule(partnership)
    meeting(partnership, ago(20))
    meeting(partnership, ago(3))
    todo(partnership, ago(3))
    deal(partnership, ago(45))
    acted(partnership, partner, ago(20), partnership)
    promise(partnership, (60, False), (30, False))


def _queries(actor: Any, ids: list[int]) -> int:
    with CaptureQueriesContext(connection) as captured:
        found = alerts_of(actor, ids, TODAY)
    assert len(found) == len(ids)
    assert all(found[pk] for pk in ids)
    return len(captured)


def test_queries_do_not_grow_with_partnerships(world: World) -> None:
    maria = world.actor(world.maria)
    two = [world.northwind, world.globex]
    for partnership in two:
        _stalling(partnership, world.pat)
    few = _queries(maria, [p.pk for p in two])
    more = list(two)
    for n in range(10):
        extra = PartnershipFactory(workspace=world.acme, name=f"Extra {n}")
        PartnerAccessFactory(partnership=extra, user=UserFactory())
        _stalling(extra, world.pat)
        more.append(extra)
    assert _queries(maria, [p.pk for p in more]) == few
    assert few <= 12


# --- Settings ------------------------------------------------------------------------------


def test_quiet_days_are_checked_versioned_and_for_members(world: World) -> None:
    maria = world.actor(world.maria)
    with pytest.raises(InvalidInput) as error:
        services.set_quiet_days(actor=maria, workspace_id=world.acme.pk, days=0)
    assert error.value.errors == {"partner_quiet_days": ["A whole number of days from 1 to 365."]}
    saved = services.set_quiet_days(actor=maria, workspace_id=world.acme.pk, days=21)
    services.set_quiet_days(actor=maria, workspace_id=world.acme.pk, days=28, version=saved.version)
    with pytest.raises(Conflict):
        services.set_quiet_days(
            actor=maria, workspace_id=world.acme.pk, days=7, version=saved.version
        )
    assert AlertSettings.objects.get(workspace=world.acme).partner_quiet_days == 28
    with pytest.raises(PermissionDenied):
        services.set_quiet_days(actor=world.actor(world.pat), workspace_id=world.acme.pk, days=3)


# --- Pages and API -------------------------------------------------------------------------


def _api(user: Any) -> Any:
    _token, secret = token_create(user=user, name="tools")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def test_overview_and_alert_page_show_alerts_with_what_to_do(world: World) -> None:
    todo(world.northwind, ago(3))
    todo(world.northwind, ago(5), visibility=Visibility.INTERNAL)
    html = client_for(world.maria).get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "Needs attention" in html
    assert "2 to-dos overdue" in html
    assert "Go through the overdue to-dos" in html
    html = client_for(world.pat).get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "1 to-do overdue" in html

    page = client_for(world.maria).get("/alerts/")
    assert page.status_code == 200
    assert "To-dos overdue · Northwind" in page.content.decode()
    assert client_for(world.pat).get("/alerts/").status_code in {403, 404}


def test_alert_settings_page(world: World) -> None:
    maria = client_for(world.maria)
    response = maria.post("/alerts/settings/", {"partner_quiet_days": "30"})
    assert response.status_code == 302
    assert AlertSettings.objects.get(workspace=world.acme).partner_quiet_days == 30
    response = maria.post("/alerts/settings/", {"partner_quiet_days": "0"})
    assert response.status_code == 400
    assert "A whole number of days from 1 to 365." in response.content.decode()
    assert client_for(world.pat).post(
        "/alerts/settings/", {"partner_quiet_days": "3"}
    ).status_code in {403, 404}


def test_api(world: World) -> None:
    todo(world.northwind, ago(3))
    todo(world.northwind, ago(5), visibility=Visibility.INTERNAL)
    maria, pat = _api(world.maria), _api(world.pat)
    mine = maria.get(f"/api/partnerships/{world.northwind.pk}/alerts").json()
    assert [a["kind"] for a in mine] == ["todos_overdue"]
    assert mine[0]["text"].startswith("2 to-dos overdue")
    assert mine[0]["next_step"] and mine[0]["url"].endswith("/todos/")
    theirs = pat.get(f"/api/partnerships/{world.northwind.pk}/alerts").json()
    assert theirs[0]["text"].startswith("1 to-do overdue")
    assert pat.get(f"/api/partnerships/{world.globex.pk}/alerts").status_code == 404

    listed = maria.get(f"/api/workspaces/{world.acme.pk}/alerts").json()
    assert listed["count"] == 1 and listed["items"][0]["partnership_name"] == "Northwind"
    assert pat.get(f"/api/workspaces/{world.acme.pk}/alerts").status_code in {403, 404}

    url = f"/api/workspaces/{world.acme.pk}/alerts/settings"
    assert maria.get(url).json() == {"partner_quiet_days": 14, "version": None}
    saved = maria.put(url, {"partner_quiet_days": 21}, content_type="application/json")
    assert saved.status_code == 200 and saved.json()["partner_quiet_days"] == 21
    stale = maria.put(
        url, {"partner_quiet_days": 7, "version": 999}, content_type="application/json"
    )
    assert stale.status_code == 409
    assert (
        maria.put(url, {"partner_quiet_days": 0}, content_type="application/json").status_code
        == 422
    )
    assert pat.put(url, {"partner_quiet_days": 3}, content_type="application/json").status_code in {
        403,
        404,
    }
