"""Sign-up, sign-in, throttling, password reset, two-factor, members and invitations."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.test import Client

from tandem.accounts import services
from tandem.accounts.actors import actor_for
from tandem.accounts.models import Invitation, Membership, PartnerAccess, User
from tandem.core.access import Role
from tandem.core.errors import InvalidInput
from tests.conftest import PASSWORD, World


def sign_up(email: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(
        "/accounts/signup/",
        {
            "email": email,
            "name": "Dana Founder",
            "workspace": "Contoso Partners",
            "password1": "a-long-unusual-passphrase",
            "password2": "a-long-unusual-passphrase",
        },
    )
    return client, response


def test_sign_up_creates_a_workspace_owned_by_the_new_user_once_the_address_is_confirmed(
    db,
) -> None:
    client, response = sign_up("founder@contoso.example")
    assert response.status_code == 302
    user = User.objects.get(email="founder@contoso.example")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.OWNER and membership.workspace.name == "Contoso Partners"
    assert user.password.startswith(("argon2", "md5"))  # argon2 outside the test settings
    assert client.get("/partnerships/").status_code == 302  # not signed in yet
    (confirmation,) = mail.outbox
    assert confirmation.to == ["founder@contoso.example"]
    link = re.search(r"http://\S+/accounts/confirm-email/\S+", confirmation.body).group(0)
    client.post(urlsplit(link).path)
    assert client.get("/partnerships/").status_code == 200


def test_sign_up_with_an_address_that_has_an_account_looks_the_same(world: World) -> None:
    """Sign-up must not tell a stranger whether maria@acme.example has an account; Maria is
    told by e-mail that someone tried."""
    _new_client, new = sign_up("founder@contoso.example")
    _taken_client, taken = sign_up("maria@acme.example")
    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
    new_page = _new_client.get(new["Location"])
    taken_page = _taken_client.get(taken["Location"])
    assert new_page.status_code == taken_page.status_code == 200
    # The page names the address it was sent to, as a page for a new one would.
    assert new_page.content.decode().replace("founder@contoso.example", "ADDRESS") == (
        taken_page.content.decode().replace("maria@acme.example", "ADDRESS")
    )
    assert "already" not in taken_page.content.decode()
    # Maria keeps one account and her workspaces; no Contoso Partners appears for her.
    assert User.objects.filter(email="maria@acme.example").count() == 1
    assert not Membership.objects.filter(user=world.maria, workspace__name="Contoso Partners")
    (to_maria,) = [m for m in mail.outbox if m.to == ["maria@acme.example"]]
    assert "already exists" in to_maria.body
    assert "/accounts/password/reset/" in to_maria.body
    (to_newcomer,) = [m for m in mail.outbox if m.to == ["founder@contoso.example"]]
    assert "/accounts/confirm-email/" in to_newcomer.body


def test_sign_up_errors_are_shown_and_nothing_is_created(db) -> None:
    response = Client().post(
        "/accounts/signup/",
        {"email": "not-an-email", "name": "", "workspace": "", "password1": "1", "password2": "2"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter a valid email address." in page
    assert "This field is required." in page
    assert not User.objects.exists()


def test_login_by_email_and_password(world: World) -> None:
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "maria@acme.example", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 302  # home sends members to the portfolio
    assert client.get("/partnerships/").status_code == 200


def test_password_reset_by_email(world: World) -> None:
    from tandem.accounts.services import token_create

    _token, secret = token_create(user=world.maria, name="made before the reset")
    client = Client()
    client.post("/accounts/password/reset/", {"email": "maria@acme.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[0].body).group(0)
    form = client.get(link, follow=True)
    response = client.post(
        form.redirect_chain[-1][0],
        {"password1": "another-long-passphrase", "password2": "another-long-passphrase"},
    )
    assert response.status_code == 302
    assert Client().login(email="maria@acme.example", password="another-long-passphrase")
    # Tokens made before the reset stop working: the reset is how an account is recovered.
    assert Client(headers={"Authorization": f"Bearer {secret}"}).get("/api/me").status_code == 401


def test_password_change(world: World, as_maria) -> None:
    response = as_maria.post(
        "/accounts/password/change/",
        {
            "oldpassword": PASSWORD,
            "password1": "brand-new-passphrase-1",
            "password2": "brand-new-passphrase-1",
        },
    )
    assert response.status_code == 302
    world.maria.refresh_from_db()
    assert world.maria.check_password("brand-new-passphrase-1")


def totp(secret: str, at: float | None = None) -> str:
    """RFC 6238, written here so the test does not trust the code under test."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def test_two_factor_with_an_authenticator_app(world: World) -> None:
    client = Client()
    client.post("/accounts/login/", {"login": "maria@acme.example", "password": PASSWORD})
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    page = client.get("/accounts/2fa/totp/activate/")
    secret = page.context["form"].secret
    activated = client.post("/accounts/2fa/totp/activate/", {"code": totp(secret)})
    assert activated.status_code == 302
    client.post("/accounts/logout/")
    # Signing in now asks for the code after the password.
    step = client.post("/accounts/login/", {"login": "maria@acme.example", "password": PASSWORD})
    assert step["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/partnerships/").status_code == 302
    wrong = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert wrong.status_code == 200
    assert client.post("/accounts/2fa/authenticate/", {"code": totp(secret)}).status_code == 302
    assert client.get("/partnerships/").status_code == 200


def test_logout(world: World, as_maria) -> None:
    assert as_maria.post("/accounts/logout/").status_code == 302
    assert as_maria.get("/partnerships/").status_code == 302


def _link(message) -> str:
    return re.search(r"http://\S+/invitations/(\S+)/", message.body).group(1)


# Invitations are mailed after their transaction commits: these tests really commit.
committing = pytest.mark.django_db(transaction=True)


@committing
def test_lena_invites_a_colleague_who_joins(world: World, as_lena) -> None:
    response = as_lena.post(
        "/workspace/members/invite/", {"email": "Ned@Acme.example", "role": "admin"}
    )
    assert response.status_code == 302
    message = mail.outbox[-1]
    assert message.to == ["ned@acme.example"]
    assert "Acme Analytics" in message.subject
    assert message.alternatives and "Accept the invitation" in message.alternatives[0][0]
    client = Client()
    token = _link(message)
    page = client.get(f"/invitations/{token}/")
    assert "Join Acme Analytics" in page.content.decode()
    response = client.post(
        f"/invitations/{token}/", {"name": "Ned New", "password": "ned-is-new-here-2026"}
    )
    assert response.status_code == 302
    ned = User.objects.get(email="ned@acme.example")
    assert Membership.objects.get(user=ned).role == Role.ADMIN
    # The link works once.
    assert Client().get(f"/invitations/{token}/").status_code == 404


def test_only_admins_invite_and_maria_gets_403(world: World, as_maria) -> None:
    response = as_maria.post("/workspace/members/invite/", {"email": "x@acme.example"})
    assert response.status_code == 403
    assert not mail.outbox


def test_invite_with_bad_email_shows_a_message(world: World, as_lena) -> None:
    response = as_lena.post("/workspace/members/invite/", {"email": "nope", "role": "member"})
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


@committing
def test_partner_invitation_gives_access_to_one_partnership(world: World, as_maria) -> None:
    as_maria.post(f"/partnerships/{world.globex.pk}/invite/", {"email": "kim@globex.example"})
    message = mail.outbox[-1]
    assert "Globex" in message.subject
    client = Client()
    token = _link(message)
    response = client.post(
        f"/invitations/{token}/", {"name": "Kim Globex", "password": "kim-at-globex-2026"}
    )
    assert response["Location"] == f"/partnerships/{world.globex.pk}/"
    kim = User.objects.get(email="kim@globex.example")
    assert PartnerAccess.objects.filter(user=kim, partnership=world.globex).exists()
    assert not Membership.objects.filter(user=kim).exists()
    assert client.get(f"/partnerships/{world.globex.pk}/").status_code == 200
    assert client.get(f"/partnerships/{world.northwind.pk}/").status_code == 404
    assert client.get("/partnerships/").status_code == 403


@committing
def test_an_existing_user_signs_in_to_accept(world: World) -> None:
    services.partner_invite(
        actor=actor_for(world.maria), partnership=world.globex, email="pat@northwind.example"
    )
    token = _link(mail.outbox[-1])
    page = Client().get(f"/invitations/{token}/")
    assert "Sign in to accept" in page.content.decode()
    pat = Client()
    pat.force_login(world.pat, backend="django.contrib.auth.backends.ModelBackend")
    assert pat.post(f"/invitations/{token}/").status_code == 302
    assert pat.get(f"/partnerships/{world.globex.pk}/").status_code == 200


@committing
def test_an_invitation_for_someone_else_is_not_accepted(world: World, as_olga) -> None:
    services.partner_invite(
        actor=actor_for(world.maria), partnership=world.globex, email="kim@globex.example"
    )
    token = _link(mail.outbox[-1])
    response = as_olga.post(f"/invitations/{token}/")
    assert "This invitation is for kim@globex.example" in response.content.decode()
    assert not PartnerAccess.objects.filter(user=world.olga).exists()


@committing
def test_withdrawn_invitation_link_stops_working(world: World, as_lena) -> None:
    as_lena.post("/workspace/members/invite/", {"email": "ned@acme.example", "role": "member"})
    token = _link(mail.outbox[-1])
    invitation = Invitation.objects.get(email="ned@acme.example")
    as_lena.post(f"/workspace/invitations/{invitation.pk}/revoke/")
    assert Client().get(f"/invitations/{token}/").status_code == 404


def test_removing_a_member_removes_access(world: World, as_lena) -> None:
    response = as_lena.post(f"/workspace/members/{world.maria_membership.pk}/remove/")
    assert response.status_code == 302
    world.northwind.refresh_from_db()
    assert world.northwind.owner is None
    maria = Client()
    maria.force_login(world.maria, backend="django.contrib.auth.backends.ModelBackend")
    assert maria.get(f"/partnerships/{world.northwind.pk}/").status_code == 404


def test_the_last_owner_cannot_leave_or_be_demoted(world: World) -> None:
    lena = actor_for(world.lena)
    owner = Membership.objects.get(user=world.lena)
    with pytest.raises(InvalidInput, match="at least one owner"):
        services.member_set_role(actor=lena, membership=owner, role=Role.MEMBER)
    with pytest.raises(InvalidInput, match="at least one owner"):
        services.member_remove(actor=lena, membership=owner)
    assert Membership.objects.get(user=world.lena).role == Role.OWNER


def test_role_change_from_the_members_page(world: World, as_lena) -> None:
    as_lena.post(f"/workspace/members/{world.maria_membership.pk}/role/", {"role": "admin"})
    assert Membership.objects.get(pk=world.maria_membership.pk).role == Role.ADMIN
    page = as_lena.get("/workspace/members/").content.decode()
    assert "maria@acme.example" in page


def test_admin_cannot_make_owners(world: World) -> None:
    Membership.objects.filter(pk=world.maria_membership.pk).update(role=Role.ADMIN)
    maria = actor_for(User.objects.get(pk=world.maria.pk))
    with pytest.raises(InvalidInput, match="Only an owner"):
        services.member_invite(
            actor=maria, workspace=world.acme, email="boss@acme.example", role=Role.OWNER
        )
