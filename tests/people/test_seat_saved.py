"""Saving a seat on its edit page says which seat, and goes back to it in the list."""

from __future__ import annotations

from django.contrib.messages import get_messages

from tandem.relationship.people.models import Seat, Side
from tests.conftest import World


def test_a_seat_saved_says_its_role(world: World, as_maria) -> None:
    seat = Seat.objects.create(
        workspace=world.acme, partnership=world.northwind, side=Side.PARTNER, role="Champion"
    )
    url = f"/partnerships/{world.northwind.pk}/people/seats/{seat.pk}/edit/"
    saved = as_maria.post(
        url,
        {"version": 1, "side": "partner", "role": "Sponsor", "visibility": "shared", "position": 1},
    )
    assert saved["Location"] == f"/partnerships/{world.northwind.pk}/people/#seat-{seat.pk}"
    assert [str(m) for m in get_messages(saved.wsgi_request)] == ["Seat saved: Sponsor."]
