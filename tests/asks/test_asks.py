"""Asks and requests both ways: who asked, who answers, how long it took, who is told."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import Conflict, InvalidInput
from tandem.relationship.asks import selectors, services
from tandem.relationship.asks.models import Ask, AskStatus, Side
from tests.conftest import World, client_for


@pytest.fixture
def sent(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the e-mails a change schedules for after its commit, as the worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _url(world: World, tail: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/asks/{tail}"


def _ask(world: World, user, **values) -> Ask:  # type: ignore[no-untyped-def]
    return services.ask_create(actor=world.actor(user), partnership=world.northwind, **values)


def test_pat_asks_maria_and_she_is_told_by_email(world: World, as_pat, sent) -> None:
    with sent():
        response = as_pat.post(
            _url(world, "new/"),
            {"title": "Intro to your retail lead", "details": "40 stores", "owner": world.maria.pk},
        )
    assert response.status_code == 302
    ask = Ask.objects.get(title="Intro to your retail lead")
    assert (ask.side, ask.visibility, ask.status) == (Side.PARTNER, "shared", AskStatus.OPEN)
    assert ask.created_by == world.pat
    [message] = mail.outbox
    assert message.to == [world.maria.email]
    assert "Intro to your retail lead" in message.subject
    assert f"/asks/{ask.pk}/" in message.body
    page = as_pat.get(_url(world)).content.decode()
    # Pat reads his own side as "we".
    assert "We ask Acme Analytics" in page and "Intro to your retail lead" in page


def test_the_owner_is_someone_on_the_other_side(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        _ask(world, world.maria, title="Ask myself", owner=world.lena)
    assert "partner" in refused.value.errors["owner"][0]
    with pytest.raises(InvalidInput):
        _ask(world, world.pat, title="Ask Lee at Globex", owner=world.lee)
    assert _ask(world, world.maria, title="Case study quotes", owner=world.pat).owner == world.pat


def test_pat_cannot_keep_an_ask_internal(world: World, as_pat) -> None:
    with pytest.raises(InvalidInput):
        _ask(world, world.pat, title="Hidden", visibility=Visibility.INTERNAL)
    page = as_pat.get(_url(world)).content.decode()
    assert 'name="visibility"' not in page


def test_pat_never_sees_internal_asks(world: World, as_pat) -> None:
    _ask(world, world.maria, title="Raise exclusivity in person", visibility=Visibility.INTERNAL)
    _ask(world, world.maria, title="Logo permission", owner=world.pat)
    page = as_pat.get(_url(world)).content.decode()
    assert "Logo permission" in page
    assert "Raise exclusivity" not in page
    health = selectors.ask_health(world.actor(world.pat), world.northwind)
    assert health.ours.open == 1
    assert selectors.ask_health(world.actor(world.maria), world.northwind).ours.open == 2


def test_maria_answers_and_pat_sees_the_answer_and_response_time(
    world: World, as_maria, sent
) -> None:
    ask = _ask(world, world.pat, title="Demo licences", owner=world.maria)
    Ask.objects.filter(pk=ask.pk).update(asked_at=timezone.now() - timedelta(hours=5))
    with sent():
        response = as_maria.post(
            _url(world, f"{ask.pk}/answer/"),
            {"version": ask.version, "answer": "Three licences are on their way."},
        )
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == AskStatus.ANSWERED and ask.answered_by == world.maria
    assert timedelta(hours=5) <= ask.response_time < timedelta(hours=5, minutes=1)
    [message] = mail.outbox
    assert message.to == [world.pat.email] and "answered" in message.subject
    assert "Three licences are on their way." in message.body
    page = client_for(world.pat).get(_url(world, f"{ask.pk}/")).content.decode()
    assert "Three licences are on their way." in page
    assert "5 h" in page


def test_answering_with_a_stale_version_is_refused(world: World, as_maria) -> None:
    ask = _ask(world, world.pat, title="Price list", owner=world.maria)
    seen = ask.version
    services.ask_answer(ask, actor=world.actor(world.lena), version=seen, answer="Lena's answer")
    response = as_maria.post(
        _url(world, f"{ask.pk}/answer/"), {"version": seen, "answer": "Maria's answer"}
    )
    assert response.status_code == 409
    assert "Lena&#x27;s answer" in response.content.decode()
    ask.refresh_from_db()
    assert ask.answer == "Lena's answer" and ask.answered_by == world.lena
    with pytest.raises(Conflict):
        services.ask_answer(ask, actor=world.actor(world.maria), version=seen, answer="Again")


def test_each_side_answers_the_other_and_withdraws_its_own(world: World) -> None:
    pat = world.actor(world.pat)
    theirs = _ask(world, world.pat, title="Booth at NRF", owner=world.maria)
    ours = _ask(world, world.maria, title="Forecast for December", owner=world.pat)
    with pytest.raises(InvalidInput):
        services.ask_answer(theirs, actor=pat, version=theirs.version, answer="Yes to myself")
    with pytest.raises(InvalidInput):
        services.ask_withdraw(ours, actor=pat, version=ours.version)
    services.ask_answer(ours, actor=pat, version=ours.version, answer="Six deals, $180k")
    services.ask_withdraw(theirs, actor=pat, version=theirs.version)
    assert (ours.status, theirs.status) == (AskStatus.ANSWERED, AskStatus.WITHDRAWN)
    with pytest.raises(InvalidInput):
        services.ask_answer(
            theirs, actor=world.actor(world.maria), version=theirs.version, answer="x"
        )


def test_declining_is_a_response(world: World, as_maria, sent) -> None:
    ask = _ask(world, world.pat, title="Co-branded booth", owner=world.maria)
    with sent():
        response = as_maria.post(
            _url(world, f"{ask.pk}/answer/"),
            {"version": ask.version, "answer": "Not this year.", "decline": "1"},
        )
    assert response.status_code == 302
    ask.refresh_from_db()
    assert ask.status == AskStatus.DECLINED and ask.response_time is not None
    assert "declined" in mail.outbox[-1].subject


def test_an_answer_needs_words(world: World, as_maria) -> None:
    ask = _ask(world, world.pat, title="Sandbox tenant", owner=world.maria)
    response = as_maria.post(_url(world, f"{ask.pk}/answer/"), {"version": ask.version})
    assert response.status_code == 400
    assert "Write the answer" in response.content.decode()
    assert Ask.objects.get(pk=ask.pk).status == AskStatus.OPEN


def test_open_asks_show_their_age_and_overdue_ones_are_flagged(world: World, as_maria) -> None:
    today = timezone.localdate()
    late = _ask(world, world.pat, title="Late one", needed_by=today - timedelta(days=2))
    _ask(world, world.pat, title="Fresh one", needed_by=today + timedelta(days=5))
    Ask.objects.filter(pk=late.pk).update(asked_at=timezone.now() - timedelta(days=9))
    page = as_maria.get(_url(world)).content.decode()
    row = page.split(f'id="ask-{late.pk}"')[1].split("</li>")[0]
    assert "Overdue" in row and "9 days" in row
    fresh = page.split("Fresh one")[1].split("</li>")[0]
    assert "Overdue" not in fresh
    health = selectors.ask_health(world.actor(world.maria), world.northwind)
    assert (health.partner.open, health.partner.overdue) == (2, 1)
    assert timedelta(days=9) <= health.partner.oldest_age < timedelta(days=9, minutes=1)


def test_median_response_per_side_counts_the_last_90_days(world: World) -> None:
    now = timezone.now()
    for hours, side, days_ago in ((2, "partner", 1), (10, "partner", 5), (30, "partner", 8),
                                  (500, "partner", 120), (4, "ours", 3)):  # fmt: skip
        answered = now - timedelta(days=days_ago)
        Ask.objects.create(
            workspace=world.acme, partnership=world.northwind, side=side, title="x",
            status=AskStatus.ANSWERED, asked_at=answered - timedelta(hours=hours),
            answered_at=answered,
        )  # fmt: skip
    health = selectors.ask_health(world.actor(world.maria), world.northwind)
    assert health.partner.median_response == timedelta(hours=10)
    assert health.partner.responded == 3
    assert health.ours.median_response == timedelta(hours=4)


def test_health_costs_two_queries_for_any_number_of_partnerships(world: World) -> None:
    actor = world.actor(world.maria)
    _ask(world, world.pat, title="One")
    with CaptureQueriesContext(connection) as queries:
        figures = selectors.ask_health_for(actor, [world.northwind.pk, world.globex.pk])
    assert len(queries) == 2
    assert figures[world.northwind.pk].partner.open == 1
    assert figures[world.globex.pk].open == 0


def test_the_ask_page_costs_the_same_with_few_or_many_asks(world: World, as_maria) -> None:
    def add(count: int) -> None:
        for number in range(count):
            ask = Ask.objects.create(
                workspace=world.acme, partnership=world.northwind,
                side="partner" if number % 2 else "ours", title=f"Ask {number}",
                owner=world.maria if number % 2 else world.pat, created_by=world.pat,
            )  # fmt: skip
            if number % 3 == 0:
                Ask.objects.filter(pk=ask.pk).update(
                    status=AskStatus.ANSWERED, answered_at=timezone.now(), answered_by=world.maria
                )

    def cost() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert as_maria.get(_url(world)).status_code == 200
        return len(queries)

    add(3)
    small = cost()
    add(40)
    assert cost() == small


def test_pat_edits_his_own_open_ask_but_not_ours(world: World, as_pat) -> None:
    mine = _ask(world, world.pat, title="Sandbox")
    ours = _ask(world, world.maria, title="Quotes", owner=world.pat)
    response = as_pat.post(
        _url(world, f"{mine.pk}/edit/"),
        {"version": mine.version, "title": "Sandbox tenant with real volumes", "details": ""},
    )
    assert response.status_code == 302
    assert Ask.objects.get(pk=mine.pk).title == "Sandbox tenant with real volumes"
    response = as_pat.get(_url(world, f"{ours.pk}/edit/"))
    assert response.status_code == 302
    assert as_pat.post(_url(world, f"{ours.pk}/delete/")).status_code == 403


def test_asks_through_the_api(world: World, sent) -> None:
    _token, secret = token_create(user=world.pat, name="tools")
    pat = client_for(None)
    pat.defaults["HTTP_AUTHORIZATION"] = f"Bearer {secret}"
    base = f"/api/partnerships/{world.northwind.pk}/asks"
    with sent():
        created = pat.post(
            base,
            {"title": "Sandbox", "owner_id": world.maria.pk},
            content_type="application/json",
        )
    assert created.status_code == 201
    body = created.json()
    assert (body["side"], body["status"], body["asked_by"]["id"]) == (
        "partner",
        "open",
        world.pat.pk,
    )
    assert mail.outbox[-1].to == [world.maria.email]
    _t, lena_secret = token_create(user=world.lena, name="tools")
    lena = client_for(None)
    lena.defaults["HTTP_AUTHORIZATION"] = f"Bearer {lena_secret}"
    answer = f"{base}/{body['id']}/answer"
    response = lena.post(answer, {"version": 1, "answer": "Done"}, content_type="application/json")
    assert response.status_code == 200
    assert response.json()["status"] == "answered"
    assert response.json()["response_seconds"] >= 0
    stale = lena.post(answer, {"version": 1, "answer": "Again"}, content_type="application/json")
    assert stale.status_code == 409
    assert stale.json()["current"]["version"] == 2
    summary = pat.get(f"{base}/summary").json()
    assert summary["partner"]["responded"] == 1 and summary["partner"]["open"] == 0
    listed = pat.get(base + "?status=answered").json()
    assert [item["title"] for item in listed["items"]] == ["Sandbox"]


def test_the_partners_own_ask_cannot_be_hidden_from_them(world: World) -> None:
    ask = _ask(world, world.pat, title="Demo licences")
    with pytest.raises(InvalidInput):
        services.ask_update(
            ask, actor=world.actor(world.maria), version=ask.version, visibility="internal"
        )
    ask.refresh_from_db()
    assert ask.visibility == "shared"
