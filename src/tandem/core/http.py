"""The request every view gets: Django's, with who is asking (``actor``, set by
``tandem.accounts.middleware.ActorMiddleware``, or by the API's token check) and whether
htmx sent it (``htmx``, django-htmx's middleware)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from tandem.accounts.models import Workspace
    from tandem.core.access import Actor


class TandemRequest(HttpRequest):
    actor: Actor
    htmx: HtmxDetails
    # Set on first use by ``tandem.core.middleware.current_workspace``, which reads it.
    _tandem_workspace: Workspace | None
