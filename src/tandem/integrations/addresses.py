"""The web addresses Tandem calls out to (webhook endpoints, chat channels, identity
providers): whole https addresses; plain http only to this machine while developing or
testing."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from tandem.core.errors import InvalidInput

LOOPBACK_NAMES = {"localhost"}
MAX_LENGTH = 500


def checked_url(
    url: str,
    *,
    field: str = "url",
    missing: str = "Enter the address that receives the events.",
    why_https: str = "events are signed, not hidden",
) -> str:
    """The address, stripped, or an ``InvalidInput`` on ``field`` saying what is wrong."""
    url = (url or "").strip()
    if not url:
        raise InvalidInput.on(field, missing)
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"}:
        raise InvalidInput.on(field, "The address must start with https://.")
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise InvalidInput.on(
            field, "Enter a whole web address, such as https://example.com/hooks."
        ) from None
    if parts.username or parts.password:
        raise InvalidInput.on(field, "Leave the user name and password out of the address.")
    if parts.scheme == "http" and not (
        loopback(parts.hostname or "") and settings.LOOPBACK_HTTP_ALLOWED
    ):
        raise InvalidInput.on(field, f"The address must start with https:// ({why_https}).")
    if len(url) > MAX_LENGTH:
        raise InvalidInput.on(field, f"Keep the address under {MAX_LENGTH} characters.")
    return url


def loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
