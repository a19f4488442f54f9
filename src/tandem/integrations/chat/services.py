"""A partnership's chat channels: configuring them (its workspace's members), and posting
the partnership's shared news to them.

What is posted is what the partner side may see: each item is asked of its own
``visible_to`` with a partner-side reader of the partnership (the meetings' ``partner_view``),
when the post is made, not when the event happened; a meeting's recap is cut by the
catalogue's ``events.view`` for that reader. Each post is a task of the worker, enqueued
once the write has committed, tried again after ``RETRY_DELAYS``; a failure is written on
the channel (``last_error``) for its page, never raised to the writer.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_tasks import default_task_backend, task

from tandem.core.access import Actor
from tandem.core.errors import InvalidInput
from tandem.core.ids import parse_id
from tandem.core.policy import require_open
from tandem.core.scope import Scope
from tandem.core.text import line
from tandem.integrations import events
from tandem.integrations.addresses import checked_url
from tandem.integrations.chat import formatting, sending
from tandem.integrations.chat.models import POSTS, ChatChannel, DailyPost, Kind
from tandem.integrations.events import Event
from tandem.meetings.pipeline import partner_view
from tandem.partners.models import Partnership
from tandem.traction.models import Todo

logger = logging.getLogger(__name__)

NOT_FOUND = "No such chat channel, or not yours."
# After a failed post: wait this long before each next try; then give up (last_error stays).
RETRY_DELAYS = (dt.timedelta(seconds=30), dt.timedelta(minutes=5), dt.timedelta(minutes=30))
# The summary of to-dos due tomorrow goes out at the first hourly run from 09:00, the
# partnership's time, until noon (a worker that was down at nine still posts that morning).
MORNING = range(9, 12)
EVENT_POSTS = {"meeting.ended", "ask.created", "deal.registered"}
TODOS = "todos.due_tomorrow"


# --- Channels -----------------------------------------------------------------------------


def channels_for(actor: Actor, partnership: Scope) -> Any:
    return ChatChannel.objects.visible_to(actor).filter(partnership_id=partnership.pk)


def channel_for(actor: Actor, partnership: Scope, channel_id: Any) -> ChatChannel:
    """One channel of the partnership the actor manages, or 404 (the same for "not there"
    and "not yours")."""
    found = channels_for(actor, partnership).filter(pk=parse_id(channel_id)).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def _kind(value: Any) -> str:
    if value not in Kind.values:
        raise InvalidInput.on("kind", "Choose Slack or Microsoft Teams.")
    return str(value)


def _url(value: Any) -> str:
    if not str(value or "").strip():
        raise InvalidInput.on("url", "Paste the channel's incoming-webhook address.")
    return checked_url(str(value))


def _name(value: Any) -> str:
    """One line of visible text (no direction overrides, no invisible characters)."""
    text = line("name", " ".join(str(value or "").split()), label="the name")
    if len(text) > 100:
        raise InvalidInput.on("name", "Keep the name under 100 characters.")
    return text


def _posts(chosen: Any) -> list[str]:
    """The posts chosen, in the pages' order; none named: all of them."""
    if chosen is None:
        return list(POSTS)
    if isinstance(chosen, str) or not isinstance(chosen, list | tuple):
        raise InvalidInput.on("posts", "Send the posts as a list.")
    unknown = [str(name) for name in chosen if name not in POSTS]
    if unknown:
        raise InvalidInput.on(
            "posts", f"Unknown post: {', '.join(unknown)}. Choose from {', '.join(POSTS)}."
        )
    if not chosen:
        raise InvalidInput.on("posts", "Choose at least one thing to post.")
    return [name for name in POSTS if name in chosen]


def channel_create(
    *,
    actor: Actor,
    partnership: Scope,
    kind: str,
    url: str,
    name: str = "",
    posts: list[str] | None = None,
) -> ChatChannel:
    """Connect a shared channel to the partnership (its workspace's members only)."""
    actor.require(actor.is_member(partnership.workspace_id))
    require_open(partnership)
    named = _name(name)  # first: what a person typed is told before the address
    channel = ChatChannel(
        workspace_id=partnership.workspace_id,
        partnership_id=partnership.pk,
        kind=_kind(kind),
        url=_url(url),
        name=named,
        posts=_posts(posts),
        created_by=actor.user,
    )
    with transaction.atomic():
        channel.save()
    return channel


def channel_update(channel: ChatChannel, *, actor: Actor, **changes: Any) -> ChatChannel:
    """Change the kind, address, name, posts, or whether it is on."""
    actor.require(actor.is_member(channel.workspace_id))
    unknown = set(changes) - {"kind", "url", "name", "posts", "active"}
    if unknown:
        raise InvalidInput(f"Unknown fields: {', '.join(sorted(unknown))}.")
    if "kind" in changes:
        channel.kind = _kind(changes["kind"])
    if "url" in changes:
        channel.url = _url(changes["url"])
    if "name" in changes:
        channel.name = _name(changes["name"])
    if "posts" in changes:
        channel.posts = _posts(changes["posts"] if changes["posts"] else [])
    if "active" in changes:
        if not isinstance(changes["active"], bool):
            raise InvalidInput.on("active", "Say true or false.")
        channel.active = changes["active"]
    with transaction.atomic():
        channel.save()
    return channel


def channel_delete(channel: ChatChannel, *, actor: Actor) -> None:
    actor.require(actor.is_member(channel.workspace_id))
    with transaction.atomic():
        channel.delete()


def send_test(channel: ChatChannel, *, actor: Actor) -> sending.Outcome:
    """Post a test message now (the person waits for the answer), and write down how it
    went on the channel."""
    actor.require(actor.is_member(channel.workspace_id))
    partnership = channel.partnership
    post = formatting.hello_post(partnership=partnership.name, link=events.link(partnership))
    return deliver(channel.pk, channel.url, formatting.body_for(channel.kind, post))


# --- Posting ------------------------------------------------------------------------------


def queue(event: Event) -> list[int]:
    """Enqueue one post per active channel of the event's partnership that chose it. Run
    once the write has committed; what is posted is decided when it is sent."""
    if event.type not in EVENT_POSTS or event.partnership_id is None:
        return []
    channels = [
        channel
        for channel in ChatChannel.objects.filter(partnership_id=event.partnership_id, active=True)
        if event.type in channel.posts
    ]
    for channel in channels:
        send_post.enqueue(channel.pk, event.type, event.model, event.item_id, "", 0)
    return [channel.pk for channel in channels]


def body_of(
    channel: ChatChannel, post_type: str, model: str, item_id: int, day: str = ""
) -> dict[str, Any] | None:
    """What ``channel`` is to be sent for a post, as the partner side may see it now, or
    None when there is nothing for them (an internal item, no shared to-do due)."""
    partnership = channel.partnership
    reader = partner_view(partnership)
    if post_type == TODOS:
        when = dt.date.fromisoformat(day)
        todos = due_todos(partnership, when)
        if not todos:
            return None
        post = formatting.todos_post(
            todos, partnership=partnership.name, day=day, link=_todos_link(partnership)
        )
        return formatting.body_for(channel.kind, post)
    item = (
        apps.get_model(model)
        ._default_manager.visible_to(reader)
        .filter(partnership_id=partnership.pk, pk=item_id)
        .first()
    )
    if item is None:
        return None
    event = Event(
        type=post_type,
        model=model,
        item_id=item.pk,
        workspace_id=channel.workspace_id,
        partnership_id=partnership.pk,
        occurred_at=timezone.now(),
    )
    view = events.view(event, item, reader)
    link = events.link(item)
    if post_type == "ask.created":
        post = formatting.ask_post(
            view, partnership=partnership.name, workspace=partnership.workspace.name, link=link
        )
    elif post_type == "deal.registered":
        post = formatting.deal_post(view, partnership=partnership.name, link=link)
    else:
        post = formatting.recap_post(view, partnership=partnership.name, link=link)
    return formatting.body_for(channel.kind, post)


def due_todos(partnership: Partnership, day: dt.date) -> list[dict[str, Any]]:
    """The shared to-dos of the partnership still open and due on ``day``."""
    todos = (
        Todo.objects.visible_to(partner_view(partnership))
        .in_scope(partnership)
        .filter(due_on=day, done_at__isnull=True)
        .select_related("owner")
        .order_by("id")
    )
    return [
        {"title": todo.title, "owner": todo.owner.get_full_name() if todo.owner else ""}
        for todo in todos
    ]


def _todos_link(partnership: Partnership) -> str:
    try:
        return settings.SITE_URL + reverse("todo_list", args=[partnership.pk])
    except NoReverseMatch:
        return events.link(partnership)


def deliver(channel_id: int, url: str, body: dict[str, Any]) -> sending.Outcome:
    """Send one body, and write down the outcome on the channel."""
    outcome = sending.post_json(url, body)
    now = timezone.now()
    with transaction.atomic():
        found = ChatChannel.objects.filter(pk=channel_id)
        if outcome.ok:
            found.update(last_posted_at=now, last_error="", last_error_at=None)
        else:
            found.update(last_error=outcome.error[:500], last_error_at=now)
    return outcome


@task()
def send_post(
    channel_id: int, post_type: str, model: str, item_id: int, day: str, tries: int
) -> str:
    """One try of one post; a failure is tried again later while ``RETRY_DELAYS`` last."""
    channel = (
        ChatChannel.objects.select_related("partnership__workspace").filter(pk=channel_id).first()
    )
    if channel is None or not channel.active:
        return "skipped: no active channel"
    body = body_of(channel, post_type, model, item_id, day)
    if body is None:
        return "skipped: nothing the partner side may see"
    outcome = deliver(channel.pk, channel.url, body)
    if outcome.ok:
        return "sent"
    if tries < len(RETRY_DELAYS) and default_task_backend.supports_defer:
        later = timezone.now() + RETRY_DELAYS[tries]
        send_post.using(run_after=later).enqueue(
            channel_id, post_type, model, item_id, day, tries + 1
        )
        return "failed: tried again later"
    return "failed"


def due_todos_posts(now: dt.datetime | None = None) -> list[int]:
    """Enqueue the to-dos summary of each channel whose partnership's morning it is and that
    has not had today's; the ``DailyPost`` row claims the day first, so it is once."""
    now = now or timezone.now()
    made: list[int] = []
    channels = ChatChannel.objects.filter(active=True).select_related("partnership__schedule")
    for channel in channels:
        if TODOS not in channel.posts or channel.partnership.is_archived:
            continue
        local = now.astimezone(channel.partnership.zone)
        if local.hour not in MORNING:
            continue
        today = local.date()
        try:
            with transaction.atomic():
                DailyPost.objects.create(channel=channel, day=today)
        except IntegrityError:
            continue  # today's is already posted (or being posted)
        tomorrow = (today + dt.timedelta(days=1)).isoformat()
        made.append(channel.pk)
        send_post.enqueue(channel.pk, TODOS, "", 0, tomorrow, 0)
    return made


@task()
def post_due_todos(period_start: str) -> int:
    """Every hour: the to-dos due tomorrow, to each channel whose morning has come."""
    return len(due_todos_posts())
