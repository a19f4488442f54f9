"""The partner pipeline: stages per workspace, deals and their stage moves, deal registration
by the partner's people with a member's decision, and who may see what."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.exchange.pipeline import selectors, services
from tandem.exchange.pipeline.models import (
    Opportunity,
    Outcome,
    Registration,
    Stage,
    StageChange,
)
from tests.conftest import World, client_for


@pytest.fixture
def sent(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the e-mails a change schedules for after its commit, as the worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _url(world: World, tail: str = "", partnership: Any = None) -> str:
    return f"/partnerships/{(partnership or world.northwind).pk}/pipeline/{tail}"


def _stage(world: World, name: str) -> Stage:
    services.stages_of(world.acme.pk)
    return Stage.objects.get(workspace=world.acme, name=name)


def _deal(world: World, user: Any = None, partnership: Any = None, **values: Any) -> Opportunity:
    values.setdefault("account_name", "Contoso")
    return services.opportunity_create(
        actor=world.actor(user or world.maria),
        partnership=partnership or world.northwind,
        **values,
    )


def _api(user: Any) -> Any:
    _token, secret = token_create(user=user, name="tools")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


# Stages ---------------------------------------------------------------------------


def test_a_workspace_starts_with_the_default_stages_and_members_change_them(
    world: World, as_maria
) -> None:
    response = as_maria.get("/workspace/pipeline/")
    assert response.status_code == 200
    names = [s.name for s in services.stages_of(world.acme.pk)]
    assert names == ["Registered", "Qualified", "Proposal", "Negotiation", "Won", "Lost"]
    qualified = _stage(world, "Qualified")
    response = as_maria.post(
        f"/workspace/pipeline/{qualified.pk}/edit/",
        {
            f"s{qualified.pk}-version": qualified.version,
            f"s{qualified.pk}-name": "Discovery",
            f"s{qualified.pk}-probability": 30,
            f"s{qualified.pk}-outcome": "open",
        },
    )
    assert response.status_code == 302
    qualified.refresh_from_db()
    assert (qualified.name, qualified.probability) == ("Discovery", 30)
    as_maria.post(
        f"/workspace/pipeline/{qualified.pk}/move/",
        {"version": qualified.version, "direction": "up"},
    )
    assert [s.name for s in services.stages_of(world.acme.pk)][:2] == ["Discovery", "Registered"]
    response = as_maria.post(
        "/workspace/pipeline/new/", {"name": "Pilot", "probability": 60, "outcome": "open"}
    )
    assert response.status_code == 302
    assert services.stages_of(world.acme.pk)[-1].name == "Pilot"
    as_maria.post("/workspace/pipeline/stall/", {"stall_days": 14})
    assert services.stall_days_of(world.acme.pk) == 14


def test_a_refused_stage_edit_shows_the_reason_on_its_field(world: World, as_maria) -> None:
    qualified = _stage(world, "Qualified")
    response = as_maria.post(
        f"/workspace/pipeline/{qualified.pk}/edit/",
        {
            f"s{qualified.pk}-version": qualified.version,
            f"s{qualified.pk}-name": "Proposal",
            f"s{qualified.pk}-probability": 30,
            f"s{qualified.pk}-outcome": "open",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is already a stage of that name." in page
    assert f'name="s{qualified.pk}-name" value="Proposal"' in page  # what was typed stays
    # The field names its message, so a screen reader reads it with the field.
    assert f'aria-describedby="id_s{qualified.pk}-name_error"' in page
    assert f'<ul class="errorlist" id="id_s{qualified.pk}-name_error">' in page
    qualified.refresh_from_db()
    assert qualified.name == "Qualified"


def test_stage_rules_are_explained(world: World) -> None:
    actor = world.actor(world.maria)
    with pytest.raises(InvalidInput, match="correct"):
        services.stage_create(actor=actor, workspace_id=world.acme.pk, name="won", probability=5)
    with pytest.raises(InvalidInput):
        services.stage_create(actor=actor, workspace_id=world.acme.pk, name="X", probability=101)
    with pytest.raises(InvalidInput):
        services.set_stall_days(actor=actor, workspace_id=world.acme.pk, stall_days=0)
    for stage in services.stages_of(world.acme.pk)[:3]:
        services.stage_update(stage, actor=actor, version=stage.version, archived=True)
    last = _stage(world, "Negotiation")
    with pytest.raises(InvalidInput, match="at least one open stage"):
        services.stage_update(last, actor=actor, version=last.version, archived=True)


def test_the_stages_api_is_for_members_only(world: World) -> None:
    path = f"/api/workspaces/{world.acme.pk}/pipeline/stages"
    assert _api(world.pat).get(path).status_code in (403, 404)
    assert _api(world.olga).get(path).status_code in (403, 404)
    maria = _api(world.maria)
    stages = maria.get(path).json()
    assert len(stages) == 6
    lost = next(s for s in stages if s["outcome"] == "lost")
    answer = maria.patch(
        f"{path}/{lost['id']}",
        {"version": lost["version"], "probability": 0, "move": "up"},
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    settings = f"/api/workspaces/{world.acme.pk}/pipeline/settings"
    assert maria.get(settings).json() == {"stall_days": 30}
    assert maria.put(settings, {"stall_days": 10}, content_type="application/json").json() == {
        "stall_days": 10
    }


# Deals ----------------------------------------------------------------------------


def test_a_member_adds_a_deal_and_its_first_stage_is_in_the_history(world: World, as_maria) -> None:
    response = as_maria.post(
        _url(world, "new/"),
        {
            "account_name": "Contoso Ltd",
            "account_domain": "https://www.Contoso.com/about",
            "attribution": "partner_sourced",
            "amount": "12500.50",
            "currency": "eur",
            "visibility": "shared",
        },
    )
    assert response.status_code == 302, response.content
    deal = Opportunity.objects.get()
    assert deal.account_key == "contoso.com"
    assert deal.amount == Decimal("12500.50") and deal.currency == "EUR"
    assert deal.stage.name == "Registered" and deal.registration == ""
    [change] = StageChange.objects.filter(opportunity=deal)
    assert change.from_stage is None and change.to_stage == deal.stage
    page = as_maria.get(_url(world, f"{deal.pk}/"))
    assert page.status_code == 200 and b"Stage history" in page.content
    assert "€12,500.50" in as_maria.get(_url(world)).content.decode()


def test_the_account_key_falls_back_to_the_name(world: World) -> None:
    assert services.account_key("  ACME,  Inc. ", "") == "acme inc"
    assert services.account_key("x", "http://www.acme.io:8080/path?q") == "acme.io"


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"amount": Decimal("-1"), "currency": "EUR"}, "amount"),
        ({"amount": Decimal("10"), "currency": "EUX"}, "currency"),
        ({"amount": Decimal("10"), "currency": ""}, "currency"),
        ({"account_name": "  "}, "account_name"),
        ({"account_domain": "not a domain"}, "account_domain"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_is_written(
    world: World, values: dict[str, Any], field: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _deal(world, **values)
    assert field in refused.value.errors
    assert not Opportunity.objects.exists() and not StageChange.objects.exists()


def test_the_api_refuses_a_negative_amount_and_an_unknown_currency(world: World) -> None:
    maria = _api(world.maria)
    path = f"/api/partnerships/{world.northwind.pk}/opportunities"
    for body, field in (
        ({"account_name": "A", "amount": "-5", "currency": "EUR"}, "amount"),
        ({"account_name": "A", "amount": "5", "currency": "ZZZ"}, "currency"),
    ):
        answer = maria.post(path, body, content_type="application/json")
        assert answer.status_code == 400, answer.content
        assert field in answer.content.decode()
    assert not Opportunity.objects.exists()
    answer = maria.post(
        path,
        {"account_name": "A", "amount": "5", "currency": "gbp"},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["currency"] == "GBP"


# Stage moves ------------------------------------------------------------------------


def test_moving_a_deal_records_the_history_and_closing_it_is_final(world: World) -> None:
    actor = world.actor(world.maria)
    deal = _deal(world, amount=Decimal(100), currency="USD")
    entered = deal.stage_entered_at
    services.move_stage(deal, actor=actor, version=deal.version, stage=_stage(world, "Proposal"))
    assert deal.stage_entered_at > entered and deal.closed_on is None
    with pytest.raises(InvalidInput) as refused:
        services.move_stage(deal, actor=actor, version=deal.version, stage=_stage(world, "Lost"))
    assert "lost_reason" in refused.value.errors
    services.move_stage(
        deal, actor=actor, version=deal.version, stage=_stage(world, "Lost"), lost_reason="Budget"
    )
    deal.refresh_from_db()
    assert deal.closed_on == timezone.localdate() and deal.lost_reason == "Budget"
    with pytest.raises(InvalidInput, match="closed"):
        services.move_stage(deal, actor=actor, version=deal.version, stage=_stage(world, "Won"))
    moves = [(c.from_stage and c.from_stage.name, c.to_stage.name) for c in selectors.history(deal)]
    assert moves == [(None, "Registered"), ("Registered", "Proposal"), ("Proposal", "Lost")]


def test_a_stale_move_is_a_conflict_and_writes_nothing(world: World, as_maria) -> None:
    deal = _deal(world)
    stale = deal.version
    services.opportunity_update(
        deal, actor=world.actor(world.maria), version=stale, next_step="Call"
    )
    with pytest.raises(Conflict):
        services.move_stage(
            deal, actor=world.actor(world.maria), version=stale, stage=_stage(world, "Won")
        )
    response = as_maria.post(
        _url(world, f"{deal.pk}/move/"), {"version": stale, "stage": _stage(world, "Won").pk}
    )
    assert response.status_code == 409
    assert StageChange.objects.filter(opportunity=deal).count() == 1


def test_the_move_page_and_api_say_why_a_closed_deal_cannot_move(world: World, as_maria) -> None:
    deal = _deal(world)
    won = _stage(world, "Won")
    response = as_maria.post(
        _url(world, f"{deal.pk}/move/"), {"version": deal.version, "stage": won.pk}
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    answer = _api(world.maria).post(
        f"/api/partnerships/{world.northwind.pk}/opportunities/{deal.pk}/move",
        {"version": deal.version, "stage_id": _stage(world, "Lost").pk, "lost_reason": "x"},
        content_type="application/json",
    )
    assert answer.status_code == 400 and "closed" in answer.content.decode()


# Registration -------------------------------------------------------------------------


def test_pat_registers_a_deal_maria_accepts_and_both_are_told(
    world: World, as_pat, as_maria, sent
) -> None:
    with sent():
        response = as_pat.post(
            _url(world, "new/"),
            {
                "account_name": "Fabrikam",
                "account_domain": "fabrikam.com",
                "attribution": "partner_sourced",
            },
        )
    assert response.status_code == 302, response.content
    deal = Opportunity.objects.get()
    assert deal.registration == Registration.PENDING and deal.visibility == Visibility.SHARED
    assert deal.stage.name == "Registered" and not deal.already_registered
    told = {tuple(m.to) for m in mail.outbox}
    assert told == {(world.maria.email,), (world.pat.email,)}
    mail.outbox.clear()
    with sent():
        response = as_maria.post(
            _url(world, f"{deal.pk}/decide/"), {"version": deal.version, "decision": "accept"}
        )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.registration == Registration.ACCEPTED and deal.decided_by == world.maria
    assert {tuple(m.to) for m in mail.outbox} == {(world.maria.email,), (world.pat.email,)}
    assert all("accepted" in m.subject for m in mail.outbox)
    assert "Accepted" in as_pat.get(_url(world, f"{deal.pk}/")).content.decode()


def test_a_rejection_needs_a_reason_which_the_partner_reads(world: World, as_maria, sent) -> None:
    deal = services.register_deal(
        actor=world.actor(world.pat), partnership=world.northwind, account_name="Tailspin"
    )
    response = as_maria.post(
        _url(world, f"{deal.pk}/decide/"), {"version": deal.version, "decision": "reject"}
    )
    assert response.status_code == 400 and b"Say why" in response.content
    deal.refresh_from_db()
    assert deal.registration == Registration.PENDING
    with sent():
        as_maria.post(
            _url(world, f"{deal.pk}/decide/"),
            {"version": deal.version, "decision": "reject", "reason": "Already in talks"},
        )
    deal.refresh_from_db()
    assert deal.registration == Registration.REJECTED
    to_pat = next(m for m in mail.outbox if m.to == [world.pat.email])
    assert "rejected" in to_pat.subject and "Already in talks" in to_pat.body
    with pytest.raises(InvalidInput, match="already been decided"):
        services.decide_registration(
            deal, actor=world.actor(world.maria), version=deal.version, accept=True
        )


def test_pat_cannot_decide_his_own_registration(world: World, as_pat) -> None:
    deal = services.register_deal(
        actor=world.actor(world.pat), partnership=world.northwind, account_name="Tailspin"
    )
    response = as_pat.post(
        _url(world, f"{deal.pk}/decide/"), {"version": deal.version, "decision": "accept"}
    )
    assert response.status_code in (403, 404)
    answer = _api(world.pat).post(
        f"/api/partnerships/{world.northwind.pk}/opportunities/{deal.pk}/decide",
        {"version": deal.version, "accept": True},
        content_type="application/json",
    )
    assert answer.status_code in (403, 404)
    deal.refresh_from_db()
    assert deal.registration == Registration.PENDING


def test_lee_registering_pats_account_is_told_only_that_it_is_taken(world: World, sent) -> None:
    pats = services.register_deal(
        actor=world.actor(world.pat),
        partnership=world.northwind,
        account_name="Woodgrove Bank",
        account_domain="woodgrove.com",
    )
    lee = client_for(world.lee)
    with sent():
        response = lee.post(
            _url(world, "new/", world.globex),
            {
                "account_name": "Woodgrove",
                "account_domain": "https://www.woodgrove.com/contact",
                "attribution": "partner_sourced",
            },
            follow=True,
        )
    text = response.content.decode()
    assert "This account is already registered." in text
    assert "Northwind" not in text and "Woodgrove Bank" not in text and "Pat" not in text
    lees = Opportunity.objects.get(partnership=world.globex)
    assert lees.already_registered and lees.registration == Registration.PENDING
    detail = lee.get(_url(world, f"{lees.pk}/", world.globex)).content.decode()
    assert "This account is already registered." in detail
    assert "Northwind" not in detail and str(pats.pk) not in detail.split("pipeline/")[-1][:10]
    to_lee = [m for m in mail.outbox if m.to == [world.lee.email]]
    assert to_lee and all("Northwind" not in m.body and "Pat" not in m.body for m in to_lee)
    # Lee cannot reach Pat's deal, nor its matches, through the page or the API.
    assert lee.get(_url(world, f"{pats.pk}/", world.globex)).status_code == 404
    assert lee.get(_url(world, f"{pats.pk}/")).status_code == 404
    api = _api(world.lee)
    base = f"/api/partnerships/{world.globex.pk}/opportunities"
    assert api.get(f"{base}/{lees.pk}/matches").status_code in (403, 404)
    listed = api.get(base).json()
    assert [row["id"] for row in listed["items"]] == [lees.pk]
    assert listed["items"][0]["already_registered"] is True
    # Maria sees which deal it matched, with a link.
    maria = client_for(world.maria).get(_url(world, f"{lees.pk}/", world.globex)).content.decode()
    assert f"/partnerships/{world.northwind.pk}/pipeline/{pats.pk}/" in maria
    matches = _api(world.maria).get(f"{base}/{lees.pk}/matches").json()
    assert [m["id"] for m in matches] == [pats.pk]


def test_a_rejected_registration_frees_the_account(world: World) -> None:
    first = services.register_deal(
        actor=world.actor(world.pat), partnership=world.northwind, account_name="Litware"
    )
    services.decide_registration(
        first, actor=world.actor(world.maria), version=first.version, accept=False, reason="No"
    )
    again = services.register_deal(
        actor=world.actor(world.lee), partnership=world.globex, account_name="litware"
    )
    assert not again.already_registered


def test_a_pending_registration_cannot_move_until_accepted(world: World) -> None:
    deal = services.register_deal(
        actor=world.actor(world.pat), partnership=world.northwind, account_name="Proseware"
    )
    with pytest.raises(InvalidInput, match="Accept the registration"):
        services.move_stage(
            deal, actor=world.actor(world.maria), version=deal.version, stage=_stage(world, "Won")
        )


def test_members_register_nothing_they_add(world: World) -> None:
    with pytest.raises(InvalidInput, match="Members add deals"):
        services.register_deal(
            actor=world.actor(world.maria), partnership=world.northwind, account_name="X"
        )


# Access ----------------------------------------------------------------------------


def test_partner_side_people_see_their_own_partnerships_shared_deals_only(world: World) -> None:
    shared = _deal(world, account_name="Shared one")
    internal = _deal(world, account_name="Internal one", visibility=Visibility.INTERNAL)
    globex = _deal(world, account_name="Globex one", partnership=world.globex)
    pat = client_for(world.pat)
    page = pat.get(_url(world)).content.decode()
    assert "Shared one" in page and "Internal one" not in page and "Globex one" not in page
    assert pat.get(_url(world, f"{internal.pk}/")).status_code == 404
    assert pat.get(_url(world, f"{globex.pk}/", world.globex)).status_code == 404
    assert pat.get(_url(world, f"{internal.pk}/move/")).status_code in (404, 405)
    olga = client_for(world.olga)
    assert olga.get(_url(world)).status_code == 404
    assert olga.get(_url(world, f"{shared.pk}/")).status_code == 404
    assert (
        _api(world.olga)
        .get(f"/api/partnerships/{world.northwind.pk}/opportunities/{shared.pk}")
        .status_code
        == 404
    )
    pat_api = _api(world.pat).get(f"/api/partnerships/{world.northwind.pk}/opportunities").json()
    assert [row["id"] for row in pat_api["items"]] == [shared.pk]
    assert client_for(world.pat).get("/workspace/pipeline/").status_code in (302, 403, 404)


def test_partner_side_people_cannot_make_a_deal_internal(world: World) -> None:
    deal = services.register_deal(
        actor=world.actor(world.pat), partnership=world.northwind, account_name="Adatum"
    )
    with pytest.raises(InvalidInput):
        services.opportunity_update(
            deal, actor=world.actor(world.pat), version=deal.version, visibility="internal"
        )


# Figures and query counts -------------------------------------------------------------


def _many(world: World, count: int) -> None:
    stages = [s for s in services.stages_of(world.acme.pk) if s.outcome == Outcome.OPEN]
    old = timezone.now() - timedelta(days=60)
    rows = [
        Opportunity(
            workspace=world.acme,
            partnership=world.northwind,
            account_name=f"Account {i}",
            account_key=f"account{i}.com",
            stage=stages[i % len(stages)],
            amount=Decimal(i * 10),
            currency=("EUR", "USD")[i % 2],
            stage_entered_at=old if i % 3 == 0 else timezone.now(),
            owner=world.pat if i % 2 else world.maria,
            created_by=world.pat,
        )
        for i in range(count)
    ]
    Opportunity.objects.bulk_create(rows)


def test_the_board_matches_a_direct_computation(world: World) -> None:
    _many(world, 90)
    figures = selectors.board(world.actor(world.maria), world.northwind)
    deals = list(Opportunity.objects.filter(partnership=world.northwind))
    for column in figures.columns:
        mine = [d for d in deals if d.stage_id == column.stage.pk]
        assert column.count == len(mine)
        for currency in ("EUR", "USD"):
            expected = sum((d.amount for d in mine if d.currency == currency), Decimal(0))
            assert column.amounts.get(currency, Decimal(0)) == expected
        stalled = [d for d in mine if d.stage_entered_at < timezone.now() - timedelta(days=30)]
        assert column.stalled == len(stalled)
    assert figures.totals["EUR"] == sum(d.amount for d in deals if d.currency == "EUR")


@pytest.mark.parametrize("user", ["maria", "pat"])
def test_the_pipeline_page_costs_the_same_with_10_or_200_deals(world: World, user: str) -> None:
    client = client_for(getattr(world, user))
    services.stages_of(world.acme.pk)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(_url(world))
            assert response.status_code == 200
        return len(queries)

    _many(world, 10)
    small = cost()
    _many(world, 190)
    assert Opportunity.objects.count() == 200
    assert cost() == small
    assert "Stalled" in client.get(_url(world)).content.decode()


def test_the_opportunity_list_api_costs_the_same_with_10_or_200_deals(world: World) -> None:
    api = _api(world.maria)
    path = f"/api/partnerships/{world.northwind.pk}/opportunities?limit=500"

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert api.get(path).status_code == 200
        return len(queries)

    services.stages_of(world.acme.pk)
    _many(world, 10)
    cost()  # the token's first use is recorded once
    small = cost()
    _many(world, 190)
    assert cost() == small
