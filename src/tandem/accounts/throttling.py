"""Login throttling (django-axes) keyed on the e-mail being tried, however it arrives."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """allauth authenticates with ``email=``; its form posts ``login``; Django uses
    ``username``. All three name the same person, so all three count the same attempts."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    value = request.POST.get("login") if request is not None else None
    return value.strip().lower() if value else None
