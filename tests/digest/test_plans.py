"""A plan to sign in the digest, signed from its link: the page shows the plan (shared
items only) and asks for the tick; the signature is the person's, once."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from tandem.accounts.actors import actor_for
from tandem.accounts.models import digest
from tandem.evaluation.digest.models import ActionLink
from tandem.plans.models import PlanReminder, PlanSignature
from tandem.plans.notify import after_quarterly_meeting
from tandem.plans.selectors import plan_state
from tandem.traction.models import Rock
from tests.conftest import World
from tests.digest.helpers import choose, digests_to, run_at, secrets_in

Q = (2026, 4)


def _plan_link(world: World) -> str:
    after_quarterly_meeting(world.northwind, *Q, actor=actor_for(world.lena))
    choose(world.pat, "UTC")
    run_at("2026-12-07T08:00:00")
    [message] = digests_to(world.pat)
    assert "The Q4 2026 plan" in message.body and "Review and sign" in message.body
    reminder = PlanReminder.objects.get()
    for secret in secrets_in(message.body):
        link = ActionLink.objects.get(token_digest=digest(secret))
        if link.target_model == "plans.planreminder":
            assert link.target_id == reminder.pk
            return secret
    raise AssertionError("No link to sign the plan")


def test_pat_signs_the_plan_from_his_digest(world: World) -> None:
    secret = _plan_link(world)
    url = reverse("digest_action", args=[secret])
    page = Client().get(url)
    assert page.status_code == 200
    assert "Sign the Q4 2026 plan of Northwind" in page.text
    assert "Launch the joint offer" in page.text  # the shared rock
    assert "Decide on exclusivity" not in page.text  # internal: never in a plan
    assert "on behalf of Northwind" in page.text

    state = plan_state(None, world.northwind, *Q)
    unticked = Client().post(url, {"content_hash": state.content_hash})
    assert unticked.status_code == 400 and "Tick the sentence" in unticked.text
    assert not PlanSignature.objects.exists()

    signed = Client().post(url, {"content_hash": state.content_hash, "agree": "yes"})
    assert signed.status_code == 200 and "Plan signed" in signed.text
    signature = PlanSignature.objects.get()
    assert (signature.user_id, signature.side) == (world.pat.pk, "partner")
    again = Client().post(url, {"content_hash": state.content_hash, "agree": "yes"})
    assert again.status_code == 410


def test_a_plan_changed_while_reading_is_shown_again_not_signed(world: World) -> None:
    secret = _plan_link(world)
    url = reverse("digest_action", args=[secret])
    read = plan_state(None, world.northwind, *Q).content_hash
    Rock.objects.filter(pk=world.shared_rock.pk).update(title="Launch two joint offers")
    page = Client().post(url, {"content_hash": read, "agree": "yes"})
    assert page.status_code == 400
    assert "This changed while you were reading" in page.text
    assert "Launch two joint offers" in page.text
    assert not PlanSignature.objects.exists()
    assert ActionLink.objects.get(token_digest=digest(secret)).used_at is None


def test_a_side_that_signed_meanwhile_is_told_so(world: World) -> None:
    from tandem.plans import services

    secret = _plan_link(world)
    services.sign(
        actor=actor_for(world.pat),
        partnership=world.northwind,
        year=Q[0],
        quarter=Q[1],
        content_hash=plan_state(None, world.northwind, *Q).content_hash,
    )
    page = Client().get(reverse("digest_action", args=[secret]))
    assert page.status_code == 410 and "Your side has signed this plan" in page.text


def test_nobody_outside_the_sides_to_sign_is_offered_the_plan(world: World) -> None:
    after_quarterly_meeting(world.northwind, *Q, actor=actor_for(world.lena))
    choose(world.lee, "UTC")
    Rock.objects.create(
        workspace=world.acme, partnership=world.globex, title="Globex rock", owner=world.lee,
        year=2026, quarter=4, due_on=world.shared_rock.due_on,
    )  # fmt: skip
    run_at("2026-12-07T08:00:00")
    [message] = digests_to(world.lee)
    assert "Plans to sign" not in message.body and "Q4 2026 plan" not in message.body
