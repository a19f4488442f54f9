"""The digest over HTTP: your choices of day and hour (in your time zone), or off."""

from typing import Any, Literal

from ninja import Field, Router, Schema

from tandem.core.http import TandemRequest
from tandem.evaluation.digest import services

router = Router(tags=["Digest"])
USER = {"x-access": "user"}

DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
DayName = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class DigestPreferencesOut(Schema):
    enabled: bool = Field(description="Whether the weekly digest is sent to you")
    day: DayName = Field(description="The day it comes, on your clock")
    hour: int = Field(ge=0, le=23, description="The hour it comes, on your clock (0–23)")
    timezone: str = Field(description="Your time zone (IANA name), which day and hour read in")


class DigestPreferencesIn(Schema):
    enabled: bool
    day: DayName
    hour: int = Field(ge=0, le=23)
    timezone: str | None = Field(
        None,
        max_length=64,
        description="Your time zone (IANA name, e.g. Europe/Berlin); left out: unchanged",
    )


def _out(user: Any) -> dict[str, Any]:
    preference = services.preference_of(user)
    return {
        "enabled": preference.enabled,
        "day": DAYS[preference.weekday],
        "hour": preference.hour,
        "timezone": user.timezone or "UTC",
    }


@router.get(
    "/digest/preferences",
    response=DigestPreferencesOut,
    openapi_extra=USER,
    summary="When your weekly digest comes",
)
def get_digest_preferences(request: TandemRequest) -> Any:
    return _out(request.user)


@router.put(
    "/digest/preferences",
    response=DigestPreferencesOut,
    openapi_extra=USER,
    summary="Choose when your weekly digest comes, or turn it off",
)
def set_digest_preferences(request: TandemRequest, payload: DigestPreferencesIn) -> Any:
    user: Any = request.user
    services.preferences_set(
        user,
        enabled=payload.enabled,
        weekday=DAYS.index(payload.day),
        hour=payload.hour,
        timezone=payload.timezone,
    )
    return _out(user)
