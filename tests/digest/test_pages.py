"""The digest page and API: each person chooses the day and hour (in their time zone) or
turns it off, on either side; the page shows what the digest would hold now."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import User
from tandem.evaluation.digest.models import DigestPreference
from tests.conftest import World, client_for


def test_the_defaults_are_on_monday_at_eight(world: World) -> None:
    page = client_for(world.pat).get(reverse("digest_preferences"))
    assert page.status_code == 200
    assert "Weekly digest" in page.text and "Next digest: Mon" in page.text
    assert "Send the joint deck" in page.text  # what it would hold now
    assert "Check their credit rating" not in page.text  # Maria's, internal


def test_pat_moves_his_digest_to_friday_morning_in_kolkata(world: World) -> None:
    pat = client_for(world.pat)
    answer = pat.post(
        reverse("digest_preferences"),
        {"enabled": "on", "weekday": "4", "hour": "7", "timezone": "Asia/Kolkata"},
    )
    assert answer.status_code == 302
    choice = DigestPreference.objects.get(user=world.pat)
    assert (choice.enabled, choice.weekday, choice.hour) == (True, 4, 7)
    assert User.objects.get(pk=world.pat.pk).timezone == "Asia/Kolkata"
    page = pat.get(reverse("digest_preferences"))
    assert "Your digest choices are saved." in page.text
    assert "Next digest: Fri" in page.text and "07:00 IST" in page.text


def test_turning_it_off(world: World) -> None:
    pat = client_for(world.pat)
    pat.post(reverse("digest_preferences"), {"weekday": "0", "hour": "8", "timezone": "UTC"})
    assert DigestPreference.objects.get(user=world.pat).enabled is False
    assert "The digest is off" in pat.get(reverse("digest_preferences")).text


@pytest.mark.parametrize(
    ("field", "value"), [("timezone", "Mars/Olympus"), ("hour", "24"), ("weekday", "7")]
)
def test_a_wrong_choice_is_shown_on_its_field(world: World, field: str, value: str) -> None:
    data = {"enabled": "on", "weekday": "0", "hour": "8", "timezone": "UTC", field: value}
    page = client_for(world.maria).post(reverse("digest_preferences"), data)
    assert page.status_code == 400 and "errorlist" in page.text
    assert not DigestPreference.objects.exists()


def test_the_api_reads_and_sets_the_choices(world: World) -> None:
    maria = client_for(world.maria)
    got = maria.get("/api/digest/preferences")
    assert got.status_code == 200
    assert got.json() == {"enabled": True, "day": "monday", "hour": 8, "timezone": "UTC"}
    put = maria.put(
        "/api/digest/preferences",
        {"enabled": True, "day": "wednesday", "hour": 17, "timezone": "Europe/Berlin"},
        content_type="application/json",
    )
    assert put.status_code == 200
    assert put.json() == {
        "enabled": True, "day": "wednesday", "hour": 17, "timezone": "Europe/Berlin",
    }  # fmt: skip
    kept = maria.put(
        "/api/digest/preferences",
        {"enabled": False, "day": "friday", "hour": 9},
        content_type="application/json",
    )
    assert kept.json()["timezone"] == "Europe/Berlin" and kept.json()["enabled"] is False


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"enabled": True, "day": "monday", "hour": 8, "timezone": "Mars/Olympus"}, 400),
        ({"enabled": True, "day": "someday", "hour": 8}, 422),
        ({"enabled": True, "day": "monday", "hour": 25}, 422),
    ],
)
def test_the_api_refuses_wrong_choices(world: World, body: dict, status: int) -> None:
    answer = client_for(world.pat).put(
        "/api/digest/preferences", body, content_type="application/json"
    )
    assert answer.status_code == status
    assert answer["Content-Type"].startswith("application/problem+json")


def test_signed_out_people_are_sent_to_sign_in(db: None) -> None:
    from django.test import Client

    assert Client().get(reverse("digest_preferences")).status_code == 302
    assert Client().get("/api/digest/preferences").status_code == 401


def test_a_refused_choice_is_a_400_and_changes_nothing(world: World) -> None:
    """An unknown time zone is refused with a 400 on its field; the account keeps its zone."""
    data = {"enabled": "on", "weekday": "0", "hour": "8", "timezone": "Europe/Nowhere"}
    page = client_for(world.pat).post(reverse("digest_preferences"), data)
    assert page.status_code == 400 and "errorlist" in page.text
    assert not DigestPreference.objects.exists()
    assert User.objects.get(pk=world.pat.pk).timezone == world.pat.timezone
