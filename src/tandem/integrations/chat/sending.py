"""One JSON POST to a chat service's incoming webhook: a short timeout, no redirect followed
(a 3xx answer is a failure: the address must be the webhook itself)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any

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


def post_json(url: str, body: dict[str, Any]) -> Outcome:
    data = json.dumps(body, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 - the address is checked: http(s) only
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json", "User-Agent": "Tandem-Chat/1"},
    )
    try:
        with _opener.open(request, timeout=TIMEOUT) as response:
            return Outcome(response.status, "")
    except urllib.error.HTTPError as error:
        return Outcome(error.code, f"The channel's address answered {error.code} {error.reason}.")
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return Outcome(None, f"Could not reach the channel's address: {reason}."[:500])
