"""Over the API as on the pages: removing a partner-side person's access, withdrawing an
invitation (into a partnership or into the workspace)."""

from __future__ import annotations

from django.test import Client

from tandem.accounts.models import Invitation, PartnerAccess
from tandem.accounts.services import invitation_by_token, token_create
from tandem.core.models import ActivityEntry
from tests.conftest import World


def api_as(user: object) -> Client:
    secret = token_create(user=user, name="tools")[1]  # type: ignore[arg-type]
    return Client(headers={"Authorization": f"Bearer {secret}"})


def _pats_access(world: World) -> PartnerAccess:
    return world.northwind.partner_accesses.get(user=world.pat)


def test_maria_lists_and_removes_pats_access(world: World) -> None:
    maria, pat = api_as(world.maria), api_as(world.pat)
    people = f"/api/partnerships/{world.northwind.pk}/people"
    listed = maria.get(people).json()
    assert [p["user"]["email"] for p in listed["people"]] == ["pat@northwind.example"]
    access = _pats_access(world)
    assert pat.get(f"/api/partnerships/{world.northwind.pk}").status_code == 200

    assert maria.delete(f"{people}/{access.pk}").status_code == 204

    assert not PartnerAccess.objects.filter(pk=access.pk).exists()
    assert pat.get(f"/api/partnerships/{world.northwind.pk}").status_code == 404
    assert maria.get(people).json()["people"] == []
    entry = ActivityEntry.objects.filter(verb="removed partner-side access to").get()
    assert entry.actor == world.maria
    # Gone: a second removal finds nothing.
    response = maria.delete(f"{people}/{access.pk}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")


def test_pat_cannot_remove_anyones_access(world: World) -> None:
    access = _pats_access(world)
    response = api_as(world.pat).delete(
        f"/api/partnerships/{world.northwind.pk}/people/{access.pk}"
    )
    assert response.status_code == 403
    assert response.json()["title"] == "Not allowed"
    assert PartnerAccess.objects.filter(pk=access.pk).exists()
    assert (
        api_as(world.pat).get(f"/api/partnerships/{world.northwind.pk}/people").status_code == 403
    )


def test_others_are_told_it_is_not_there(world: World) -> None:
    access = _pats_access(world)
    lees = world.globex.partner_accesses.get()
    for user in (world.lee, world.olga):
        response = api_as(user).delete(f"/api/partnerships/{world.northwind.pk}/people/{access.pk}")
        assert response.status_code == 404
    # An access of another partnership, named under Northwind: not there either.
    response = api_as(world.maria).delete(
        f"/api/partnerships/{world.northwind.pk}/people/{lees.pk}"
    )
    assert response.status_code == 404
    assert PartnerAccess.objects.count() == 2


def test_maria_withdraws_an_invitation_into_northwind(world: World) -> None:
    maria = api_as(world.maria)
    invitations = f"/api/partnerships/{world.northwind.pk}/invitations"
    people = f"/api/partnerships/{world.northwind.pk}/people"
    listed = maria.get(people).json()["pending_invitations"]
    assert [(i["email"], i["status"]) for i in listed] == [("sam@northwind.example", "pending")]
    invitation = world.partner_invitation

    assert maria.delete(f"{invitations}/{invitation.pk}").status_code == 204

    invitation.refresh_from_db()
    assert invitation.status == "revoked"
    assert maria.get(people).json()["pending_invitations"] == []
    # Withdrawn already: refused, saying why, in the one problem shape.
    again = maria.delete(f"{invitations}/{invitation.pk}")
    assert again.status_code == 400
    assert again["Content-Type"].startswith("application/problem+json")
    assert again.json()["detail"] == (
        "The invitation for sam@northwind.example was already used or closed."
    )


def test_a_withdrawn_invitation_link_no_longer_works(world: World) -> None:
    token = Invitation.new_token()
    from tandem.accounts.models import digest

    Invitation.objects.filter(pk=world.partner_invitation.pk).update(token_digest=digest(token))
    assert invitation_by_token(token) is not None
    api_as(world.maria).delete(
        f"/api/partnerships/{world.northwind.pk}/invitations/{world.partner_invitation.pk}"
    )
    assert invitation_by_token(token) is None


def test_pat_and_others_cannot_withdraw_an_invitation(world: World) -> None:
    path = f"/api/partnerships/{world.northwind.pk}/invitations/{world.partner_invitation.pk}"
    assert api_as(world.pat).delete(path).status_code == 403
    assert api_as(world.lee).delete(path).status_code == 404
    # The workspace's own invitation is not one of Northwind's.
    other = f"/api/partnerships/{world.northwind.pk}/invitations/{world.member_invitation.pk}"
    assert api_as(world.maria).delete(other).status_code == 404
    world.partner_invitation.refresh_from_db()
    world.member_invitation.refresh_from_db()
    assert world.partner_invitation.is_pending and world.member_invitation.is_pending


def test_lena_withdraws_an_invitation_into_the_workspace(world: World) -> None:
    lena = api_as(world.lena)
    invitations = f"/api/workspaces/{world.acme.pk}/invitations"
    assert [i["email"] for i in lena.get(invitations).json()["items"]] == ["new@acme.example"]
    assert lena.delete(f"{invitations}/{world.member_invitation.pk}").status_code == 204
    world.member_invitation.refresh_from_db()
    assert world.member_invitation.status == "revoked"
    assert lena.get(invitations).json()["count"] == 0


def test_only_admins_withdraw_invitations_into_the_workspace(world: World) -> None:
    path = f"/api/workspaces/{world.acme.pk}/invitations/{world.member_invitation.pk}"
    maria = api_as(world.maria)
    assert maria.get(f"/api/workspaces/{world.acme.pk}/invitations").status_code == 200
    assert maria.delete(path).status_code == 403
    assert api_as(world.olga).delete(path).status_code == 404
    assert api_as(world.pat).delete(path).status_code == 404
    # A partnership's invitation is not one of the workspace's own.
    partner = f"/api/workspaces/{world.acme.pk}/invitations/{world.partner_invitation.pk}"
    assert api_as(world.lena).delete(partner).status_code == 404
    world.member_invitation.refresh_from_db()
    assert world.member_invitation.is_pending
