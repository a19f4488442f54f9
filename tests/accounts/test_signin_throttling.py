"""Wrong passwords pause sign-in per e-mail and address, growing, and per address across
e-mails; someone guessing elsewhere never locks Pat out (OWASP's authentication guidance)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.cache import caches
from django.db.models import Sum
from django.test import Client

from tests.conftest import PASSWORD, World

ATTACKER = "198.51.100.7"
PATS_OFFICE = "203.0.113.20"
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PAT = "pat@northwind.example"


@pytest.fixture(autouse=True)
def throttled(settings, time_machine) -> None:
    settings.AXES_ENABLED = True
    time_machine.move_to(START, tick=False)


def sign_in(address: str, email: str, password: str, client: Client | None = None):
    client = client or Client(REMOTE_ADDR=address)
    return client.post("/accounts/login/", {"login": email, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/"


def paused(response, minutes: int) -> bool:
    page = response.content.decode()
    return (
        response.status_code == 429
        and "Too many sign-in attempts" in page
        and f"Try again in {minutes}\xa0minute" in page  # "1 minute", "5 minutes"
    )


def test_someone_guessing_pats_password_elsewhere_does_not_lock_pat_out(world: World) -> None:
    for _ in range(12):
        sign_in(ATTACKER, PAT, "guess")
    assert sign_in(ATTACKER, PAT, PASSWORD).status_code == 429
    assert signed_in(sign_in(PATS_OFFICE, PAT, PASSWORD))


def test_five_wrong_passwords_pause_that_email_from_that_address_and_the_pause_grows(
    world: World, time_machine
) -> None:
    for _ in range(4):
        response = sign_in(ATTACKER, PAT, "guess")
        assert response.status_code == 200 and "not correct" in response.content.decode()
    assert paused(sign_in(ATTACKER, PAT, "guess"), 5)
    time_machine.shift(timedelta(minutes=4, seconds=59))
    assert sign_in(ATTACKER, PAT, PASSWORD).status_code == 429  # the right one waits too
    time_machine.shift(timedelta(seconds=1))
    # The first failure after a pause pauses again, twice as long.
    assert paused(sign_in(ATTACKER, PAT, "guess"), 10)
    time_machine.shift(timedelta(minutes=9, seconds=59))
    assert sign_in(ATTACKER, PAT, PASSWORD).status_code == 429
    time_machine.shift(timedelta(seconds=1))
    assert paused(sign_in(ATTACKER, PAT, "guess"), 20)
    time_machine.shift(timedelta(minutes=20))
    assert signed_in(sign_in(ATTACKER, PAT, PASSWORD))
    # Signing in clears the count: the next mistake is an ordinary one.
    assert sign_in(ATTACKER, PAT, "typo").status_code == 200


def test_failures_during_a_pause_do_not_make_it_longer(world: World, time_machine) -> None:
    for _ in range(5):
        sign_in(ATTACKER, PAT, "guess")
    for minutes_left in (4, 3, 2, 1):
        time_machine.shift(timedelta(minutes=1))
        assert paused(sign_in(ATTACKER, PAT, "guess"), minutes_left)
    time_machine.shift(timedelta(minutes=1))
    assert signed_in(sign_in(ATTACKER, PAT, PASSWORD))


def test_failures_are_forgotten_a_day_after_the_last(world: World, time_machine) -> None:
    for _ in range(4):
        sign_in(ATTACKER, PAT, "guess")
    time_machine.shift(timedelta(days=1, seconds=1))
    for _ in range(4):
        assert sign_in(ATTACKER, PAT, "guess").status_code == 200


def test_one_address_trying_many_accounts_is_paused(world: World) -> None:
    for n in range(29):
        response = sign_in(ATTACKER, f"person{n}@northwind.example", "Summer2026!")
        assert response.status_code == 200
    assert paused(sign_in(ATTACKER, "person29@northwind.example", "Summer2026!"), 15)
    # Every e-mail from that address waits, even with the right password ...
    assert sign_in(ATTACKER, PAT, PASSWORD).status_code == 429
    # ... but no other address does.
    assert signed_in(sign_in(PATS_OFFICE, PAT, PASSWORD))


def test_the_count_lives_in_the_database_for_every_process(world: World) -> None:
    for _ in range(4):
        sign_in(ATTACKER, PAT, "guess")
    # Another worker process has other memory: a new client, and no cache of this one.
    for cache in caches.all():
        cache.clear()
    stored = AccessAttempt.objects.filter(username=PAT, ip_address=ATTACKER)
    assert stored.aggregate(n=Sum("failures_since_start"))["n"] == 4
    assert paused(sign_in(ATTACKER, PAT, "guess", client=Client(REMOTE_ADDR=ATTACKER)), 5)


def test_a_paused_sign_in_always_answers_the_same(world: World) -> None:
    """Not "too many" from one process and a form error from another, by turns."""
    for _ in range(5):
        sign_in(ATTACKER, PAT, "guess")
    answers = {
        (response.status_code, response["Retry-After"], response.content.decode())
        for response in [sign_in(ATTACKER, PAT, p) for p in ["guess", PASSWORD] * 6]
    }
    assert len(answers) == 1
    status, retry_after, page = answers.pop()
    assert status == 429 and retry_after == "300"
    assert "Try again in 5\xa0minutes (at 09:05 UTC)" in page
    assert "Too many failed login attempts" not in page  # allauth's own, per process


def test_resetting_the_password_lifts_the_pause(world: World) -> None:
    for _ in range(5):
        sign_in(PATS_OFFICE, PAT, "forgot-it")
    client = Client(REMOTE_ADDR=PATS_OFFICE)
    client.post("/accounts/password/reset/", {"email": PAT})
    link = re.search(r"http://\S+/accounts/password/reset/key/\S+", mail.outbox[-1].body)
    form = client.get(urlsplit(link.group(0)).path, follow=True)
    client.post(
        form.redirect_chain[-1][0],
        {"password1": "a-new-long-passphrase", "password2": "a-new-long-passphrase"},
    )
    assert signed_in(sign_in(PATS_OFFICE, PAT, "a-new-long-passphrase"))
