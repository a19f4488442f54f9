"""A partnership's chat channels over HTTP, for its workspace's members:
``/partnerships/{partnership_id}/chat-channels``: list, connect, read, change, delete, and
send a test message. The same services as the pages."""

from typing import Any

from ninja import Router, Status

from tandem.core.api.items import operation
from tandem.core.api.schemas import Id
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.integrations.chat import services
from tandem.integrations.chat.schemas import ChannelIn, ChannelOut, ChannelPatch, TestOut

router = Router(tags=["Chat channels"])
ALL = "/partnerships/{partnership_id}/chat-channels"
ONE = ALL + "/{chat_channel_id}"
LEVEL = "partnership_manage"


@operation(router, "get", ALL, level=LEVEL, paginated=True, response=list[ChannelOut])
def list_chat_channels(request: TandemRequest, partnership: Scope) -> Any:
    """List the partnership's chat channels

    The Slack and Microsoft Teams channels its shared news is posted to, oldest first, with
    how the last post went. Members only: the addresses are the workspace's secrets."""
    return services.channels_for(request.actor, partnership)


@operation(router, "post", ALL, level=LEVEL, response={201: ChannelOut})
def create_chat_channel(request: TandemRequest, partnership: Scope, payload: ChannelIn) -> Any:
    """Connect a chat channel

    A Slack incoming webhook or a Teams Workflows webhook address (https). It is sent the
    posts chosen, of shared items only: what the partner's people may see."""
    channel = services.channel_create(
        actor=request.actor, partnership=partnership, **payload.dict()
    )
    return Status(201, channel)


@operation(router, "get", ONE, level=LEVEL, item="chat_channel_id", response=ChannelOut)
def get_chat_channel(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """Read a chat channel

    With its address and how the last post went."""
    return services.channel_for(request.actor, partnership, item_id)


@operation(router, "patch", ONE, level=LEVEL, item="chat_channel_id", response=ChannelOut)
def update_chat_channel(
    request: TandemRequest, partnership: Scope, item_id: Id, payload: ChannelPatch
) -> Any:
    """Change a chat channel

    Its service, address, name, posts, or whether it is posted to."""
    channel = services.channel_for(request.actor, partnership, item_id)
    changes = payload.dict(exclude_unset=True)
    return services.channel_update(channel, actor=request.actor, **changes)


@operation(router, "delete", ONE, level=LEVEL, item="chat_channel_id", response={204: None})
def delete_chat_channel(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """Delete a chat channel

    Nothing more is posted to it; what was posted stays in the channel."""
    channel = services.channel_for(request.actor, partnership, item_id)
    services.channel_delete(channel, actor=request.actor)
    return Status(204, None)


@operation(router, "post", ONE + "/test", level=LEVEL, item="chat_channel_id", response=TestOut)
def test_chat_channel(request: TandemRequest, partnership: Scope, item_id: Id) -> Any:
    """Send a test message to a chat channel

    Now, waiting for the answer (up to 10 seconds); a failure is also written on the channel
    as its last error."""
    channel = services.channel_for(request.actor, partnership, item_id)
    outcome = services.send_test(channel, actor=request.actor)
    return {"delivered": outcome.ok, "status_code": outcome.status_code, "error": outcome.error}
