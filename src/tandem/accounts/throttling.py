"""Sign-in throttling on django-axes's records in the database, so every process sees one count.

OWASP's guidance, as two limits over the same failures:
- per e-mail *and* address, so someone guessing Pat's password elsewhere cannot lock Pat out;
  after a few free tries each further failure pauses that pair, and the pause grows;
- per address across e-mails, so spraying one password over many accounts stops too.
A failure while paused is not recorded (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so
hammering a paused sign-in does not make the pause longer. Axes forgets an address's failures
AXES_COOLOFF_TIME after the last of them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Max, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login_name(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """allauth authenticates with ``email=``; its form posts ``login``; Django uses
    ``username``. All three name the same person, so all three count the same attempts."""
    credentials = credentials or {}
    for key in ("email", "username", "login"):
        if credentials.get(key):
            return str(credentials[key]).strip().lower()
    value = request.POST.get("login") if request is not None else None
    return value.strip().lower() if value else None


@dataclass(frozen=True)
class Limit:
    free: int  # failures before the first pause
    pause: timedelta  # the pause after the first failure past the free ones
    growth: int  # each further failure multiplies the pause by this

    def paused_until(self, failures: int, last: datetime | None) -> datetime | None:
        """Every failure from the ``free``-th on pauses, counted from that failure."""
        if last is None or failures < self.free:
            return None
        # Beyond a day's pause the failures are forgotten anyway (AXES_COOLOFF_TIME).
        steps = min(failures - self.free, 32)
        return last + min(self.pause * self.growth**steps, memory())


def memory() -> timedelta:
    return get_cool_off() or timedelta(days=1)


def per_account() -> Limit:
    return Limit(settings.SIGNIN_FAILURES_PER_ACCOUNT, timedelta(minutes=5), growth=2)


def per_address() -> Limit:
    return Limit(settings.SIGNIN_FAILURES_PER_ADDRESS, timedelta(minutes=15), growth=1)


def paused_until(request: Any, credentials: dict[str, Any] | None = None) -> datetime | None:
    """When sign-in for this e-mail from this address may be tried again, or None if now."""
    now = request.axes_attempt_time
    pair = Q(username=get_client_username(request, credentials))
    totals = AccessAttempt.objects.filter(
        ip_address=request.axes_ip_address, attempt_time__gt=now - memory()
    ).aggregate(
        address_failures=Sum("failures_since_start"),
        address_last=Max("attempt_time"),
        pair_failures=Sum("failures_since_start", filter=pair),
        pair_last=Max("attempt_time", filter=pair),
    )
    ends = [
        end
        for end in (
            per_account().paused_until(totals["pair_failures"] or 0, totals["pair_last"]),
            per_address().paused_until(totals["address_failures"] or 0, totals["address_last"]),
        )
        if end is not None and end > now
    ]
    return max(ends, default=None)


class SignInThrottle(AxesDatabaseHandler):
    """Axes records each failure per (e-mail, address, browser); whether sign-in is paused,
    and until when, is decided here by the two limits above instead of axes's single one."""

    def is_locked(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        return paused_until(request, credentials) is not None

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        super().user_login_failed(sender, credentials, request, **kwargs)
        # The failure that starts a pause answers like the ones during it.
        if (
            request is not None
            and not request.axes_locked_out
            and self.is_locked(request, credentials)
        ):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )


def lockout_response(
    request: Any, original_response: HttpResponse | None = None, credentials: Any = None
) -> HttpResponse:
    """The one answer to a paused sign-in, wherever it was tried: 429, when to try again."""
    now = request.axes_attempt_time
    until = paused_until(request, credentials) or now
    response = render(request, "account/lockout.html", {"until": until}, status=429)
    response["Retry-After"] = str(max(1, math.ceil((until - now).total_seconds())))
    return response
