"""Rendered pages kept for as long as nothing they show has changed.

A page's HTML depends on who asks (their user, roles and partner-side seats), on the data
of the workspace it shows (``Workspace.data_version`` moves on with every recorded change),
on the CSRF secret its forms carry and on the minute ("5 minutes ago"). The key holds all of
them, so an entry is never stale: a change makes a new key and the old entry ages out. Each
process keeps its own entries (a memo, not state: any process can rebuild any entry).
A request with a flash message waiting is rendered fresh, so the message shows once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.utils.cache import patch_vary_headers

from tandem.core.middleware import SESSION_WORKSPACE


def _key(request: HttpRequest, template: str, versions: tuple[Any, ...]) -> str | None:
    actor = request.actor  # type: ignore[attr-defined]
    csrf = request.COOKIES.get(settings.CSRF_COOKIE_NAME)
    if not csrf or not actor.is_authenticated:
        return None
    parts = (
        template,
        request.get_full_path(),
        request.headers.get("HX-Request", ""),
        actor.user.pk,
        sorted(actor.roles.items()),
        sorted(actor.partner_partnerships),
        request.session.get(SESSION_WORKSPACE),
        versions,
        csrf,
        int(time.time() // 60),
    )
    return "page:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def render_cached(
    request: HttpRequest,
    template: str,
    *,
    versions: tuple[Any, ...],
    context: Callable[[], dict[str, Any]],
) -> HttpResponse:
    """Render ``template`` with ``context()``, or reuse the HTML of an identical earlier
    render. ``versions`` names every data version the page depends on."""
    key = None
    if settings.TANDEM_PAGE_CACHE and not len(messages.get_messages(request)):
        key = _key(request, template, versions)
    cache = caches["pages"]
    html = cache.get(key) if key else None
    if html is None:
        response = render(request, template, context())
        if key and response.status_code == 200:
            cache.set(key, response.content, timeout=120)
    else:
        get_token(request)  # the cached forms carry this session's CSRF token
        response = HttpResponse(html)
    patch_vary_headers(response, ("Cookie", "HX-Request"))
    return response
