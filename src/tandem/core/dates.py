"""How a day and a time zone are written for people: one style on every page and in every
e-mail, so a recap's "due Sat 12 Dec" reads like the to-do list's."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.utils import timezone

# English day and month names, as Django's "D" and "M" formats write them (the product is in
# English): written directly, a day costs a page a microsecond instead of twenty.
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day(value: date | datetime | str | None, *, today: date | None = None) -> str:
    """ "Sat 12 Dec", with the year when it is not this year's: "Fri 12 Dec 2025". A
    datetime is read on the current clock; an ISO text (as recaps store days) is parsed."""
    if not value:
        return ""
    if isinstance(value, str):
        text = value
        try:
            value = date.fromisoformat(text[:10])
        except ValueError:
            return text
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    today = today or timezone.localdate()
    text = f"{_WEEKDAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]}"
    return text if value.year == today.year else f"{text} {value.year}"


def zone_label(key: str | None, *, at: datetime | None = None) -> str:
    """ "America/New_York" as "New York (EST)": the place a reader knows and the clock's
    abbreviation now (EDT in summer); a zone without letters shows its offset, "UTC+03"."""
    if not key:
        return ""
    try:
        zone = ZoneInfo(key)
    except (ZoneInfoNotFoundError, ValueError):
        return key
    place = key.rsplit("/", 1)[-1].replace("_", " ")
    abbreviation = (at or timezone.now()).astimezone(zone).tzname() or ""
    if abbreviation[:1] in "+-":
        abbreviation = f"UTC{abbreviation}"
    if key in {"UTC", "Etc/UTC"} or place == abbreviation:
        return abbreviation or key
    return f"{place} ({abbreviation})" if abbreviation else place


def quarter_of(day: date) -> tuple[int, int]:
    """The (year, quarter) a day falls in."""
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """First and last day of a quarter."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end - timedelta(days=1)
