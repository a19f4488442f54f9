"""The hourly run: who gets a digest at which hour of which zone, never twice a week, and
nothing when nothing waits."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.core import schedule
from tandem.evaluation.digest.models import DigestStatus, WeeklyDigest
from tandem.evaluation.digest.tasks import people_due, send_digests
from tests.conftest import World
from tests.digest.helpers import choose, digests_to, run_at, text_of, todo
from tests.factories import MembershipFactory, UserFactory, WorkspaceFactory

MONDAY = dt.date(2026, 12, 7)


def _work_for(world: World, *people: object) -> None:
    for person in people:
        todo(world, person, f"Weekly report of {person}", MONDAY)


def test_each_person_gets_it_at_their_hour_in_their_zone(world: World) -> None:
    choose(world.pat, "Asia/Kolkata")  # 08:00 = 02:30 UTC: the 03:00 run
    choose(world.lena, "Europe/Berlin")  # 08:00 = 07:00 UTC
    choose(world.maria, "America/New_York")  # 08:00 = 13:00 UTC
    _work_for(world, world.pat, world.lena, world.maria)
    choose(world.lee, "UTC", enabled=False)
    choose(world.olga, "UTC", weekday=3)

    run_at("2026-12-07T02:00:00")
    assert not mail.outbox
    run_at("2026-12-07T03:00:00")
    assert [m.to for m in mail.outbox] == [[world.pat.email]]
    run_at("2026-12-07T07:00:00")
    assert len(digests_to(world.lena)) == 1 and len(mail.outbox) == 2
    run_at("2026-12-07T13:00:00")
    assert len(digests_to(world.maria)) == 1 and len(mail.outbox) == 3
    run_at("2026-12-07T08:00:00")  # Lee's would be now: Lee turned it off
    assert not digests_to(world.lee)


def test_never_twice_a_week_whatever_reruns(world: World) -> None:
    choose(world.pat, "Europe/Berlin")
    _work_for(world, world.pat)
    for hour in ("07", "07", "08", "12", "23"):
        run_at(f"2026-12-07T{hour}:00:00")
    send_digests.call("2026-12-07T07:00:00+00:00")
    assert len(digests_to(world.pat)) == 1
    assert WeeklyDigest.objects.get(user=world.pat).status == DigestStatus.SENT
    # Moved to later the same week after receiving it: still one that week.
    choose(world.pat, "Europe/Berlin", weekday=4)
    run_at("2026-12-11T07:00:00")
    assert len(digests_to(world.pat)) == 1
    # The next week comes as chosen.
    run_at("2026-12-18T07:00:00")
    assert len(digests_to(world.pat)) == 2


def test_the_dst_week_keeps_the_local_hour(world: World) -> None:
    """New York springs forward on Sunday 8 March 2026: Maria's Monday 08:00 digest comes at
    13:00 UTC before and at 12:00 UTC after."""
    choose(world.maria, "America/New_York")
    todo(world, world.maria, "Before the change", dt.date(2026, 3, 2))
    run_at("2026-03-02T12:00:00")
    assert not digests_to(world.maria)
    run_at("2026-03-02T13:00:00")
    assert len(digests_to(world.maria)) == 1
    todo(world, world.maria, "After the change", dt.date(2026, 3, 9))
    run_at("2026-03-09T12:00:00")
    assert len(digests_to(world.maria)) == 2
    assert "After the change" in text_of(digests_to(world.maria)[1])


def test_an_empty_week_sends_nothing_and_says_so_once(world: World) -> None:
    quiet = UserFactory(email="quiet@acme.example", name="Quiet Person")
    MembershipFactory(workspace=WorkspaceFactory(name="Quiet"), user=quiet)
    run_at("2026-12-07T08:00:00")
    assert not digests_to(quiet)
    assert WeeklyDigest.objects.get(user=quiet).status == DigestStatus.EMPTY
    assert quiet.pk not in {pk for pk, _ in people_due(dt.datetime(2026, 12, 7, 9, tzinfo=dt.UTC))}


def test_a_failed_send_gives_the_week_back(world: World, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    choose(world.pat, "UTC")
    _work_for(world, world.pat)

    def broken(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", broken)
    try:
        run_at("2026-12-07T08:00:00")
    except ConnectionRefusedError:
        pass
    assert not WeeklyDigest.objects.filter(user=world.pat).exists()
    monkeypatch.undo()
    run_at("2026-12-07T09:00:00")
    assert len(digests_to(world.pat)) == 1


def test_the_task_is_scheduled_every_hour() -> None:
    found = {s.name: s.period for s in schedule.registered()}
    assert found[send_digests.module_path] == "hour"


def test_finding_who_is_due_costs_the_same_for_many_people(world: World) -> None:
    at = dt.datetime(2026, 12, 7, 8, tzinfo=dt.UTC)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            people_due(at)
        return len(queries)

    few = count()
    workspace = WorkspaceFactory(name="Crowd")
    for n in range(15):
        person = UserFactory(email=f"crowd{n}@acme.example")
        MembershipFactory(workspace=workspace, user=person)
        choose(person, "UTC")
    assert count() == few


def test_links_expired_a_month_ago_are_cleared_by_the_hourly_run(world: World) -> None:
    from django.utils import timezone

    from tandem.accounts.actors import actor_for
    from tandem.evaluation.digest import links
    from tandem.evaluation.digest.models import ActionLink

    pat = actor_for(world.pat)
    old, _ = links.issue(world.pat, pat, "todo_done", world.shared_todo)
    recent, _ = links.issue(world.pat, pat, "todo_done", world.shared_todo)
    ActionLink.objects.filter(pk=old.pk).update(expires_at=timezone.now() - dt.timedelta(days=31))
    ActionLink.objects.filter(pk=recent.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    run_at("2026-12-07T05:00:00")
    assert list(ActionLink.objects.values_list("pk", flat=True)) == [recent.pk]
