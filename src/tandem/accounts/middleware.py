"""``request.actor`` on every request."""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from tandem.accounts.actors import actor_for
from tandem.core.access import Actor
from tandem.core.http import TandemRequest


class ActorMiddleware:
    """Attach ``request.actor``, computed once and only if used."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: TandemRequest) -> HttpResponse:
        # Stands in for the Actor, built on first use.
        request.actor = cast(Actor, SimpleLazyObject(lambda: actor_for(request.user)))
        return self.get_response(request)
