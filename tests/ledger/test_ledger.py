"""The value exchange ledger: kinds per workspace, entries both sides log, confirm or
dispute by the other side, "you gave" / "you received" from each reader's side."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.accounts.services import token_create
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.models import ActivityEntry as Activity
from tandem.exchange.ledger import selectors, services
from tandem.exchange.ledger.models import DEFAULT_KINDS, Confirmation, Entry, Kind
from tests.conftest import World, client_for


def _api(user):  # type: ignore[no-untyped-def]
    _token, secret = token_create(user=user, name="tools")
    client = client_for(None)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    return client


def _kind(world: World, name: str = "Lead") -> Kind:
    return selectors.kinds_for(world.acme.pk).get(name=name)


def _entry(world: World, user, **values) -> Entry:  # type: ignore[no-untyped-def]
    if "kind" not in values:
        values["kind"] = _kind(world)
    values = {
        "direction": "ours",
        "occurred_on": date(2026, 5, 4),
        "title": "Intro to Contoso",
        **values,
    }
    return services.entry_create(actor=world.actor(user), partnership=world.northwind, **values)


def test_default_kinds_on_first_use_then_the_workspaces_own(world: World) -> None:
    assert [k.name for k in selectors.kinds_for(world.acme.pk)] == list(DEFAULT_KINDS)
    assert not Kind.objects.filter(workspace=world.initech).exists()
    maria = world.actor(world.maria)
    webinar = services.kind_create(actor=maria, workspace_id=world.acme.pk, name=" Webinar ")
    assert webinar.name == "Webinar" and list(selectors.kinds_for(world.acme.pk))[-1] == webinar
    with pytest.raises(InvalidInput):
        services.kind_create(actor=maria, workspace_id=world.acme.pk, name="lead")
    lead = _kind(world)
    services.kind_update(lead, actor=maria, version=lead.version, name="Sales lead")
    services.kind_move(webinar, actor=maria, version=webinar.version, direction="up")
    names = [k.name for k in selectors.kinds_for(world.acme.pk)]
    assert names.index("Webinar") == len(names) - 2
    services.kind_update(webinar, actor=maria, version=webinar.version, archived=True)
    assert webinar not in selectors.kinds_for(world.acme.pk, archived=False)
    with pytest.raises(InvalidInput) as refused:
        _entry(world, world.maria, kind=webinar)
    assert "archived" in refused.value.errors["kind"][0]
    with pytest.raises(PermissionDenied):
        services.kind_create(actor=world.actor(world.pat), workspace_id=world.acme.pk, name="X")


def test_both_sides_log_and_each_reads_from_its_own_side(world: World, as_maria, as_pat) -> None:
    ours = _entry(world, world.maria, title="Intro to Contoso", direction="ours")
    theirs = _entry(
        world, world.pat, title="Referral: Fabrikam", direction="partner",
        amount=Decimal("5000"), currency="eur",
    )  # fmt: skip
    assert (ours.logged_by_side, theirs.logged_by_side) == ("ours", "partner")
    assert theirs.currency == "EUR" and theirs.visibility == "shared"
    maria_page = as_maria.get(f"/partnerships/{world.northwind.pk}/value/").content.decode()
    pat_page = as_pat.get(f"/partnerships/{world.northwind.pk}/value/").content.decode()

    # Maria gave the intro; Pat gave the referral.
    def said(page: str, entry: Entry) -> str:
        part = page[page.index(f'id="entry-{entry.pk}"') :]
        return "You gave" if part.index("You gave") < part.index("</li>") else "You received"

    assert said(maria_page, ours) == "You gave" and said(maria_page, theirs) == "You received"
    assert said(pat_page, ours) == "You received" and said(pat_page, theirs) == "You gave"
    assert "5,000.00 EUR" in pat_page


def test_partner_side_people_log_shared_entries_only(world: World) -> None:
    with pytest.raises(InvalidInput):
        _entry(world, world.pat, visibility="internal")
    assert not Entry.objects.exists()
    internal = _entry(world, world.maria, visibility="internal", title="Our private note")
    pat, lee = world.actor(world.pat), world.actor(world.lee)
    assert internal not in selectors.entries_for(pat, world.northwind)
    with pytest.raises(Http404):
        services.ENTRIES.one(pat, world.northwind, internal.pk)
    with pytest.raises(PermissionDenied):
        services.entry_create(
            actor=lee, partnership=world.northwind, kind=_kind(world), direction="ours",
            occurred_on=date(2026, 1, 1), title="Not my partnership",
        )  # fmt: skip


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"amount": Decimal("-5"), "currency": "EUR"}, "amount"),
        ({"amount": Decimal("5"), "currency": "EUX"}, "currency"),
        ({"amount": Decimal("5")}, "currency"),
        ({"currency": "EUR"}, "amount"),
        ({"estimated": True}, "amount"),
        ({"title": "  "}, "title"),
        ({"direction": "both"}, "direction"),
    ],
)
def test_bad_input_is_refused_clearly_and_nothing_written(world: World, values, field) -> None:  # type: ignore[no-untyped-def]
    before = Activity.objects.count()
    with pytest.raises(InvalidInput) as refused:
        _entry(world, world.maria, **values)
    assert refused.value.errors[field]
    assert not Entry.objects.exists() and Activity.objects.count() == before


def test_only_the_other_side_confirms_or_disputes(world: World) -> None:
    maria, pat = world.actor(world.maria), world.actor(world.pat)
    entry = _entry(world, world.maria, amount=Decimal("100"), currency="USD")
    with pytest.raises(InvalidInput):
        services.entry_answer(entry, actor=maria, version=entry.version, confirm=True)
    with pytest.raises(InvalidInput) as refused:  # a dispute says why
        services.entry_answer(entry, actor=pat, version=entry.version, confirm=False, note=" ")
    assert refused.value.errors["note"]
    with pytest.raises(Conflict):
        services.entry_answer(entry, actor=pat, version=entry.version - 1, confirm=True)
    assert Entry.objects.get(pk=entry.pk).confirmation == Confirmation.PENDING
    services.entry_answer(
        entry, actor=pat, version=entry.version, confirm=False, note="This intro didn't happen"
    )
    entry.refresh_from_db()
    assert (entry.confirmation, entry.confirmed_by) == (Confirmation.DISPUTED, world.pat)
    assert Activity.objects.filter(verb="disputed", target_id=entry.pk).exists()
    # Disputed entries are left out of the balance.
    assert selectors.balance(maria, world.northwind).total.gave == {}
    # Changing what it claims asks the other side again.
    services.entry_update(entry, actor=maria, version=entry.version, amount=Decimal("80"))
    entry.refresh_from_db()
    assert entry.confirmation == Confirmation.PENDING and entry.confirmed_by is None
    services.entry_answer(entry, actor=pat, version=entry.version, confirm=True)
    assert Entry.objects.get(pk=entry.pk).confirmation == Confirmation.CONFIRMED
    # Pat cannot change what Maria's side logged; he can change his own.
    with pytest.raises(PermissionDenied):
        services.entry_update(entry, actor=pat, version=entry.version + 1, title="Mine now")
    internal = _entry(world, world.maria, visibility="internal")
    with pytest.raises(InvalidInput):
        services.entry_answer(internal, actor=maria, version=internal.version, confirm=True)


def test_opportunity_must_be_this_partnerships(world: World) -> None:
    from tandem.exchange.pipeline.models import Opportunity

    fields = {f.name for f in Opportunity._meta.get_fields()}
    if "stage" not in fields:  # pragma: no cover
        pytest.skip("pipeline model changed")
    from tests.ledger.helpers import opportunity

    elsewhere = opportunity(world, world.globex)
    with pytest.raises(InvalidInput) as refused:
        _entry(world, world.maria, opportunity=elsewhere)
    assert refused.value.errors["opportunity"]
    here = opportunity(world, world.northwind)
    assert _entry(world, world.maria, opportunity=here).opportunity == here


def test_pages_confirm_and_dispute(world: World, as_maria, as_pat, as_olga) -> None:
    base = f"/partnerships/{world.northwind.pk}/value/"
    response = as_maria.post(
        f"{base}new/",
        {"kind": _kind(world).pk, "direction": "ours", "occurred_on": "2026-05-04",
         "title": "Joint webinar", "amount": "1200", "currency": "usd", "visibility": "shared"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = Entry.objects.get(title="Joint webinar")
    bad = as_maria.post(
        f"{base}new/",
        {"kind": _kind(world).pk, "direction": "ours", "occurred_on": "2026-05-04",
         "title": "Bad", "amount": "-3", "currency": "USD", "visibility": "shared"},
    )  # fmt: skip
    assert bad.status_code == 400 and "cannot be negative" in bad.content.decode()
    assert "Confirm" not in as_maria.get(f"{base}{entry.pk}/").content.decode().split("</h1>")[1]
    detail = as_pat.get(f"{base}{entry.pk}/").content.decode()
    assert "Did this happen?" in detail
    no_note = as_pat.post(f"{base}{entry.pk}/answer/", {"version": entry.version, "dispute": "1"})
    assert no_note.status_code == 400 and "Say what is wrong" in no_note.content.decode()
    done = as_pat.post(f"{base}{entry.pk}/answer/", {"version": entry.version, "confirm": "1"})
    assert done.status_code == 302
    assert Entry.objects.get(pk=entry.pk).confirmation == Confirmation.CONFIRMED
    stale = as_pat.post(
        f"{base}{entry.pk}/answer/", {"version": entry.version, "dispute": "1", "note": "No"}
    )
    assert stale.status_code == 400
    assert Entry.objects.get(pk=entry.pk).confirmation == Confirmation.CONFIRMED
    # The answer is in the partnership's activity, from what it was to what it became.
    activity = as_maria.get(f"/partnerships/{world.northwind.pk}/activity/")
    assert activity.status_code == 200
    assert "Not confirmed yet" in activity.content.decode()
    assert as_olga.get(base).status_code == 404
    assert as_olga.get(f"{base}{entry.pk}/").status_code == 404
    assert as_maria.get("/partnerships/program/value/kinds/").status_code == 200
    assert as_maria.get("/partnerships/program/value/portfolio/").status_code == 200
    assert as_pat.get("/partnerships/program/value/kinds/").status_code in (403, 404)


def test_the_api(world: World) -> None:
    pat, lena = _api(world.pat), _api(world.lena)
    base = f"/api/partnerships/{world.northwind.pk}/ledger"
    kinds = lena.get(f"/api/workspaces/{world.acme.pk}/ledger/kinds").json()["items"]
    assert [k["name"] for k in kinds] == list(DEFAULT_KINDS)
    made = pat.post(
        base,
        {"kind_id": kinds[1]["id"], "direction": "partner", "occurred_on": "2026-02-03",
         "title": "Referral: Fabrikam", "amount": "2500.00", "currency": "EUR"},
        content_type="application/json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["logged_by_side"], body["confirmation"], body["kind_id"], body["kind_name"]) == (
        "partner", "pending", kinds[1]["id"], "Referral",
    )  # fmt: skip
    assert lena.get(base).json()["items"][0]["kind_name"] == "Referral"
    for bad in (
        {"amount": "-1", "currency": "EUR"},
        {"amount": "1", "currency": "ABC"},
        {"amount": "1"},
        {"kind_id": 999999},
    ):
        refused = pat.post(
            base,
            {"kind_id": kinds[0]["id"], "direction": "ours", "occurred_on": "2026-02-03",
             "title": "Bad", **bad},
            content_type="application/json",
        )  # fmt: skip
        assert refused.status_code in (400, 422), (bad, refused.content)
    assert Entry.objects.count() == 1
    own = pat.post(f"{base}/{body['id']}/confirm", {"version": 1}, content_type="application/json")
    assert own.status_code == 400
    disputed = lena.post(
        f"{base}/{body['id']}/dispute", {"version": 1, "note": "Never heard of Fabrikam"},
        content_type="application/json",
    )  # fmt: skip
    assert disputed.status_code == 200 and disputed.json()["confirmation"] == "disputed"
    stale = lena.post(
        f"{base}/{body['id']}/confirm", {"version": 1}, content_type="application/json"
    )
    assert stale.status_code == 409
    balance = pat.get(f"{base}/balance").json()
    assert balance["side"] == "partner" and balance["disputed"] == 1
    portfolio = lena.get(f"/api/workspaces/{world.acme.pk}/ledger/portfolio")
    assert portfolio.status_code == 200
    assert pat.get(f"/api/workspaces/{world.acme.pk}/ledger/portfolio").status_code in (403, 404)
    lead = kinds[0]
    renamed = lena.patch(
        f"/api/workspaces/{world.acme.pk}/ledger/kinds/{lead['id']}",
        {"version": lead["version"], "name": "Sales lead", "move": "down"},
        content_type="application/json",
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "Sales lead"


def test_api_stale_version_and_what_partners_never_see(world: World) -> None:
    maria = world.actor(world.maria)
    shared = _entry(world, world.maria, title="Shared intro")
    _entry(world, world.maria, title="Our internal note", visibility="internal")
    pat, lena, olga = _api(world.pat), _api(world.lena), _api(world.olga)
    base = f"/api/partnerships/{world.northwind.pk}/ledger"
    titles = [row["title"] for row in pat.get(base).json()["items"]]
    assert titles == ["Shared intro"]
    assert len(lena.get(base).json()["items"]) == 2
    assert olga.get(base).status_code == 404
    assert olga.get(f"{base}/{shared.pk}").status_code == 404
    assert _api(world.lee).get(f"{base}/{shared.pk}").status_code == 404
    changed = lena.patch(
        f"{base}/{shared.pk}", {"version": shared.version, "title": "Renamed"},
        content_type="application/json",
    )  # fmt: skip
    assert changed.status_code == 200
    stale = lena.patch(
        f"{base}/{shared.pk}", {"version": shared.version, "title": "Lost"},
        content_type="application/json",
    )  # fmt: skip
    assert stale.status_code == 409
    assert Entry.objects.get(pk=shared.pk).title == "Renamed"
    refused = lena.patch(
        f"{base}/{shared.pk}", {"version": shared.version + 1, "amount": "-4", "currency": "EUR"},
        content_type="application/json",
    )  # fmt: skip
    assert refused.status_code == 400 and "negative" in refused.content.decode()
    assert Entry.objects.get(pk=shared.pk).amount is None
    assert (
        selectors.entries_in_period(maria, world.northwind, date(2026, 1, 1), date(2026, 12, 31))
        == 2
    )
    assert shared.owner == world.maria  # "Me" when nobody is chosen


def test_the_form_offers_open_and_recent_deals_and_keeps_an_entrys_own(
    world: World, as_maria
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from tests.ledger.helpers import opportunity

    today = timezone.localdate()
    open_deal = opportunity(world, world.northwind, account_name="Open Co")
    recent = opportunity(
        world, world.northwind, account_name="Recent Co", closed_on=today - timedelta(days=10)
    )
    old = opportunity(
        world, world.northwind, account_name="Old Co", closed_on=today - timedelta(days=400)
    )
    base = f"/partnerships/{world.northwind.pk}/value/"
    page = as_maria.get(base).content.decode()
    assert f'<option value="{open_deal.pk}">Open Co</option>' in page
    assert f'<option value="{recent.pk}">Recent Co</option>' in page
    assert "Old Co" not in page
    entry = _entry(world, world.maria, opportunity=old)
    edit = as_maria.get(f"{base}{entry.pk}/edit/").content.decode()
    assert f'<option value="{old.pk}" selected>Old Co</option>' in edit
