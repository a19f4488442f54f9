"""One signed POST to an endpoint: Standard Webhooks headers made by its own package, a
short timeout, and no redirect followed (a 3xx answer is a failed attempt)."""

from __future__ import annotations

import datetime as dt
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

from standardwebhooks.webhooks import Webhook

TIMEOUT = 10  # seconds


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises the 3xx as an HTTPError


_opener = urllib.request.build_opener(_NoRedirects)


def headers(secret: str, message_id: str, body: bytes, at: dt.datetime) -> dict[str, str]:
    """The three Standard Webhooks headers for ``body``, signed with the endpoint's secret."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Webhook(secret).sign(message_id, at, body),
    }


def post(url: str, secret: str, message_id: str, body: bytes, at: dt.datetime) -> Outcome:
    request = urllib.request.Request(  # noqa: S310 - the address is checked: http(s) only
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Tandem-Webhooks/1",
            **headers(secret, message_id, body, at),
        },
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return Outcome(response.status, "")
    except urllib.error.HTTPError as error:
        return Outcome(error.code, f"The endpoint answered {error.code} {error.reason}."[:500])
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Outcome(None, f"Could not reach the endpoint: {reason}."[:500])
