"""In-app notifications: what triggers one, who may hear of what, the bell, the page, the
e-mails people chose, and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.core.access import Visibility
from tandem.issues import services as issues
from tandem.meetings import services as meetings
from tandem.notifications import services
from tandem.notifications.models import Kind, Notification
from tandem.partners import services as partners
from tandem.partners.models import Note
from tandem.relationship.asks import services as asks
from tandem.traction import services as traction
from tandem.traction.models import Todo
from tests.conftest import World
from tests.factories import PartnershipFactory


@pytest.fixture
def sent(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    """Run the e-mails a change schedules for after its commit, as the worker would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def _of(user: Any, kind: str | None = None) -> list[Notification]:
    found = Notification.objects.filter(recipient=user)
    return list(found.filter(kind=kind) if kind else found)


def _todo(world: World, user: Any, **values: Any) -> Todo:
    values.setdefault("title", "Draft the joint press release")
    return traction.todo_create(actor=world.actor(user), partnership=world.northwind, **values)


# --- Triggers ---------------------------------------------------------------------------------


def test_a_todo_given_to_pat_tells_pat_and_links_to_it(world: World) -> None:
    todo = _todo(world, world.maria, owner=world.pat)
    [note] = _of(world.pat, Kind.ASSIGNED)
    assert note.text == "Maria Manager gave you the to-do “Draft the joint press release”"
    assert note.url == f"/partnerships/{world.northwind.pk}/todos/{todo.pk}/edit/"
    assert note.actor == world.maria and note.partnership == world.northwind


def test_a_new_owner_is_told_on_an_update_and_nobody_when_it_stays(world: World) -> None:
    todo = _todo(world, world.maria, owner=world.maria)
    assert not Notification.objects.exists()  # her own
    traction.TODOS.update(
        todo, actor=world.actor(world.maria), version=todo.version, owner=world.pat
    )
    assert len(_of(world.pat, Kind.ASSIGNED)) == 1
    traction.TODOS.update(todo, actor=world.actor(world.maria), version=todo.version, title="New")
    assert len(_of(world.pat, Kind.ASSIGNED)) == 1


def test_the_actor_is_never_told_of_their_own_doing(world: World) -> None:
    _todo(world, world.pat, owner=world.pat)
    note = services.notify(
        recipients=[world.pat],
        kind=Kind.MENTION,
        item=world.shared_note,
        text="x",
        url="/",
        actor=world.actor(world.pat),
    )
    assert note == [] and not Notification.objects.exists()


def test_pat_never_hears_of_an_internal_item(world: World) -> None:
    made = services.notify(
        recipients=[world.pat, world.lena],
        kind=Kind.MENTION,
        item=world.internal_note,
        text="About the margin",
        url="/",
        actor=world.actor(world.maria),
    )
    assert [n.recipient for n in made] == [world.lena]
    assert not _of(world.pat)


def test_an_ask_waiting_for_maria(world: World, sent) -> None:  # type: ignore[no-untyped-def]
    with sent():
        ask = asks.ask_create(
            actor=world.actor(world.pat),
            partnership=world.northwind,
            title="Demo licences",
            owner=world.maria,
        )
    [note] = _of(world.maria, Kind.ASK)
    assert note.text == "Pat Northwind asks you: Demo licences"
    assert note.url == f"/partnerships/{world.northwind.pk}/asks/{ask.pk}/"
    assert not _of(world.maria, Kind.ASSIGNED)  # one event, one notification
    # The ask's own mail is the e-mail (asks come by e-mail by default): one, not two.
    assert [m.to for m in mail.outbox] == [[world.maria.email]]


def test_an_ask_mail_follows_the_preference(world: World, sent) -> None:  # type: ignore[no-untyped-def]
    services.preferences_set(world.maria, {"ask": False})
    with sent():
        asks.ask_create(
            actor=world.actor(world.pat),
            partnership=world.northwind,
            title="Demo",
            owner=world.maria,
        )
    assert len(_of(world.maria, Kind.ASK)) == 1
    assert mail.outbox == []


def test_a_meeting_started_tells_both_sides(world: World) -> None:
    world.northwind.sponsor = world.lena
    world.northwind.save()
    meeting = meetings.meeting_start(actor=world.actor(world.maria), partnership=world.northwind)
    told = {n.recipient for n in Notification.objects.filter(kind=Kind.MEETING_STARTED)}
    assert told == {world.lena, world.pat}  # Maria started it
    note = _of(world.pat)[0]
    assert note.url == f"/partnerships/{world.northwind.pk}/meetings/{meeting.pk}/"


def test_a_mention_in_a_shared_note_tells_who_may_see_it(world: World) -> None:
    partners.item_create(
        Note,
        actor=world.actor(world.maria),
        partnership=world.northwind,
        title="Launch",
        body="@Pat Northwind and @lena, please check. @Lee Globex too. @Olga Initech?",
    )
    assert {n.recipient for n in Notification.objects.filter(kind=Kind.MENTION)} == {
        world.pat,
        world.lena,
    }


def test_a_mention_in_an_internal_note_skips_the_partner(world: World) -> None:
    partners.item_create(
        Note,
        actor=world.actor(world.maria),
        partnership=world.northwind,
        title="Margin",
        body="@Pat and @Lena",
        visibility=Visibility.INTERNAL,
    )
    assert {n.recipient for n in Notification.objects.filter(kind=Kind.MENTION)} == {world.lena}


def test_an_edit_tells_only_the_newly_mentioned(world: World) -> None:
    actor = world.actor(world.maria)
    issue = issues.issue_create(actor=actor, partnership=world.northwind, title="Pricing @Lena")
    issues.ISSUES.update(
        issue, actor=actor, version=issue.version, title="Pricing @Lena", details="cc @Pat"
    )
    assert {(n.recipient, n.kind) for n in Notification.objects.all()} == {
        (world.lena, Kind.MENTION),
        (world.pat, Kind.MENTION),
    }


def test_a_mention_in_a_headline(world: World) -> None:
    meeting = meetings.meeting_start(actor=world.actor(world.pat), partnership=world.northwind)
    Notification.objects.all().delete()
    meetings.headline_add(
        meeting, actor=world.actor(world.pat), kind="good_news", text="Thanks @Maria!"
    )
    [note] = Notification.objects.all()
    assert note.recipient == world.maria and note.kind == Kind.MENTION
    assert note.url == f"/partnerships/{world.northwind.pk}/meetings/{meeting.pk}/"


def test_mentionable_people_follow_the_visibility(world: World, as_maria: Client) -> None:
    base = f"/partnerships/{world.northwind.pk}/mentionable"
    shared = as_maria.get(f"/api{base}").json()
    assert [p["name"] for p in shared] == ["Lena Lead", "Maria Manager", "Pat Northwind"]
    internal = as_maria.get(f"/api{base}?visibility=internal").json()
    assert [p["mention"] for p in internal] == ["@Lena Lead", "@Maria Manager"]
    page = as_maria.get(f"/notifications/people/{world.northwind.pk}/?visibility=internal")
    assert b'value="@Lena Lead"' in page.content and b"Pat" not in page.content
    # The form's offer leaves out the reader: naming oneself tells nobody.
    assert b"Maria" not in page.content
    shared_page = as_maria.get(f"/notifications/people/{world.northwind.pk}/")
    assert b'value="@Pat Northwind"' in shared_page.content


def test_the_notification_list_says_just_now_not_zero_minutes(world: World, as_pat: Client) -> None:
    services.notify(
        recipients=[world.pat],
        kind=Kind.MENTION,
        item=world.shared_note,
        text="Maria Manager mentioned you",
        url="/",
        actor=world.actor(world.maria),
    )
    page = as_pat.get("/notifications/").content.decode()
    assert "just now" in page and "0 minutes" not in page


# --- Reading: visibility now, the bell, the page --------------------------------------------


def test_an_item_made_internal_later_leaves_pats_list(world: World, as_pat: Client) -> None:
    note = world.shared_note
    services.notify(
        recipients=[world.pat],
        kind=Kind.MENTION,
        item=note,
        text="Mentioned on the plan",
        url="/",
        actor=world.actor(world.maria),
    )
    assert services.unread_count(world.actor(world.pat)) == 1
    Note.objects.filter(pk=note.pk).update(visibility=Visibility.INTERNAL)
    assert services.unread_count(world.actor(world.pat)) == 0
    assert b"Mentioned on the plan" not in as_pat.get("/notifications/").content
    assert as_pat.get("/api/notifications").json()["count"] == 0


def _many(world: World, count: int) -> None:
    Notification.objects.bulk_create(
        Notification(
            recipient=world.pat,
            workspace=world.acme,
            partnership=world.northwind,
            kind=Kind.ASSIGNED,
            target_model="traction.todo",
            target_id=world.shared_todo.pk,
            text=f"Thing {i}",
            url="/",
            actor=world.maria,
        )
        for i in range(count)
    )


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_bell_shows_the_count_for_one_query(
    world: World, as_pat: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = f"/partnerships/{world.northwind.pk}/todos/"
    _queries(as_pat, page)  # warm
    empty = _queries(as_pat, page)
    assert b'aria-label="Notifications, none unread"' in as_pat.get(page).content
    _many(world, 50)
    assert _queries(as_pat, page) == empty
    assert b'aria-label="Notifications, 50 unread"' in as_pat.get(page).content
    monkeypatch.setattr(
        "tandem.notifications.templatetags.notifications.unread_count", lambda actor: 0
    )
    assert _queries(as_pat, page) == empty - 1


def test_the_list_costs_the_same_with_more_notifications(world: World, as_pat: Client) -> None:
    _many(world, 3)
    _queries(as_pat, "/notifications/")
    few = _queries(as_pat, "/notifications/")
    _many(world, 60)
    assert _queries(as_pat, "/notifications/") == few


def test_the_page_lists_newest_first_opens_and_marks_read(world: World, as_pat: Client) -> None:
    _many(world, 30)
    page = as_pat.get("/notifications/").content.decode()
    assert page.index("Thing 29") < page.index("Thing 28")
    assert "Thing 0<" not in page  # on page 2
    assert "Thing 0<" in as_pat.get("/notifications/?page=2").content.decode()
    newest = Notification.objects.get(text="Thing 29")
    response = as_pat.get(f"/notifications/{newest.pk}/")
    assert response.status_code == 302 and response["Location"] == "/"
    newest.refresh_from_db()
    assert newest.read_at is not None
    assert "Thing 29" not in as_pat.get("/notifications/?unread=1").content.decode()
    as_pat.post("/notifications/read-all/")
    assert services.unread_count(world.actor(world.pat)) == 0


def test_nobody_opens_someone_elses_notification(world: World, as_maria: Client) -> None:
    _many(world, 1)
    note = Notification.objects.get()
    assert as_maria.get(f"/notifications/{note.pk}/").status_code == 404
    assert as_maria.post(f"/api/notifications/{note.pk}/read").status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


# --- E-mail by preference -----------------------------------------------------------------------


def test_email_goes_only_to_who_chose_it(world: World, sent) -> None:  # type: ignore[no-untyped-def]
    services.preferences_set(world.lena, {"mention": True})
    with sent():
        partners.item_create(
            Note,
            actor=world.actor(world.maria),
            partnership=world.northwind,
            title="Launch",
            body="@Pat and @Lena",
        )
    assert [m.to for m in mail.outbox] == [[world.lena.email]]
    message = mail.outbox[0]
    assert "Maria Manager mentioned you in the note “Launch”" in message.subject
    assert message.alternatives and "Launch" in message.alternatives[0][0]


def test_a_plan_to_sign_comes_by_email_by_default(world: World, sent) -> None:  # type: ignore[no-untyped-def]
    with sent():
        services.notify(
            recipients=[world.pat],
            kind=Kind.PLAN_TO_SIGN,
            item=world.shared_note,
            text="Sign the Q1 plan",
            url="/",
            actor=world.actor(world.maria),
        )
    assert [m.to for m in mail.outbox] == [[world.pat.email]]


def test_the_preferences_form(world: World, as_maria: Client) -> None:
    page = as_maria.get("/notifications/").content.decode()
    assert 'id="email_ask" name="email_ask" checked' in page
    assert 'id="email_mention" name="email_mention">' in page
    as_maria.post("/notifications/preferences/", {"email_mention": "on"})
    assert services.preferences(world.maria) == {
        "assigned": False,
        "ask": False,
        "mention": True,
        "meeting_started": False,
        "plan_to_sign": False,
    }


# --- API ----------------------------------------------------------------------------------------


def test_the_api(world: World, as_pat: Client) -> None:
    _many(world, 3)
    listed = as_pat.get("/api/notifications?unread=true").json()
    assert listed["count"] == 3 and listed["items"][0]["text"] == "Thing 2"
    assert listed["items"][0]["item_model"] == "traction.todo"
    first = listed["items"][0]["id"]
    read = as_pat.post(f"/api/notifications/{first}/read").json()
    assert read["read_at"] is not None
    assert as_pat.get("/api/notifications?unread=true").json()["count"] == 2
    assert as_pat.post("/api/notifications/read-all").json() == {"marked": 2}
    prefs = as_pat.get("/api/notifications/preferences").json()
    assert prefs["by_email"]["ask"] is True and prefs["by_email"]["mention"] is False
    changed = as_pat.put(
        "/api/notifications/preferences",
        {"by_email": {"mention": True}},
        content_type="application/json",
    )
    assert changed.status_code == 200 and changed.json()["by_email"]["mention"] is True
    wrong = as_pat.put(
        "/api/notifications/preferences",
        {"by_email": {"everything": True}},
        content_type="application/json",
    )
    assert wrong.status_code == 422


def test_other_workspaces_notifications_stay_theirs(world: World) -> None:
    other = PartnershipFactory(workspace=world.initech, name="Elsewhere")
    services.notify(
        recipients=[world.pat],
        kind=Kind.ASSIGNED,
        item=world.shared_todo,
        text="x",
        url="/",
        actor=world.actor(world.maria),
    )
    assert other.pk and services.unread_count(world.actor(world.olga)) == 0


def test_an_address_that_is_no_notification_is_a_404_never_a_500(
    world: World, as_pat: Client
) -> None:
    """``str.isdigit`` accepts "²" and other digits ``int`` refuses: they find nothing."""
    for odd in ("²", "99999999999999999999999", "0"):
        assert as_pat.get(f"/notifications/{odd}/").status_code == 404, odd
