"""Roles and expectations: both sides' promises, their reviews, and the trust record."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.clock import local_today
from tandem.core.errors import Conflict, InvalidInput
from tandem.core.models import ActivityEntry
from tandem.relationship.commitments import selectors, services
from tandem.relationship.commitments.models import Commitment, CommitmentReview, Side, period_start
from tests.conftest import World, client_for


def _url(world: World, rest: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/commitments/{rest}"


def _commitment(world: World, **values) -> Commitment:
    defaults = {
        "side": Side.OURS,
        "kind": "marketing",
        "description": "Co-marketing for their campaigns",
        "target": "2 joint webinars",
        "period": "quarterly",
    }
    defaults.update(values)
    return services.commitment_create(
        actor=world.actor(world.maria), partnership=world.northwind, **defaults
    )


def test_a_member_adds_a_commitment_for_either_side(world: World, as_maria) -> None:
    response = as_maria.post(
        _url(world, "new/"),
        {
            "side": "partner",
            "kind": "presentations",
            "description": "Present our product to their prospects",
            "target": "6 presentations",
            "target_number": "6",
            "period": "quarterly",
            "owner": world.pat.pk,
            "visibility": "shared",
        },
    )
    assert response.status_code == 302, response.content.decode()
    page = as_maria.get(_url(world)).content.decode()
    assert "Present our product to their prospects" in page and "6 presentations" in page
    commitment = Commitment.objects.get(description="Present our product to their prospects")
    assert commitment.side == Side.PARTNER and commitment.owner == world.pat
    assert str(commitment.target_number) == "6.00"


def test_a_commitment_needs_a_target(world: World, as_maria) -> None:
    response = as_maria.post(
        _url(world, "new/"),
        {
            "side": "ours",
            "kind": "leads",
            "description": "Leads",
            "target": "",
            "period": "monthly",
        },
    )
    assert response.status_code == 400
    assert "This field is required" in response.content.decode()
    assert not Commitment.objects.exists()


def test_owners_come_from_the_side_that_promised(world: World) -> None:
    with pytest.raises(InvalidInput) as error:
        _commitment(world, side=Side.OURS, owner=world.pat)
    assert "your workspace" in str(error.value.errors["owner"])
    with pytest.raises(InvalidInput):
        _commitment(world, side=Side.PARTNER, owner=world.maria)
    with pytest.raises(InvalidInput) as error:
        _commitment(world, side=Side.PARTNER, owner=world.pat, visibility=Visibility.INTERNAL)
    assert "shared" in str(error.value.errors["owner"])
    assert _commitment(world, side=Side.PARTNER, owner=world.pat).owner == world.pat
    assert _commitment(world, side=Side.OURS, owner=world.maria).owner == world.maria


def test_suggestions_offer_each_sides_usual_kinds(world: World, as_maria) -> None:
    page = as_maria.get(_url(world)).content.decode()
    assert page.count("No commitments yet") == 2
    for label in ("Marketing support", "Lead sharing", "Territory", "Exclusivity"):
        assert f"+ {label}" in page
    for label in ("Dedicated resources", "Presentations per quarter", "Communication with clients"):
        assert f"+ {label}" in page
    response = as_maria.post(_url(world, "suggest/"), {"side": "ours", "kind": "leads"})
    assert response.status_code == 302
    page = as_maria.get(_url(world)).content.decode()
    assert "Pass qualified leads" in page
    assert "+ Lead sharing" not in page  # our side has a commitment now
    assert "+ Dedicated resources" in page  # theirs still has none
    bad = as_maria.post(_url(world, "suggest/"), {"side": "ours", "kind": "resources"})
    assert bad.status_code == 400
    assert "not one of the suggested" in bad.content.decode()


def test_the_partner_adds_and_reviews_their_own_side_only(world: World, as_pat) -> None:
    page = as_pat.get(_url(world)).content.decode()
    assert "+ Dedicated resources" in page
    assert "+ Marketing support" not in page  # not theirs to promise
    assert 'name="side"' not in page.split("Add a commitment")[1]
    assert 'name="visibility"' not in page
    response = as_pat.post(
        _url(world, "new/"),
        {
            "kind": "resources",
            "description": "A certified seller for Acme",
            "target": "1 certified seller",
            "period": "quarterly",
            "owner": world.pat.pk,
        },
    )
    assert response.status_code == 302
    mine = Commitment.objects.get(description="A certified seller for Acme")
    assert mine.side == Side.PARTNER and mine.visibility == Visibility.SHARED
    ours = _commitment(world)
    # Pat cannot review, edit or delete what Acme promised.
    assert as_pat.post(_url(world, f"{ours.pk}/review/"), {"kept": "1"}).status_code == 403
    assert as_pat.get(_url(world, f"{ours.pk}/edit/")).status_code == 403
    assert as_pat.post(_url(world, f"{ours.pk}/delete/")).status_code == 403
    # … nor pass their promise off as Acme's.
    pat = world.actor(world.pat)
    with pytest.raises(InvalidInput):
        services.commitment_update(mine, actor=pat, version=mine.version, side=Side.OURS)
    with pytest.raises(InvalidInput):
        services.commitment_create(
            actor=pat, partnership=world.northwind, side=Side.OURS, description="x", target="y"
        )
    response = as_pat.post(_url(world, f"{mine.pk}/review/"), {"kept": "1", "note": "Sam passed"})
    assert response.status_code == 302
    assert CommitmentReview.objects.get(commitment=mine).note == "Sam passed"
    page = as_pat.get(_url(world)).content.decode()
    assert "100%" in page


def test_internal_commitments_never_reach_the_partner(world: World, as_pat) -> None:
    secret = _commitment(world, description="Hold back leads until Q2", visibility="internal")
    services.commitment_review(secret, actor=world.actor(world.maria), kept=False)
    page = as_pat.get(_url(world)).content.decode()
    assert "Hold back leads" not in page
    # The trust record the partner sees counts only what they can see.
    assert "Nothing reviewed yet" in page
    assert as_pat.get(_url(world, f"{secret.pk}/edit/")).status_code == 404
    assert as_pat.post(_url(world, f"{secret.pk}/review/"), {"kept": "1"}).status_code == 404
    maria_page = client_for(world.maria).get(_url(world)).content.decode()
    assert "Hold back leads" in maria_page and "Internal" in maria_page
    # Olga (another workspace) and Lee (another partnership) see nothing at all.
    assert client_for(world.olga).get(_url(world)).status_code == 404
    assert client_for(world.lee).get(_url(world)).status_code == 404


def test_reviews_make_the_trust_record_per_side(world: World, as_maria) -> None:
    maria = world.actor(world.maria)
    leads = _commitment(world, kind="leads", period="monthly", description="Leads")
    seller = _commitment(world, side=Side.PARTNER, kind="resources", description="Seller")
    today = local_today(world.northwind)
    last_month = today.replace(day=1) - timedelta(days=1)
    services.commitment_review(leads, actor=maria, kept=True, on=last_month)
    services.commitment_review(leads, actor=maria, kept=False, note="Only 2 of 5")
    services.commitment_review(seller, actor=maria, kept=True)
    record = selectors.trust_record(maria, world.northwind)
    assert (record["ours"].kept, record["ours"].reviewed, record["ours"].percent) == (1, 2, 50)
    assert (record["partner"].kept, record["partner"].percent) == (1, 100)
    page = as_maria.get(_url(world)).content.decode()
    assert "1 of 2 reviewed periods kept" in page and "50%" in page
    # Marking the same period again replaces its verdict, and the change is in the log.
    services.commitment_review(leads, actor=maria, kept=True, note="Caught up", seen="missed")
    assert selectors.trust_record(maria, world.northwind)["ours"].percent == 100
    assert leads.reviews.count() == 2
    entry = ActivityEntry.objects.filter(verb="reviewed").first()
    assert entry.changes["verdict"] == ["missed", "kept"]
    history = as_maria.get(_url(world, f"{leads.pk}/edit/")).content.decode()
    assert "Caught up" in history and last_month.strftime("%b %Y") in history


def test_a_future_period_cannot_be_reviewed(world: World, as_maria) -> None:
    commitment = _commitment(world, period="monthly")
    later = (local_today(world.northwind) + timedelta(days=40)).isoformat()
    response = as_maria.post(_url(world, f"{commitment.pk}/review/"), {"kept": "0", "on": later})
    assert response.status_code == 400
    assert "not begun" in response.content.decode()
    response = as_maria.post(_url(world, f"{commitment.pk}/review/"), {"kept": "maybe"})
    assert response.status_code == 400
    assert not CommitmentReview.objects.exists()


def test_periods_start_where_they_should() -> None:
    day = date(2026, 11, 24)
    assert period_start("monthly", day) == date(2026, 11, 1)
    assert period_start("quarterly", day) == date(2026, 10, 1)
    assert period_start("quarterly", date(2026, 3, 31)) == date(2026, 1, 1)
    assert period_start("yearly", day) == date(2026, 1, 1)
    assert period_start("one_off", day, one_off=date(2026, 2, 2)) == date(2026, 2, 2)


def test_a_stale_edit_is_refused_and_shown(world: World, as_maria) -> None:
    commitment = _commitment(world)
    services.commitment_update(
        commitment, actor=world.actor(world.lena), version=1, target="3 joint webinars"
    )
    response = as_maria.post(
        _url(world, f"{commitment.pk}/edit/"),
        {
            "version": 1,
            "side": "ours",
            "kind": "marketing",
            "description": "Co-marketing",
            "target": "1 webinar",
            "period": "quarterly",
            "visibility": "shared",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Someone else saved a change" in page and "3 joint webinars" in page
    commitment.refresh_from_db()
    assert commitment.target == "3 joint webinars"
    with pytest.raises(Conflict):
        services.commitment_delete(commitment, actor=world.actor(world.maria), version=1)


def test_delete_asks_first(world: World, as_maria) -> None:
    commitment = _commitment(world)
    assert "Delete" in as_maria.get(_url(world, f"{commitment.pk}/delete/")).content.decode()
    assert Commitment.objects.filter(pk=commitment.pk).exists()
    response = as_maria.post(_url(world, f"{commitment.pk}/delete/"), {"version": 1})
    assert response.status_code == 302
    assert not Commitment.objects.filter(pk=commitment.pk).exists()


def test_archived_partnerships_take_no_changes(world: World) -> None:
    commitment = _commitment(world)
    world.northwind.archived_at = timezone.now()
    world.northwind.save()
    commitment.partnership.refresh_from_db()
    with pytest.raises(InvalidInput):
        services.commitment_review(commitment, actor=world.actor(world.maria), kept=True)


def test_the_page_costs_the_same_with_many_commitments(world: World) -> None:
    maria = world.actor(world.maria)
    as_maria = client_for(world.maria)

    def add(count: int) -> None:
        for number in range(count):
            commitment = _commitment(
                world,
                side=Side.OURS if number % 2 else Side.PARTNER,
                owner=world.maria if number % 2 else world.pat,
                period="monthly",
                description=f"Promise {number}",
                visibility="internal" if number % 5 == 0 and number % 2 else "shared",
            )
            services.commitment_review(commitment, actor=maria, kept=bool(number % 3))

    def cost(client) -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_url(world)).status_code == 200
        return len(queries)

    add(2)
    small, small_pat = cost(as_maria), cost(client_for(world.pat))
    add(30)
    assert cost(as_maria) == small
    assert cost(client_for(world.pat)) == small_pat


def test_the_trust_record_is_one_query(world: World, django_assert_num_queries) -> None:
    maria = world.actor(world.maria)
    for number in range(4):
        services.commitment_review(
            _commitment(world, description=f"P{number}"), actor=maria, kept=True
        )
    with django_assert_num_queries(1):
        selectors.trust_record(maria, world.northwind)


def test_commitments_through_the_api(world: World) -> None:
    pat = client_for(None)
    pat_headers = {"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"}
    maria_headers = {"Authorization": f"Bearer {token_create(user=world.maria, name='t')[1]}"}
    base = f"/api/partnerships/{world.northwind.pk}/commitments"
    created = pat.post(
        base,
        data={
            "side": "partner",
            "kind": "presentations",
            "description": "Present Acme to prospects",
            "target": "6 presentations",
            "target_number": 6,
            "owner_id": world.pat.pk,
        },
        content_type="application/json",
        headers=pat_headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["side"] == "partner" and body["target_number"] == 6 and body["version"] == 1
    ours = pat.post(
        base,
        data={"side": "ours", "description": "Leads", "target": "5"},
        content_type="application/json",
        headers=pat_headers,
    )
    assert ours.status_code == 400 and ours["Content-Type"].startswith("application/problem+json")
    internal = pat.post(
        base,
        data={"description": "Ours", "target": "5", "visibility": "internal"},
        content_type="application/json",
        headers=maria_headers,
    ).json()
    listed = pat.get(base, headers=pat_headers).json()
    assert [item["description"] for item in listed["items"]] == ["Present Acme to prospects"]
    assert pat.get(f"{base}/{internal['id']}", headers=pat_headers).status_code == 404
    one = f"{base}/{body['id']}"
    review = pat.post(
        f"{one}/reviews",
        data={"kept": False, "note": "Only 4"},
        content_type="application/json",
        headers=pat_headers,
    )
    assert review.status_code == 201 and review.json()["kept"] is False
    assert review.json()["period"].startswith("Q")
    reviews = pat.get(f"{one}/reviews", headers=pat_headers).json()
    assert reviews["count"] == 1 and reviews["items"][0]["note"] == "Only 4"
    trust = pat.get(f"{base}/trust", headers=maria_headers).json()
    assert trust["partner"] == {"kept": 0, "reviewed": 1, "percent": 0}
    assert trust["ours"]["reviewed"] == 0
    patched = pat.patch(
        one, data={"version": 1, "target": "8 presentations"},
        content_type="application/json", headers=pat_headers,
    )  # fmt: skip
    assert patched.status_code == 200 and patched.json()["version"] == 2
    stale = pat.patch(
        one, data={"version": 1, "target": "2"},
        content_type="application/json", headers=maria_headers,
    )  # fmt: skip
    assert stale.status_code == 409
    emptied = pat.patch(
        one, data={"version": 2, "target": None},
        content_type="application/json", headers=maria_headers,
    )  # fmt: skip
    assert emptied.status_code == 400
    assert pat.delete(f"{one}?version=1", headers=pat_headers).status_code == 409
    assert pat.delete(f"{one}?version=2", headers=pat_headers).status_code == 204
    assert not CommitmentReview.objects.exists()


def test_the_partner_cannot_touch_our_commitments_by_api(world: World) -> None:
    headers = {"Authorization": f"Bearer {token_create(user=world.pat, name='t')[1]}"}
    ours = _commitment(world)
    api = client_for(None)
    one = f"/api/partnerships/{world.northwind.pk}/commitments/{ours.pk}"
    assert api.get(one, headers=headers).status_code == 200  # shared: Pat sees it
    for response in (
        api.patch(one, data={"version": 1, "target": "0"}, content_type="application/json",
                  headers=headers),
        api.post(f"{one}/reviews", data={"kept": True}, content_type="application/json",
                 headers=headers),
        api.delete(f"{one}?version=1", headers=headers),
    ):  # fmt: skip
        assert response.status_code == 403
    with pytest.raises(PermissionDenied):
        services.commitment_review(ours, actor=world.actor(world.pat), kept=True)


def test_the_activity_of_internal_promises_stays_ours(world: World, as_pat) -> None:
    maria = world.actor(world.maria)
    secret = _commitment(world, description="Hold back leads until Q2", visibility="internal")
    services.commitment_review(secret, actor=maria, kept=False, note="Held back")
    shared = _commitment(world, side=Side.PARTNER, description="Seller on the team")
    services.commitment_review(shared, actor=maria, kept=True)
    url = f"/partnerships/{world.northwind.pk}/activity/"
    pat_page = as_pat.get(url).content.decode()
    assert "Seller on the team" in pat_page
    assert "Hold back leads" not in pat_page and "Held back" not in pat_page
    assert "Hold back leads" in client_for(world.maria).get(url).content.decode()


def test_a_verdict_given_meanwhile_is_not_overwritten_from_a_stale_page(
    world: World, as_pat
) -> None:
    mine = _commitment(world, side=Side.PARTNER, owner=world.pat)
    services.commitment_review(mine, actor=world.actor(world.maria), kept=False)
    # Pat's page still showed the period unreviewed.
    response = as_pat.post(_url(world, f"{mine.pk}/review/"), {"kept": "1", "seen": "none"})
    assert response.status_code == 400
    assert mine.reviews.get().kept is False
    response = as_pat.post(_url(world, f"{mine.pk}/review/"), {"kept": "1", "seen": "missed"})
    assert response.status_code == 302
    assert mine.reviews.get().kept is True


def test_the_api_refuses_a_verdict_over_one_it_did_not_read(world: World) -> None:
    mine = _commitment(world, side=Side.PARTNER, owner=world.pat)
    services.commitment_review(mine, actor=world.actor(world.maria), kept=False)
    secret = token_create(user=world.pat, name="t")[1]
    url = f"/api/partnerships/{world.northwind.pk}/commitments/{mine.pk}/reviews"
    headers = {"Authorization": f"Bearer {secret}"}
    api = client_for(None)
    stale = api.post(
        url, data={"kept": True, "seen": "none"}, content_type="application/json", headers=headers
    )
    assert stale.status_code == 400 and mine.reviews.get().kept is False
    fresh = api.post(
        url, data={"kept": True, "seen": "missed"}, content_type="application/json", headers=headers
    )
    assert fresh.status_code == 201 and mine.reviews.get().kept is True


def test_an_api_caller_that_read_nothing_cannot_replace_a_verdict(world: World) -> None:
    mine = _commitment(world, side=Side.PARTNER, owner=world.pat)
    secret = token_create(user=world.pat, name="t")[1]
    url = f"/api/partnerships/{world.northwind.pk}/commitments/{mine.pk}/reviews"
    headers = {"Authorization": f"Bearer {secret}"}
    api = client_for(None)

    def mark(**data: object) -> object:
        return api.post(url, data=data, content_type="application/json", headers=headers)

    assert mark(kept=False).status_code == 201  # an unreviewed period: nothing to overwrite
    assert mark(kept=False, note="Sent again").status_code == 201  # the same verdict again
    blind = mark(kept=True)
    assert blind.status_code == 400
    assert "already marked missed" in str(blind.json())
    assert mine.reviews.get().kept is False
    assert mark(kept=True, seen="missed").status_code == 201
    assert mine.reviews.get().kept is True


def test_the_history_page_does_not_overwrite_a_verdict_given_after_it_was_opened(
    world: World, as_maria
) -> None:
    leads = _commitment(world, kind="leads", period="monthly", description="Leads")
    last_month = local_today(world.northwind).replace(day=1) - timedelta(days=1)
    services.commitment_review(leads, actor=world.actor(world.maria), kept=True, on=last_month)
    page = as_maria.get(_url(world, f"{leads.pk}/edit/")).content.decode()
    seen_at = page.split('name="seen_at" value="', 1)[1].split('"', 1)[0]
    form = {"kept": "1", "on": last_month.isoformat(), "seen_at": seen_at, "next": "edit"}

    # While her page is open, the period is marked missed (from another page of hers).
    services.commitment_review(
        leads, actor=world.actor(world.maria), kept=False, on=last_month, seen="kept"
    )
    refused = as_maria.post(_url(world, f"{leads.pk}/review/"), form)
    assert refused.status_code == 400
    assert leads.reviews.get().kept is False
    # Having reloaded and seen it, she can replace it on purpose.
    page = as_maria.get(_url(world, f"{leads.pk}/edit/")).content.decode()
    form["seen_at"] = page.split('name="seen_at" value="', 1)[1].split('"', 1)[0]
    assert as_maria.post(_url(world, f"{leads.pk}/review/"), form).status_code == 302
    assert leads.reviews.get().kept is True


def test_a_verdict_given_by_mistake_is_cleared_from_the_history(world: World, as_pat) -> None:
    mine = _commitment(world, side=Side.PARTNER, owner=world.pat, description="Certify 3 sellers")
    review = services.commitment_review(mine, actor=world.actor(world.pat), kept=False)
    history = as_pat.get(_url(world, f"{mine.pk}/edit/")).content.decode()
    clear = f"{mine.pk}/reviews/{review.pk}/clear/"
    assert _url(world, clear) in history and "data-confirm=" in history

    # A stale page (it showed "kept") clears nothing.
    refused = as_pat.post(_url(world, clear), {"seen": "kept"}, follow=True).content.decode()
    assert "someone changed it meanwhile" in refused and mine.reviews.count() == 1
    done = as_pat.post(_url(world, clear), {"seen": "missed"}, follow=True).content.decode()
    assert "is cleared: the period is unreviewed" in done
    assert not mine.reviews.exists()
    assert "Not reviewed yet" in done
    entry = ActivityEntry.objects.filter(verb="cleared a review of").get()
    assert entry.changes["verdict"] == ["missed", ""]
    # Pat cannot clear what Acme promised, even knowing the id.
    ours = _commitment(world, description="Leads")
    theirs = services.commitment_review(ours, actor=world.actor(world.maria), kept=True)
    forbidden = as_pat.post(_url(world, f"{ours.pk}/reviews/{theirs.pk}/clear/"), {"seen": "kept"})
    assert forbidden.status_code == 403 and ours.reviews.exists()


def test_the_api_clears_a_verdict_it_names(world: World) -> None:
    mine = _commitment(world, side=Side.PARTNER, owner=world.pat)
    review = services.commitment_review(mine, actor=world.actor(world.maria), kept=True)
    secret = token_create(user=world.pat, name="t")[1]
    url = f"/api/partnerships/{world.northwind.pk}/commitments/{mine.pk}/reviews/{review.pk}"
    api, headers = client_for(None), {"Authorization": f"Bearer {secret}"}
    assert api.delete(url, headers=headers).status_code == 422  # which verdict? say it
    assert api.delete(url + "?seen=missed", headers=headers).status_code == 400
    assert api.delete(url + "?seen=kept", headers=headers).status_code == 204
    assert not mine.reviews.exists()
    assert api.delete(url + "?seen=kept", headers=headers).status_code == 404
