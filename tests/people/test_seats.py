"""Seats of both sides of a partnership, and the staffing warnings (seed 001)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import Level, Membership
from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.core.services import touch
from tandem.partners.models import Horizon, Partnership
from tandem.relationship.people import selectors, services
from tandem.relationship.people.models import Seat, Side
from tests.conftest import World, client_for


def _seat(world: World, **values: object) -> Seat:
    defaults: dict[str, object] = {
        "workspace": world.acme,
        "partnership": world.northwind,
        "side": Side.PARTNER,
        "role": "Partner champion",
    }
    return Seat.objects.create(**{**defaults, **values})


def test_members_add_a_seat_and_see_both_sides(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/people/"
    response = as_maria.post(
        f"{url}new/",
        {
            "side": "ours",
            "role": "Marketing lead",
            "accountability": "Joint campaigns",
            "user": world.lena.pk,
            "visibility": "internal",
        },
    )
    assert response.status_code == 302
    seat = Seat.objects.get(role="Marketing lead")
    assert (seat.side, seat.user, seat.visibility) == ("ours", world.lena, "internal")
    page = as_maria.get(url).content.decode()
    page = page[page.index('id="ours-head"') :]
    # Our side leads with the partnership's owner and sponsor, read from the partnership.
    assert (
        page.index("Day-to-day owner")
        < page.index("Executive sponsor")
        < page.index("Marketing lead")
    )
    assert "Maria Manager" in page and "Lena Lead" in page


def test_partner_side_sees_shared_seats_and_adds_only_partner_seats(world: World, as_pat) -> None:
    _seat(world, side=Side.OURS, role="Pricing hawk", visibility=Visibility.INTERNAL)
    _seat(world, side=Side.OURS, role="Sales lead", user=world.maria)
    url = f"/partnerships/{world.northwind.pk}/people/"
    page = as_pat.get(url).content.decode()
    assert "Sales lead" in page and "Pricing hawk" not in page
    # An attempt at our side is refused, with a message, and nothing is written.
    response = as_pat.post(f"{url}new/", {"side": "ours", "role": "Spy", "visibility": "internal"})
    assert response.status_code == 400
    assert "You add and edit the seats on your side" in response.content.decode()
    assert not Seat.objects.filter(role="Spy").exists()
    response = as_pat.post(
        f"{url}new/",
        {"side": "partner", "role": "Partner executive", "contact": world.shared_contact.pk},
    )
    assert response.status_code == 302
    seat = Seat.objects.get(role="Partner executive")
    assert (seat.visibility, seat.contact) == ("shared", world.shared_contact)
    # Pat cannot open our side's seat for editing.
    ours = Seat.objects.get(role="Sales lead")
    assert as_pat.get(f"{url}seats/{ours.pk}/edit/").status_code == 403


def test_a_seat_holds_the_right_kind_of_person(world: World) -> None:
    actor = world.actor(world.maria)
    with pytest.raises(InvalidInput) as error:
        services.seat_create(
            actor=actor, partnership=world.northwind, side="ours", role="X", user=world.pat
        )
    assert "member of your workspace" in str(error.value.errors)
    with pytest.raises(InvalidInput) as error:
        services.seat_create(
            actor=actor,
            partnership=world.northwind,
            side="partner",
            role="X",
            contact=world.internal_contact,
        )
    assert "internal" in str(error.value.errors)
    with pytest.raises(InvalidInput):
        services.seat_create(
            actor=actor, partnership=world.northwind, side="partner", role="X", user=world.lee
        )
    seat = services.seat_create(
        actor=actor, partnership=world.northwind, side="partner", role="Champion", user=world.pat
    )
    assert seat.position == 1
    second = services.seat_create(
        actor=actor, partnership=world.northwind, side="partner", role="Exec"
    )
    assert second.position == 2 and second.is_empty


def test_edit_with_a_stale_version_and_delete_with_confirmation(world: World, as_maria) -> None:
    seat = _seat(world, role="Partner champion")
    url = f"/partnerships/{world.northwind.pk}/people/seats/{seat.pk}/"
    response = as_maria.post(
        f"{url}edit/",
        {"version": 1, "side": "partner", "role": "Champion", "user": world.pat.pk,
         "visibility": "shared", "position": 5},
    )  # fmt: skip
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.role, seat.user, seat.version, seat.position) == ("Champion", world.pat, 2, 5)
    stale = as_maria.post(
        f"{url}edit/",
        {"version": 1, "side": "partner", "role": "Old", "visibility": "shared", "position": 1},
    )
    assert stale.status_code == 400
    assert "Someone else saved a change" in stale.content.decode()
    confirm = as_maria.get(f"{url}delete/")
    assert confirm.status_code == 200 and "Champion" in confirm.content.decode()
    assert Seat.objects.filter(pk=seat.pk).exists()
    assert as_maria.post(f"{url}delete/", {"version": 2}).status_code == 302
    assert not Seat.objects.filter(pk=seat.pk).exists()


def test_suggested_seats_are_offered_when_a_side_has_none(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/people/"
    page = as_maria.get(url).content.decode()
    assert "+ Partner champion" in page and "+ Marketing lead" in page
    _seat(world, role="Champion", user=world.pat)
    page = as_maria.get(url).content.decode()
    assert "+ Partner champion" not in page and "+ Marketing lead" in page


def _set(partnership: Partnership, **values: object) -> Partnership:
    Partnership.objects.filter(pk=partnership.pk).update(**values)
    return Partnership.objects.get(pk=partnership.pk)


def test_warnings(world: World, as_maria) -> None:
    northwind = _set(world.northwind, horizon=Horizon.STRATEGIC, owner=world.maria, sponsor=None)
    _seat(world, role="Partner executive")
    warnings = selectors.seat_warnings(northwind)
    assert any("Partner executive seat on the partner side is empty" in w for w in warnings)
    assert any("no executive sponsor" in w for w in warnings)
    northwind = _set(northwind, sponsor=world.maria)
    assert any("also the executive sponsor" in w for w in selectors.seat_warnings(northwind))
    northwind = _set(northwind, sponsor=world.lena)
    assert not any("sponsor" in w for w in selectors.seat_warnings(northwind))
    # Tactical, run day to day by a manager.
    northwind = _set(northwind, horizon=Horizon.TACTICAL)
    assert not any("tactical" in w for w in selectors.seat_warnings(northwind))
    Membership.objects.filter(user=world.maria).update(level=Level.MANAGER)
    assert any("is a manager" in w for w in selectors.seat_warnings(northwind))
    page = as_maria.get(f"/partnerships/{world.northwind.pk}/people/").content.decode()
    assert "is a manager" in page and "Partner executive seat" in page
    # The partner side sees the empty shared seat, not our staffing judgements.
    pat_page = client_for(world.pat).get(f"/partnerships/{world.northwind.pk}/people/")
    assert "Partner executive seat" in pat_page.content.decode()
    assert "is a manager" not in pat_page.content.decode()


def test_warning_queries_are_flat(world: World) -> None:
    northwind = _set(world.northwind, horizon=Horizon.TACTICAL)

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.seat_warnings(northwind)
        return len(queries)

    few = cost()
    for n in range(30):
        _seat(world, role=f"Seat {n}", user=world.pat if n % 2 else None)
    assert cost() == few <= 2


def test_seat_page_query_count_is_flat(world: World, as_maria) -> None:
    url = f"/partnerships/{world.northwind.pk}/people/"

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(url).status_code == 200
        return len(queries)

    _seat(world, role="One", contact=world.shared_contact)
    few = cost()
    for n in range(25):
        _seat(world, role=f"Seat {n}", user=world.pat, contact=None)
        _seat(world, side=Side.OURS, role=f"Ours {n}", user=world.lena)
    touch(world.acme.pk, world.northwind.pk)  # so the page is built again, not from the cache
    assert cost() == few


def test_seats_through_the_api(world: World) -> None:
    secret = token_create(user=world.pat, name="tools")[1]
    api = client_for(None)
    headers = {"Authorization": f"Bearer {secret}"}
    base = f"/api/partnerships/{world.northwind.pk}/seats"
    created = api.post(
        base,
        {"side": "partner", "role": "Partner champion", "user_id": world.pat.pk},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["visibility"], body["user"]["name"]) == ("shared", "Pat Northwind")
    refused = api.post(
        base, {"side": "ours", "role": "Nope"}, content_type="application/json", headers=headers
    )
    assert refused.status_code == 400
    listed = api.get(base, headers=headers).json()
    assert [seat["role"] for seat in listed["seats"]] == ["Partner champion"]
    assert listed["owner"]["name"] == "Maria Manager"
    patched = api.patch(
        f"{base}/{body['id']}",
        {"version": 1, "user_id": None, "accountability": "Moves their side along"},
        content_type="application/json",
        headers=headers,
    )
    assert patched.status_code == 200 and patched.json()["user"] is None
    assert any("empty" in w for w in api.get(base, headers=headers).json()["warnings"])
    stale = api.delete(f"{base}/{body['id']}?version=1", headers=headers)
    assert stale.status_code == 409
    assert api.delete(f"{base}/{body['id']}?version=2", headers=headers).status_code == 204
    # Our side's seats are ours to change.
    ours = _seat(world, side=Side.OURS, role="Sales lead", user=world.maria)
    response = api.patch(
        f"{base}/{ours.pk}",
        {"version": 1, "role": "Renamed by the partner"},
        content_type="application/json",
        headers=headers,
    )
    assert response.status_code == 403
    ours.refresh_from_db()
    assert ours.role == "Sales lead"


def test_member_level_on_the_members_page(world: World, as_lena, as_maria) -> None:
    membership = world.maria_membership
    response = as_lena.post(
        f"/workspace/members/{membership.pk}/level/", {"version": 1, "level": "executive"}
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.level, membership.version) == ("executive", 2)
    page = as_lena.get("/workspace/members/", follow=True).content.decode()
    assert "Executive" in page
    stale = as_lena.post(
        f"/workspace/members/{membership.pk}/level/", {"version": 1, "level": "manager"},
        follow=True,
    )  # fmt: skip
    assert "changed" in stale.content.decode()
    membership.refresh_from_db()
    assert membership.level == "executive"
    assert (
        as_maria.post(
            f"/workspace/members/{membership.pk}/level/", {"version": 2, "level": "ic"}
        ).status_code
        == 403
    )
    assert membership.capacity_hours == Decimal("10")


def test_a_member_who_leaves_leaves_their_seat_empty(world: World, as_lena) -> None:
    from tandem.accounts.services import member_remove, partner_access_remove

    ours = _seat(world, side=Side.OURS, role="Marketing lead", user=world.maria)
    theirs = _seat(world, role="Partner champion", user=world.pat)
    member_remove(actor=world.actor(world.lena), membership=world.maria_membership)
    partner_access_remove(
        actor=world.actor(world.lena), access=world.northwind.partner_accesses.get()
    )
    ours.refresh_from_db()
    theirs.refresh_from_db()
    assert ours.user is None and theirs.user is None
    page = as_lena.get(f"/partnerships/{world.northwind.pk}/people/").content.decode()
    assert "The Marketing lead seat is empty" in page
    assert "The Partner champion seat on the partner side is empty" in page


def test_a_contact_made_internal_leaves_the_partners_view_of_its_seat(world: World, as_pat) -> None:
    from tandem.partners.models import Contact
    from tandem.partners.services import item_update

    maria = world.actor(world.maria)
    services.seat_create(
        actor=maria,
        partnership=world.northwind,
        side=Side.PARTNER,
        role="Partner champion",
        contact=world.shared_contact,
    )
    contact = Contact.objects.get(pk=world.shared_contact.pk)
    item_update(
        contact,
        actor=maria,
        version=contact.version,
        name="Secret Sally",
        visibility=Visibility.INTERNAL,
    )
    url = f"/partnerships/{world.northwind.pk}/people/"
    assert "Secret Sally" not in as_pat.get(url).content.decode()
    assert "Secret Sally" in client_for(world.maria).get(url).content.decode()
    secret = token_create(user=world.pat, name="t")[1]
    listed = client_for(None).get(
        f"/api/partnerships/{world.northwind.pk}/seats",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert listed.status_code == 200 and "Secret Sally" not in listed.content.decode()
