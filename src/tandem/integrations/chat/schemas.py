from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Field, Schema

POSTS_HELP = (
    "What the channel is sent: meeting.ended, ask.created, todos.due_tomorrow,"
    " deal.registered; omitted: all four."
)


class ChannelIn(Schema):
    kind: Literal["slack", "teams"] = Field(description="slack or teams")
    url: str = Field(description="The channel's incoming-webhook address (https://).")
    name: str = Field("", description="How you know the channel (up to 100 characters).")
    posts: list[str] | None = Field(None, description=POSTS_HELP)


class ChannelPatch(Schema):
    kind: Literal["slack", "teams"] | None = None
    url: str | None = None
    name: str | None = None
    posts: list[str] | None = Field(None, description=POSTS_HELP)
    active: bool | None = Field(None, description="Post to it (true) or not (false).")


class ChannelOut(Schema):
    id: int
    partnership_id: int
    kind: str
    name: str
    url: str = Field(description="The incoming-webhook address: a secret of the workspace.")
    posts: list[str]
    active: bool
    last_error: str = Field(description="Why the last post failed; empty once one succeeds.")
    last_error_at: datetime | None
    last_posted_at: datetime | None
    created_at: datetime


class TestOut(Schema):
    delivered: bool
    status_code: int | None = Field(description="What the channel's address answered.")
    error: str
