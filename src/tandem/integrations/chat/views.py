"""A partnership's chat channels, for its workspace's members: list, add, edit, delete, and
send a test message. Every channel is fetched through ``ChatChannel.objects.visible_to``."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tandem.core.decorators import access
from tandem.core.forms import run_service
from tandem.core.http import TandemRequest
from tandem.core.scope import Scope
from tandem.integrations.chat import services
from tandem.integrations.chat.forms import ChannelForm
from tandem.integrations.chat.models import POSTS, ChatChannel


def _links(partnership: Scope, channel: ChatChannel | None = None) -> dict[str, str]:
    found = {
        "list": reverse("chat_channel_list", args=[partnership.pk]),
        "add": reverse("chat_channel_add", args=[partnership.pk]),
        "partnership": reverse("partnership_detail", args=[partnership.pk]),
    }
    if channel is not None:
        for name in ("edit", "delete", "test"):
            found[name] = reverse(f"chat_channel_{name}", args=[partnership.pk, channel.pk])
    return found


def _context(partnership: Scope, **more: Any) -> dict[str, Any]:
    return {"partnership": partnership, "post_names": POSTS, **more}


@access("partnership_manage")
def chat_channel_list(request: TandemRequest, partnership: Scope) -> HttpResponse:
    channels = [
        (channel, _links(partnership, channel))
        for channel in services.channels_for(request.actor, partnership)
    ]
    return render(
        request,
        "chat/channel_list.html",
        _context(partnership, channels=channels, links=_links(partnership)),
    )


@access("partnership_manage")
def chat_channel_add(request: TandemRequest, partnership: Scope) -> HttpResponse:
    form = ChannelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        channel = run_service(
            form,
            lambda: services.channel_create(
                actor=request.actor, partnership=partnership, **form.cleaned_data
            ),
        )
        if channel is not None:
            messages.success(
                request, "The channel is connected. Send a test message to check the address."
            )
            return redirect("chat_channel_edit", partnership.pk, channel.pk)
    return render(
        request,
        "chat/channel_form.html",
        _context(partnership, form=form, channel=None, links=_links(partnership)),
        status=400 if form.errors else 200,
    )


@access("partnership_manage")
def chat_channel_edit(
    request: TandemRequest, partnership: Scope, chat_channel_id: str
) -> HttpResponse:
    channel = services.channel_for(request.actor, partnership, chat_channel_id)
    initial = {"kind": channel.kind, "url": channel.url, "name": channel.name,
               "posts": channel.posts}  # fmt: skip
    form = ChannelForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            lambda: services.channel_update(channel, actor=request.actor, **form.cleaned_data),
        )
        if saved is not None:
            messages.success(request, "The channel is saved.")
            return redirect("chat_channel_edit", partnership.pk, channel.pk)
    return render(
        request,
        "chat/channel_form.html",
        _context(partnership, form=form, channel=channel, links=_links(partnership, channel)),
        status=400 if form.errors else 200,
    )


@access("partnership_manage")
def chat_channel_delete(
    request: TandemRequest, partnership: Scope, chat_channel_id: str
) -> HttpResponse:
    channel = services.channel_for(request.actor, partnership, chat_channel_id)
    if request.method == "POST":
        services.channel_delete(channel, actor=request.actor)
        messages.success(request, f"{channel} is disconnected: nothing more is posted to it.")
        return redirect("chat_channel_list", partnership.pk)
    return render(
        request,
        "chat/channel_delete.html",
        _context(partnership, channel=channel, links=_links(partnership, channel)),
    )


@access("partnership_manage")
@require_POST
def chat_channel_test(
    request: TandemRequest, partnership: Scope, chat_channel_id: str
) -> HttpResponse:
    channel = services.channel_for(request.actor, partnership, chat_channel_id)
    outcome = services.send_test(channel, actor=request.actor)
    if outcome.ok:
        messages.success(request, f"The test message was accepted by {channel.get_kind_display()}.")
    else:
        messages.error(request, f"The test message was not delivered. {outcome.error}")
    return redirect("chat_channel_edit", partnership.pk, channel.pk)
