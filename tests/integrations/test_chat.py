"""A partnership's chat channel: what a real Slack or Teams receiver on loopback is sent
(shared items only, the recap cut for the partner side, to-dos due tomorrow once a day), a
failing receiver written down, and who may configure a channel."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tandem.accounts.services import token_create
from tandem.core.access import Visibility
from tandem.core.errors import InvalidInput
from tandem.exchange.pipeline.services import register_deal
from tandem.integrations.chat import formatting, services
from tandem.integrations.chat.models import ChatChannel, DailyPost
from tandem.meetings import services as meetings
from tandem.meetings.models import Headline, Kind
from tandem.relationship.asks.services import ask_create
from tandem.traction.models import Todo
from tests.conftest import World, client_for


class Receiver:
    """An HTTP server on 127.0.0.1 that records each POSTed JSON body and answers ``code``."""

    def __init__(self, code: int = 200) -> None:
        self.code = code
        self.bodies: list[dict[str, Any]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.bodies.append(json.loads(body))
                self.send_response(receiver.code)
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/services/T000/B000/x"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def text(self) -> str:
        return json.dumps(self.bodies, ensure_ascii=False)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.server.shutdown()
    found.server.server_close()


def _channel(world: World, url: str, kind: str = "slack", **options: Any) -> ChatChannel:
    return services.channel_create(
        actor=world.actor(world.maria), partnership=world.northwind, kind=kind, url=url, **options
    )


def _url(world: World, rest: str = "") -> str:
    return f"/partnerships/{world.northwind.pk}/chat/{rest}"


def _api(user: Any) -> Any:
    from django.test import Client

    return Client(headers={"Authorization": f"Bearer {token_create(user=user, name='t')[1]}"})


# --- The formatters, pure ------------------------------------------------------------------


def test_slack_escapes_user_text_and_links_back() -> None:
    post = formatting.ask_post(
        {"title": "<!channel> & <https://evil.example|click>", "side": "partner"},
        partnership="Northwind",
        workspace="Acme",
        link="https://tandem.example/asks/1/",
    )
    body = formatting.slack(post)
    dumped = json.dumps(body)
    assert "<!channel>" not in dumped and "&lt;!channel&gt; &amp;" in dumped
    assert body["blocks"][0]["type"] == "header"
    assert body["blocks"][-1]["elements"][0]["url"] == "https://tandem.example/asks/1/"
    assert body["text"].endswith("<https://tandem.example/asks/1/|Open in Tandem>")
    assert "*Asked by*\nNorthwind" in dumped.replace("\\n", "\n")


def test_teams_gets_an_adaptive_card_with_an_open_action() -> None:
    post = formatting.deal_post(
        {"account_name": "Tailspin", "amount": "1200.00", "currency": "EUR", "stage": "Lead"},
        partnership="Northwind",
        link="https://tandem.example/deals/7/",
    )
    body = formatting.teams(post)
    assert body["type"] == "message"
    attachment = body["attachments"][0]
    assert attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert (card["type"], card["version"]) == ("AdaptiveCard", "1.4")
    assert card["body"][0]["text"] == "Deal registered: Tailspin"
    assert {"title": "Amount", "value": "1200.00 EUR"} in card["body"][2]["facts"]
    assert card["actions"] == [
        {
            "type": "Action.OpenUrl",
            "title": "Open in Tandem",
            "url": "https://tandem.example/deals/7/",
        }
    ]


def test_a_long_list_is_cut_with_a_count() -> None:
    todos = [{"title": f"To-do {n}", "owner": ""} for n in range(14)]
    post = formatting.todos_post(todos, partnership="N", day="2026-12-08", link="https://x/")
    assert post.sections[0].lines[-1] == "and 4 more"


# --- What the channel is sent ---------------------------------------------------------------


def test_a_shared_ask_reaches_slack_with_blocks_and_a_link_back(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    channel = _channel(world, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ask = ask_create(
            actor=world.actor(world.pat), partnership=world.northwind,
            title="Intro to your retail lead", owner=world.maria,
        )  # fmt: skip
    assert len(receiver.bodies) == 1
    body = receiver.bodies[0]
    assert body["text"].startswith("New ask: Intro to your retail lead (Northwind)")
    header, facts, *_rest, context, actions = body["blocks"]
    assert header == {
        "type": "header",
        "text": {
            "type": "plain_text",
            "text": "New ask: Intro to your retail lead",
            "emoji": False,
        },
    }
    assert "*Asked by*\nNorthwind" in [field["text"] for field in facts["fields"]]
    assert "Northwind" in context["elements"][0]["text"]
    link = actions["elements"][0]["url"]
    assert link == f"{settings.SITE_URL}/partnerships/{world.northwind.pk}/asks/{ask.pk}/"
    channel.refresh_from_db()
    assert channel.last_posted_at is not None and channel.last_error == ""


def test_an_internal_ask_is_never_posted(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _channel(world, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ask_create(
            actor=world.actor(world.maria), partnership=world.northwind,
            title="Raise exclusivity in person", visibility=Visibility.INTERNAL,
        )  # fmt: skip
    assert receiver.bodies == []


def test_a_registered_deal_reaches_teams_as_a_card(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _channel(world, receiver.url, kind="teams")
    with django_capture_on_commit_callbacks(execute=True):
        deal = register_deal(
            actor=world.actor(world.pat), partnership=world.northwind,
            account_name="Tailspin Toys", amount="1200.00", currency="EUR",
        )  # fmt: skip
    assert len(receiver.bodies) == 1
    card = receiver.bodies[0]["attachments"][0]["content"]
    assert card["type"] == "AdaptiveCard"
    assert card["body"][0]["text"] == "Deal registered: Tailspin Toys"
    facts = {fact["title"]: fact["value"] for fact in card["body"][2]["facts"]}
    assert facts["Account"] == "Tailspin Toys"
    assert facts["Amount"] == "1200.00 EUR"
    assert card["actions"][0]["type"] == "Action.OpenUrl"
    assert card["actions"][0]["url"] == (
        f"{settings.SITE_URL}/partnerships/{world.northwind.pk}/pipeline/{deal.pk}/"
    )


def test_a_channel_gets_only_the_posts_it_chose(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _channel(world, receiver.url, posts=["deal.registered"])
    with django_capture_on_commit_callbacks(execute=True):
        ask_create(actor=world.actor(world.pat), partnership=world.northwind, title="Logo use")
    assert receiver.bodies == []


def test_the_recap_posted_is_the_partner_sides_cut(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _channel(world, receiver.url)
    maria = world.actor(world.maria)
    meeting = meetings.meeting_start(actor=maria, partnership=world.northwind, kind=Kind.PULSE)
    common = {"workspace": world.acme, "partnership": world.northwind, "meeting": meeting}
    Headline.objects.create(**common, kind="good_news", text="Northwind signed Fabrikam")
    Headline.objects.create(
        **common, kind="good_news", text="Their CFO is leaving", visibility=Visibility.INTERNAL
    )
    todo_common = {"workspace": world.acme, "partnership": world.northwind}
    Todo.objects.create(**todo_common, title="Send the Fabrikam case study", owner=world.pat)
    Todo.objects.create(
        **todo_common, title="Check their margin", owner=world.maria,
        visibility=Visibility.INTERNAL,
    )  # fmt: skip
    meeting.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        meetings.meeting_end(meeting, actor=maria, version=meeting.version)
    assert len(receiver.bodies) == 1
    text = receiver.text()
    assert "Northwind signed Fabrikam" in text
    assert "Send the Fabrikam case study" in text
    assert "Their CFO is leaving" not in text
    assert "Check their margin" not in text
    blocks = receiver.bodies[0]["blocks"]
    assert blocks[0]["text"]["text"].endswith("ended: the recap")
    assert blocks[-1]["elements"][0]["url"] == (
        f"{settings.SITE_URL}/partnerships/{world.northwind.pk}/meetings/{meeting.pk}/"
    )


def test_todos_due_tomorrow_are_posted_once_a_day_shared_only(
    world: World, receiver: Receiver
) -> None:
    channel = _channel(world, receiver.url)
    zone = world.northwind.zone
    morning = dt.datetime(2026, 12, 7, 9, 20, tzinfo=zone)
    tomorrow = dt.date(2026, 12, 8)
    common = {"workspace": world.acme, "partnership": world.northwind}
    Todo.objects.create(**common, title="Book the joint webinar", owner=world.pat, due_on=tomorrow)
    Todo.objects.create(
        **common, title="Rework our discount floor", owner=world.maria, due_on=tomorrow,
        visibility=Visibility.INTERNAL,
    )  # fmt: skip
    Todo.objects.create(**common, title="Later one", owner=world.pat, due_on=dt.date(2026, 12, 9))
    # Before nine on the partnership's clock: nothing yet.
    assert services.due_todos_posts(morning - dt.timedelta(hours=1)) == []
    assert services.due_todos_posts(morning) == [channel.pk]
    assert services.due_todos_posts(morning + dt.timedelta(hours=1)) == []
    assert len(receiver.bodies) == 1
    text = receiver.text()
    assert "Book the joint webinar" in text
    assert "Rework our discount floor" not in text and "Later one" not in text
    assert "To-dos due tomorrow (2026-12-08)" in text
    link = receiver.bodies[0]["blocks"][-1]["elements"][0]["url"]
    assert link == f"{settings.SITE_URL}/partnerships/{world.northwind.pk}/todos/"
    assert DailyPost.objects.filter(channel=channel, day=dt.date(2026, 12, 7)).count() == 1


def test_the_morning_is_the_partnerships_own(world: World, receiver: Receiver) -> None:
    from tandem.meetings.models import Schedule

    Schedule.objects.update_or_create(
        partnership=world.northwind, defaults={"timezone": "America/New_York"}
    )
    world.northwind.refresh_from_db()
    channel = _channel(world, receiver.url)
    Todo.objects.create(
        workspace=world.acme, partnership=world.northwind, title="Ship the brochure",
        owner=world.pat, due_on=dt.date(2026, 12, 8),
    )  # fmt: skip
    nine_in_london = dt.datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("Europe/London"))
    assert services.due_todos_posts(nine_in_london) == []
    nine_in_new_york = dt.datetime(2026, 12, 7, 9, 30, tzinfo=ZoneInfo("America/New_York"))
    assert services.due_todos_posts(nine_in_new_york) == [channel.pk]
    assert "Ship the brochure" in receiver.text()


def test_nothing_due_tomorrow_posts_nothing(world: World, receiver: Receiver) -> None:
    _channel(world, receiver.url)
    morning = dt.datetime(2026, 12, 7, 9, 5, tzinfo=world.northwind.zone)
    services.due_todos_posts(morning)
    assert receiver.bodies == []


def test_a_failing_receiver_is_written_on_the_channel_and_its_page(
    world: World, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.code = 500
    channel = _channel(world, receiver.url)
    with django_capture_on_commit_callbacks(execute=True):
        ask = ask_create(actor=world.actor(world.pat), partnership=world.northwind, title="Logos")
    assert ask.pk and len(receiver.bodies) == 1
    channel.refresh_from_db()
    assert "answered 500" in channel.last_error
    assert channel.last_posted_at is None
    page = client_for(world.maria).get(_url(world)).content.decode()
    assert "Last post failed" in page and "answered 500" in page
    # A receiver that is back: the next post clears the error.
    receiver.code = 200
    response = client_for(world.maria).post(_url(world, f"{channel.pk}/test/"), follow=True)
    assert "accepted by Slack" in response.content.decode()
    channel.refresh_from_db()
    assert channel.last_error == "" and channel.last_posted_at is not None
    assert receiver.bodies[-1]["blocks"][0]["text"]["text"] == "Tandem is connected"


def test_an_unreachable_address_is_told_on_the_test(world: World) -> None:
    channel = _channel(world, "http://127.0.0.1:9/nobody-listens")
    response = client_for(world.maria).post(_url(world, f"{channel.pk}/test/"), follow=True)
    assert response.status_code == 200
    assert "not delivered" in response.content.decode()
    channel.refresh_from_db()
    assert "Could not reach" in channel.last_error


# --- Configuring a channel -------------------------------------------------------------------


def test_maria_connects_edits_and_deletes_a_channel_on_the_pages(
    world: World, receiver: Receiver
) -> None:
    maria = client_for(world.maria)
    page = maria.get(_url(world)).content.decode()
    assert "No chat channel yet" in page
    detail = maria.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert _url(world) in detail
    response = maria.post(
        _url(world, "add/"),
        {"kind": "teams", "url": receiver.url, "name": "#acme-northwind",
         "posts": ["ask.created", "meeting.ended"]},
    )  # fmt: skip
    assert response.status_code == 302
    channel = ChatChannel.objects.get()
    assert (channel.kind, channel.name, channel.posts, channel.created_by) == (
        "teams", "#acme-northwind", ["meeting.ended", "ask.created"], world.maria,
    )  # fmt: skip
    assert "#acme-northwind" in maria.get(_url(world)).content.decode()
    response = maria.post(
        _url(world, f"{channel.pk}/"),
        {"kind": "slack", "url": receiver.url, "name": "#joint", "posts": ["deal.registered"]},
    )
    assert response.status_code == 302
    channel.refresh_from_db()
    assert (channel.kind, channel.posts) == ("slack", ["deal.registered"])
    confirm = maria.get(_url(world, f"{channel.pk}/delete/")).content.decode()
    assert "Disconnect #joint?" in confirm
    assert maria.post(_url(world, f"{channel.pk}/delete/")).status_code == 302
    assert not ChatChannel.objects.exists()


@pytest.mark.parametrize(
    ("address", "words"),
    [
        ("", "Paste the channel's incoming-webhook address."),
        ("ftp://hooks.slack.com/x", "https://"),
        ("http://hooks.slack.com/services/x", "https://"),
        ("https://", "Enter a whole web address"),
        ("https://user:secret@hooks.slack.com/x", "user name and password"),
    ],
)
def test_bad_addresses_are_refused_with_a_clear_message(
    world: World, address: str, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _channel(world, address)
    assert words in refused.value.errors["url"][0]
    response = client_for(world.maria).post(
        _url(world, "add/"), {"kind": "slack", "url": address, "posts": ["ask.created"]}
    )
    assert response.status_code == 400
    assert words.replace("'", "&#x27;") in response.content.decode()
    answer = _api(world.maria).post(
        f"/api/partnerships/{world.northwind.pk}/chat-channels",
        data={"kind": "slack", "url": address},
        content_type="application/json",
    )
    assert answer.status_code == 400
    assert answer["Content-Type"].startswith("application/problem+json")
    assert not ChatChannel.objects.exists()


def test_unknown_posts_and_kinds_are_refused(world: World) -> None:
    with pytest.raises(InvalidInput) as refused:
        _channel(world, "https://hooks.slack.com/services/x", posts=["todo.created"])
    assert "Unknown post: todo.created" in refused.value.errors["posts"][0]
    with pytest.raises(InvalidInput):
        _channel(world, "https://hooks.slack.com/services/x", kind="discord")


def test_the_api_lists_creates_changes_tests_and_deletes(world: World, receiver: Receiver) -> None:
    api = _api(world.lena)
    base = f"/api/partnerships/{world.northwind.pk}/chat-channels"
    made = api.post(
        base, data={"kind": "slack", "url": receiver.url}, content_type="application/json"
    )
    assert made.status_code == 201
    channel = made.json()
    assert channel["posts"] == ["meeting.ended", "ask.created", "todos.due_tomorrow",
                                "deal.registered"]  # fmt: skip
    assert api.get(base).json()["count"] == 1
    changed = api.patch(
        f"{base}/{channel['id']}", data={"active": False}, content_type="application/json"
    )
    assert changed.status_code == 200 and changed.json()["active"] is False
    tested = api.post(f"{base}/{channel['id']}/test")
    assert tested.json() == {"delivered": True, "status_code": 200, "error": ""}
    assert api.delete(f"{base}/{channel['id']}").status_code == 204
    assert api.get(f"{base}/{channel['id']}").status_code == 404


def test_pat_never_reaches_the_channels_nor_their_address(world: World) -> None:
    channel = _channel(world, "https://hooks.slack.com/services/T1/B2/secret-part")
    pat = client_for(world.pat)
    for rest in ("", "add/", f"{channel.pk}/", f"{channel.pk}/delete/"):
        assert pat.get(_url(world, rest)).status_code == 403
    assert pat.post(_url(world, f"{channel.pk}/test/")).status_code == 403
    base = f"/api/partnerships/{world.northwind.pk}/chat-channels"
    answers = [
        _api(world.pat).get(base),
        _api(world.pat).get(f"{base}/{channel.pk}"),
        _api(world.pat).post(base, data={"kind": "slack", "url": "https://hooks.slack.com/x"},
                             content_type="application/json"),
    ]  # fmt: skip
    assert [answer.status_code for answer in answers] == [403, 403, 403]
    assert all(b"secret-part" not in answer.content for answer in answers)
    detail = pat.get(f"/partnerships/{world.northwind.pk}/").content.decode()
    assert "/chat/" not in detail
    # Lee at Globex and Olga at another workspace: not there at all.
    assert client_for(world.lee).get(_url(world)).status_code == 404
    assert _api(world.olga).get(f"{base}/{channel.pk}").status_code == 404


def test_only_members_may_connect_a_channel(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.channel_create(
            actor=world.actor(world.pat), partnership=world.northwind, kind="slack",
            url="https://hooks.slack.com/services/x",
        )  # fmt: skip


def test_a_failed_post_is_tried_again_later_then_left_with_its_error(
    world: World, receiver: Receiver, settings: Any
) -> None:
    """With the worker's database backend, a failed post is enqueued again after the first
    delay; after the last delay it is not, and the channel keeps the error."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    receiver.code = 503
    channel = _channel(world, receiver.url)
    ask = ask_create(actor=world.actor(world.pat), partnership=world.northwind, title="Logos")
    DBTaskResult.objects.all().delete()  # what the write enqueued: this test tries by hand
    before = timezone.now()
    args = (channel.pk, "ask.created", "asks.ask", ask.pk, "")
    assert services.send_post.call(*args, 0) == "failed: tried again later"
    again = DBTaskResult.objects.get()
    assert again.args_kwargs["args"] == [*args, 1]
    assert again.run_after >= before + services.RETRY_DELAYS[0]
    assert services.send_post.call(*args, len(services.RETRY_DELAYS)) == "failed"
    assert DBTaskResult.objects.count() == 1
    assert len(receiver.bodies) == 2
    channel.refresh_from_db()
    assert "answered 503" in channel.last_error
