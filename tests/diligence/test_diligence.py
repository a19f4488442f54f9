"""Due diligence: weighted criteria per workspace, assessments that end in go or no-go, and
the rule that a partnership becomes active only after a go (seed 002)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.accounts.services import token_create
from tandem.core.errors import Conflict, InvalidInput
from tandem.partners import services as partners
from tandem.partners.models import Partnership
from tandem.relationship.diligence import services
from tandem.relationship.diligence.models import Assessment, Criterion
from tandem.relationship.diligence.services import DecisionRequired
from tests.conftest import World
from tests.factories import PartnershipFactory, diligence_decision

EVIDENCE = "Called two of their customers; both renewed."


@pytest.fixture
def prospect(world: World) -> Partnership:
    return PartnershipFactory(
        workspace=world.acme, name="Contoso", stage="prospect", owner=world.maria
    )


def _api(user) -> Client:  # type: ignore[no-untyped-def]
    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


def _score_all(assessment: Assessment, actor, score: int = 4) -> Assessment:  # type: ignore[no-untyped-def]
    rows = {row.pk: {"score": score, "evidence": EVIDENCE} for row in assessment.scores.all()}
    return services.assessment_score(
        assessment, actor=actor, version=assessment.version, scores=rows
    )


def _edit(client: Client, partnership: Partnership, **changes: str):  # type: ignore[no-untyped-def]
    partnership.refresh_from_db()
    data = {
        "version": partnership.version,
        "name": partnership.name,
        "kind": partnership.kind,
        "horizon": partnership.horizon,
        "stage": partnership.stage,
        "cadence": partnership.cadence,
        "hours_per_week": str(partnership.hours_per_week),
        **changes,
    }
    return client.post(f"/partnerships/{partnership.pk}/edit/", data)


# --- Criteria ---------------------------------------------------------------------------------


def test_the_defaults_are_offered_and_created_in_one_click(world: World, as_maria) -> None:
    page = as_maria.get("/partnerships/program/diligence/").content.decode()
    assert "No criteria yet" in page and "Use these five criteria" in page
    assert not Criterion.objects.exists()  # reading never writes
    response = as_maria.post("/partnerships/program/diligence/criteria/defaults/")
    assert response.status_code == 302
    names = list(Criterion.objects.filter(workspace=world.acme).values_list("name", flat=True))
    assert names == [
        "Credibility",
        "Reputation",
        "Strategic alignment",
        "Value potential",
        "Resources available",
    ]
    # A second click does not double them.
    as_maria.post("/partnerships/program/diligence/criteria/defaults/")
    assert Criterion.objects.filter(workspace=world.acme).count() == 5
    assert not Criterion.objects.filter(workspace=world.initech).exists()


def test_members_add_rename_reweight_reorder_and_retire_criteria(world: World, as_lena) -> None:
    lena = world.actor(world.lena)
    services.criteria_defaults(actor=lena, workspace_id=world.acme.pk)
    base = "/partnerships/program/diligence/criteria"
    added = as_lena.post(
        f"{base}/new/", {"name": "Financial health", "guidance": "Audited", "weight": 4}
    )
    assert added.status_code == 302
    health = Criterion.objects.get(name="Financial health")
    assert health.weight == 4 and health.position == 6

    edit = as_lena.post(
        f"{base}/{health.pk}/edit/",
        {"version": 1, "name": "Financial strength", "guidance": "Audited accounts", "weight": 5},
    )
    assert edit.status_code == 302
    health.refresh_from_db()
    assert (health.name, health.weight, health.version) == ("Financial strength", 5, 2)

    as_lena.post(f"{base}/{health.pk}/move/", {"version": 2, "direction": "up"})
    order = list(
        Criterion.objects.filter(workspace=world.acme).current().order_by("position", "id")
    )
    assert order[-2].name == "Financial strength" and order[-1].name == "Resources available"

    reputation = Criterion.objects.get(name="Reputation")
    as_lena.post(f"{base}/{reputation.pk}/retire/", {"version": reputation.version})
    page = as_lena.get("/partnerships/program/diligence/").content.decode()
    assert "Retired (1)" in page and "Restore: Reputation" in page

    # A stale edit is refused with both versions shown, and changes nothing.
    stale = as_lena.post(
        f"{base}/{health.pk}/edit/", {"version": 1, "name": "Old idea", "weight": 1}
    )
    assert stale.status_code == 400
    assert "Someone else saved a change" in stale.content.decode()
    assert Criterion.objects.get(pk=health.pk).name == "Financial strength"


def test_a_criterion_name_is_unique_and_weights_stay_in_range(world: World, as_lena) -> None:
    services.criteria_defaults(actor=world.actor(world.lena), workspace_id=world.acme.pk)
    base = "/partnerships/program/diligence/criteria/new/"
    twice = as_lena.post(base, {"name": "credibility", "weight": 2})
    assert twice.status_code == 400
    assert "already has a criterion with this name" in twice.content.decode()
    heavy = as_lena.post(base, {"name": "Culture", "weight": 11})
    assert heavy.status_code == 400
    assert Criterion.objects.filter(workspace=world.acme).count() == 5


def test_two_members_naming_a_criterion_at_once_get_one_criterion(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Both pass the name check before either saves (the check is skipped here to stand in
    for that moment); the database keeps the first and the second is told, as in a form."""
    lena = world.actor(world.lena)
    services.criterion_create(actor=lena, workspace_id=world.acme.pk, name="Culture")
    monkeypatch.setattr(services, "_check_name", lambda *args, **kwargs: None)
    with pytest.raises(InvalidInput) as second:
        services.criterion_create(actor=lena, workspace_id=world.acme.pk, name="culture ")
    assert second.value.errors == {
        "name": ["The workspace already has a criterion with this name."]
    }
    other = services.criterion_create(actor=lena, workspace_id=world.acme.pk, name="Reach")
    with pytest.raises(InvalidInput):
        services.criterion_update(other, actor=lena, version=other.version, name="CULTURE")
    names = sorted(Criterion.objects.filter(workspace=world.acme).values_list("name", flat=True))
    assert names == ["Culture", "Reach"]


# --- Assessments ------------------------------------------------------------------------------


def test_an_assessment_snapshots_the_criteria(world: World, prospect: Partnership) -> None:
    maria = world.actor(world.maria)
    assessment = services.assessment_start(actor=maria, partnership=prospect)
    assert [s.name for s in assessment.scores.all()][:2] == ["Credibility", "Reputation"]
    credibility = Criterion.objects.get(workspace=world.acme, name="Credibility")
    services.criterion_update(credibility, actor=maria, version=1, name="Trust", weight=9)
    reputation = Criterion.objects.get(workspace=world.acme, name="Reputation")
    services.criterion_retire(reputation, actor=maria, version=1)
    row = assessment.scores.get(position=1)
    assert (row.name, row.weight) == ("Credibility", 5)
    assert assessment.scores.filter(name="Reputation").exists()
    # The next assessment uses the criteria as they are now.
    _score_all(assessment, maria)
    services.assessment_decide(
        Assessment.objects.get(pk=assessment.pk), actor=maria, version=2, decision="go",
        rationale="Strong fit.",
    )  # fmt: skip
    again = services.assessment_start(actor=maria, partnership=prospect)
    names = [s.name for s in again.scores.all()]
    assert names[0] == "Trust" and "Reputation" not in names


def test_the_weighted_total_is_a_share_of_the_maximum(world: World, prospect: Partnership) -> None:
    maria = world.actor(world.maria)
    assessment = services.assessment_start(actor=maria, partnership=prospect)
    rows = list(assessment.scores.all())  # weights 5, 3, 5, 4, 3
    scores = dict(zip([r.pk for r in rows], [5, 1, 4, 3, 2], strict=True))
    services.assessment_score(
        assessment,
        actor=maria,
        version=1,
        scores={pk: {"score": value, "evidence": "seen"} for pk, value in scores.items()},
    )
    # (25 + 3 + 20 + 12 + 6) / (5 × 20) = 66 / 100
    assert Assessment.objects.get(pk=assessment.pk).score_percent == 66


def test_a_go_needs_every_criterion_scored_with_evidence(
    world: World, prospect: Partnership
) -> None:
    maria = world.actor(world.maria)
    assessment = services.assessment_start(actor=maria, partnership=prospect)
    first = assessment.scores.first()
    services.assessment_score(
        assessment, actor=maria, version=1, scores={first.pk: {"score": 5, "evidence": ""}}
    )
    with pytest.raises(InvalidInput) as refusal:
        services.assessment_decide(
            assessment, actor=maria, version=2, decision="go", rationale="Looks great"
        )
    assert "Still missing: Credibility, Reputation" in refusal.value.errors["decision"][0]
    with pytest.raises(InvalidInput) as no_reason:
        services.assessment_decide(
            assessment, actor=maria, version=2, decision="no_go", rationale=" "
        )
    assert "rationale" in no_reason.value.errors
    # A no-go can be called early, with a reason.
    services.assessment_decide(
        assessment, actor=maria, version=2, decision="no_go", rationale="No resources this year."
    )
    decided = Assessment.objects.get(pk=assessment.pk)
    assert decided.decision == "no_go" and decided.decided_by == world.maria
    assert decided.decided_at is not None


def test_a_decided_assessment_is_kept_as_it_was(world: World, prospect: Partnership) -> None:
    maria = world.actor(world.maria)
    assessment = _score_all(services.assessment_start(actor=maria, partnership=prospect), maria)
    services.assessment_decide(
        assessment, actor=maria, version=assessment.version, decision="go", rationale="Fit."
    )
    with pytest.raises(InvalidInput, match="kept as it was"):
        _score_all(assessment, maria, score=1)
    with pytest.raises(InvalidInput, match="already open"):
        services.assessment_start(actor=maria, partnership=prospect) and services.assessment_start(
            actor=maria, partnership=prospect
        )


def test_a_stale_scoring_is_a_conflict(world: World, prospect: Partnership) -> None:
    maria = world.actor(world.maria)
    assessment = services.assessment_start(actor=maria, partnership=prospect)
    _score_all(Assessment.objects.get(pk=assessment.pk), maria)
    with pytest.raises(Conflict):
        _score_all(assessment, world.actor(world.lena), score=2)  # still holds version 1
    assert set(Assessment.objects.get(pk=assessment.pk).scores.values_list("score", flat=True)) == {
        4
    }


def test_scoring_and_deciding_in_the_page(world: World, prospect: Partnership, as_maria) -> None:
    url = f"/partnerships/{prospect.pk}/diligence/"
    page = as_maria.get(url).content.decode()
    assert "Not assessed yet" in page and "Start the assessment" in page
    assert as_maria.post(f"{url}assessments/new/").status_code == 302
    assessment = Assessment.objects.get(partnership=prospect)
    rows = list(assessment.scores.all())
    data = {"version": 1, "action": "decide", "decision": "go", "rationale": "Worth it."}
    for row in rows:
        data[f"score_{row.pk}"] = "4"
        data[f"evidence_{row.pk}"] = EVIDENCE
    data[f"evidence_{rows[-1].pk}"] = ""  # one criterion without evidence: no go
    refused = as_maria.post(f"{url}assessments/{assessment.pk}/save/", data)
    assert refused.status_code == 400
    assert "Still missing: Resources available" in refused.content.decode()
    assert (
        Assessment.objects.get(pk=assessment.pk).scores.filter(score=4).count() == 0
    )  # all or nothing
    data[f"evidence_{rows[-1].pk}"] = "Two engineers named for the integration."
    assert as_maria.post(f"{url}assessments/{assessment.pk}/save/", data).status_code == 302
    page = as_maria.get(url).content.decode()
    assert "Decision: <span" in page and "Recorded by <strong>Maria Manager</strong>" in page
    assert "80% weighted" in page and "Worth it." in page
    assert "Move Contoso to active" in page
    # The decision is in the activity log, internal.
    entry = prospect_activity(prospect)
    assert entry.verb == "recorded a go on" and entry.visibility == "internal"


def prospect_activity(partnership: Partnership):  # type: ignore[no-untyped-def]
    from tandem.core.models import ActivityEntry

    return ActivityEntry.objects.filter(partnership=partnership).first()


# --- The stage rule ---------------------------------------------------------------------------


def test_moving_to_active_without_a_go_asks_for_one(
    world: World, prospect: Partnership, as_maria
) -> None:
    response = _edit(as_maria, prospect, stage="active")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Contoso has no go decision yet" in page
    assert f'href="/partnerships/{prospect.pk}/diligence/"' in page
    prospect.refresh_from_db()
    assert (
        prospect.stage == "prospect"
        and not prospect.stage_changes.filter(to_stage="active").exists()
    )


def test_a_go_lets_it_become_active(world: World, prospect: Partnership, as_maria) -> None:
    diligence_decision(prospect, by=world.maria)
    assert _edit(as_maria, prospect, stage="active").status_code == 302
    prospect.refresh_from_db()
    assert prospect.stage == "active"
    overview = as_maria.get(f"/partnerships/{prospect.pk}/").content.decode()
    assert "decision-go" in overview and "Maria Manager" in overview


def test_the_latest_decision_counts(world: World, prospect: Partnership) -> None:
    lena = world.actor(world.lena)
    diligence_decision(prospect, by=world.maria)
    diligence_decision(prospect, by=world.lena, decision="no_go", rationale="They were acquired.")
    with pytest.raises(DecisionRequired) as refusal:
        partners.partnership_update(actor=lena, partnership=prospect, version=1, stage="active")
    assert "latest due diligence decision on Contoso is no-go (Lena Lead" in refusal.value.detail
    # Other changes still go through; so does moving to diligence.
    partners.partnership_update(actor=lena, partnership=prospect, version=1, stage="diligence")


def test_active_partnerships_are_not_affected_until_their_stage_changes(world: World) -> None:
    lena = world.actor(world.lena)
    northwind = Partnership.objects.get(pk=world.northwind.pk)
    partners.partnership_update(actor=lena, partnership=northwind, version=1, name="Northwind AB")
    partners.partnership_update(actor=lena, partnership=northwind, version=2, stage="paused")
    with pytest.raises(DecisionRequired):
        partners.partnership_update(actor=lena, partnership=northwind, version=3, stage="active")


def test_the_activate_button_moves_it_after_a_go(
    world: World, prospect: Partnership, as_maria
) -> None:
    url = f"/partnerships/{prospect.pk}/diligence/activate/"
    refused = as_maria.post(url, {"version": 1}, follow=True)
    assert "has no go decision yet" in refused.content.decode()
    diligence_decision(prospect, by=world.maria)
    assert as_maria.post(url, {"version": 1}).status_code == 302
    prospect.refresh_from_db()
    assert prospect.stage == "active"


def test_the_api_refuses_with_a_problem_naming_what_to_do(
    world: World, prospect: Partnership
) -> None:
    api = _api(world.maria)
    response = api.patch(
        f"/api/partnerships/{prospect.pk}",
        {"version": 1, "stage": "active"},
        content_type="application/json",
    )
    assert response.status_code == 409
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["title"] == "Due diligence decision required"
    assert f"POST /api/partnerships/{prospect.pk}/diligence/assessments" in problem["detail"]
    assert "stage" in problem["errors"]
    created = api.post(
        "/api/partnerships", {"name": "Straight to active", "stage": "active"},
        content_type="application/json",
    )  # fmt: skip
    assert created.status_code == 409
    assert not Partnership.objects.filter(name="Straight to active").exists()


def test_the_whole_flow_over_the_api(world: World, prospect: Partnership) -> None:
    api = _api(world.maria)
    base = f"/api/partnerships/{prospect.pk}/diligence/assessments"
    started = api.post(base)
    assert started.status_code == 201, started.content
    body = started.json()
    assert len(body["scores"]) == 5 and body["decision"] == ""
    scores = [{"id": s["id"], "score": 5, "evidence": EVIDENCE} for s in body["scores"]]
    scored = api.patch(
        f"{base}/{body['id']}", {"version": 1, "scores": scores}, content_type="application/json"
    )
    assert scored.status_code == 200 and scored.json()["score_percent"] == 100
    stale = api.patch(
        f"{base}/{body['id']}",
        {"version": 1, "scores": scores[:1]},
        content_type="application/json",
    )
    assert stale.status_code == 409
    bad = api.patch(
        f"{base}/{body['id']}",
        {"version": 2, "scores": [{"id": scores[0]["id"], "score": 6}]},
        content_type="application/json",
    )
    assert bad.status_code == 422
    decided = api.post(
        f"{base}/{body['id']}/decision",
        {"version": 2, "decision": "go", "rationale": "All five strong."},
        content_type="application/json",
    )
    assert decided.status_code == 200, decided.content
    assert decided.json()["decided_by"]["email"] == "maria@acme.example"
    moved = api.patch(
        f"/api/partnerships/{prospect.pk}", {"version": 1, "stage": "active"},
        content_type="application/json",
    )  # fmt: skip
    assert moved.status_code == 200 and moved.json()["stage"] == "active"
    listed = api.get(base).json()
    assert listed["count"] == 1 and listed["items"][0]["decision"] == "go"


def test_criteria_over_the_api(world: World) -> None:
    api = _api(world.lena)
    base = f"/api/workspaces/{world.acme.pk}/diligence/criteria"
    assert api.get(base).json()["count"] == 0
    assert api.post(f"{base}/defaults").status_code == 201
    made = api.post(base, {"name": "Culture", "weight": 2}, content_type="application/json")
    assert made.status_code == 201
    criterion = made.json()
    changed = api.patch(
        f"{base}/{criterion['id']}",
        {"version": 1, "weight": 7, "move": "up", "retired": True},
        content_type="application/json",
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["weight"] == 7 and changed.json()["retired_at"] is not None
    # Another workspace's member sees none of it.
    olga = _api(world.olga)
    assert olga.get(base).status_code == 404
    assert olga.patch(
        f"/api/workspaces/{world.initech.pk}/diligence/criteria/{criterion['id']}",
        {"version": 2, "weight": 1}, content_type="application/json",
    ).status_code == 404  # fmt: skip


# --- Who sees it ------------------------------------------------------------------------------


def test_partner_side_people_never_see_due_diligence(world: World, as_pat) -> None:
    diligence_decision(world.northwind, by=world.maria)
    assert as_pat.get(f"/partnerships/{world.northwind.pk}/diligence/").status_code == 403
    overview = as_pat.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "Due diligence" not in overview and "References checked" not in overview
    api = _api(world.pat)
    assert (
        api.get(f"/api/partnerships/{world.northwind.pk}/diligence/assessments").status_code == 403
    )
    activity = api.get(f"/api/partnerships/{world.northwind.pk}/activity").json()
    assert all("due diligence" not in entry["target_label"] for entry in activity["items"])


# --- What pages cost --------------------------------------------------------------------------


def test_the_program_page_costs_the_same_with_more_prospects(world: World, as_maria) -> None:
    services.criteria_defaults(actor=world.actor(world.maria), workspace_id=world.acme.pk)

    def add(count: int, start: int) -> None:
        for n in range(start, start + count):
            p = PartnershipFactory(workspace=world.acme, name=f"Prospect {n}", stage="prospect")
            diligence_decision(p, by=world.maria, decision="no_go" if n % 2 else "go")

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get("/partnerships/program/diligence/").status_code == 200
        return len(queries)

    add(2, 0)
    small = cost()
    add(20, 2)
    assert cost() == small


def test_the_assessment_page_costs_the_same_with_more_history(
    world: World, prospect: Partnership, as_maria
) -> None:
    maria = world.actor(world.maria)
    url = f"/partnerships/{prospect.pk}/diligence/"

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(url).status_code == 200
        return len(queries)

    diligence_decision(prospect, by=world.maria)
    services.assessment_start(actor=maria, partnership=prospect)
    small = cost()
    Assessment.objects.filter(partnership=prospect, decision="").delete()
    for _ in range(8):
        diligence_decision(prospect, by=world.lena, decision="no_go")
    services.assessment_start(actor=maria, partnership=prospect)
    assert cost() == small


def test_a_stale_page_keeps_the_entries_and_says_why(
    world: World, prospect: Partnership, as_maria
) -> None:
    assessment = services.assessment_start(actor=world.actor(world.maria), partnership=prospect)
    _score_all(Assessment.objects.get(pk=assessment.pk), world.actor(world.lena), score=2)
    first = assessment.scores.first()
    response = as_maria.post(
        f"/partnerships/{prospect.pk}/diligence/assessments/{assessment.pk}/save/",
        {"version": 1, "action": "save", f"score_{first.pk}": "5", f"evidence_{first.pk}": "Mine"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else saved this assessment while you were scoring" in page
    assert "Mine</textarea>" in page and 'name="version" value="2"' in page
    assert Assessment.objects.get(pk=assessment.pk).scores.get(pk=first.pk).score == 2


def test_a_new_partnership_cannot_start_as_active(world: World, as_maria) -> None:
    response = as_maria.post(
        "/partnerships/new/",
        {"name": "Eager", "kind": "referral", "horizon": "tactical", "stage": "active",
         "cadence": "weekly", "hours_per_week": "2"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "A new partnership starts as a prospect or in due diligence" in response.content.decode()
    assert not Partnership.objects.filter(name="Eager").exists()
