"""When a digest is due: at the person's day and hour on their own clock, sent by the first
hourly run at or after it, in any zone, across daylight-saving changes."""

from __future__ import annotations

import datetime as dt

import pytest

from tandem.evaluation.digest.timing import LATE, due_week, next_due, zone_of

UTC = dt.UTC
MONDAY, SUNDAY = 0, 6


def run(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "first_run", "week"),
    [
        # Winter in Berlin (UTC+1): 08:00 is 07:00 UTC.
        ("Europe/Berlin", "2026-12-07T07:00", "2026-12-07"),
        # New York in winter (UTC-5): 13:00 UTC.
        ("America/New_York", "2026-12-07T13:00", "2026-12-07"),
        # Kolkata is 5:30 ahead: 08:00 is 02:30 UTC; the first run at or after is 03:00.
        ("Asia/Kolkata", "2026-12-07T03:00", "2026-12-07"),
        # Auckland is a day ahead: its Monday 08:00 is Sunday 19:00 UTC.
        ("Pacific/Auckland", "2026-12-06T19:00", "2026-12-07"),
        ("UTC", "2026-12-07T08:00", "2026-12-07"),
    ],
)
def test_the_digest_goes_at_the_first_run_at_or_after_the_local_hour(
    zone: str, first_run: str, week: str
) -> None:
    first = run(first_run)
    before = first - dt.timedelta(hours=1)
    assert due_week(zone_of(zone), MONDAY, 8, first) == dt.date.fromisoformat(week)
    assert due_week(zone_of(zone), MONDAY, 8, before) is None


def test_daylight_saving_moves_the_utc_hour_not_the_local_one() -> None:
    """New York springs forward on Sunday 8 March 2026: Monday 08:00 is 13:00 UTC the week
    before and 12:00 UTC the week after."""
    new_york = zone_of("America/New_York")
    assert due_week(new_york, MONDAY, 8, run("2026-03-02T13:00")) == dt.date(2026, 3, 2)
    assert due_week(new_york, MONDAY, 8, run("2026-03-02T12:00")) is None
    assert due_week(new_york, MONDAY, 8, run("2026-03-09T12:00")) == dt.date(2026, 3, 9)
    assert due_week(new_york, MONDAY, 8, run("2026-03-09T11:00")) is None


def test_an_hour_the_clock_skips_is_sent_just_after_the_change() -> None:
    """02:00 on 8 March 2026 does not happen in New York (01:59 EST → 03:00 EDT): the digest
    goes at 07:00 UTC, which is 03:00 there."""
    new_york = zone_of("America/New_York")
    assert due_week(new_york, SUNDAY, 2, run("2026-03-08T06:00")) is None
    assert due_week(new_york, SUNDAY, 2, run("2026-03-08T07:00")) == dt.date(2026, 3, 2)


def test_an_hour_the_clock_repeats_is_sent_once_at_the_first() -> None:
    """01:00 happens twice in London on 25 October 2026 (BST, then GMT): the first is 00:00
    UTC; the second hour finds the week already due (the sent row stops a second mail)."""
    london = zone_of("Europe/London")
    assert due_week(london, SUNDAY, 1, run("2026-10-24T23:00")) is None
    assert due_week(london, SUNDAY, 1, run("2026-10-25T00:00")) == dt.date(2026, 10, 19)


def test_a_run_missed_for_a_while_still_sends_the_week_but_not_days_late() -> None:
    berlin = zone_of("Europe/Berlin")
    due = run("2026-12-07T07:00")
    assert due_week(berlin, MONDAY, 8, due + LATE - dt.timedelta(hours=1)) == dt.date(2026, 12, 7)
    assert due_week(berlin, MONDAY, 8, due + LATE) is None


def test_a_sunday_digest_of_a_zone_ahead_of_utc_counts_for_its_own_week() -> None:
    """Sunday 23:00 in Kolkata is Sunday 17:30 UTC: the week is the one ending that Sunday."""
    assert due_week(zone_of("Asia/Kolkata"), SUNDAY, 23, run("2026-12-13T18:00")) == dt.date(
        2026, 12, 7
    )


def test_an_unknown_zone_reads_as_utc_and_the_next_digest_is_ahead() -> None:
    assert zone_of("Mars/Olympus").key == "UTC"
    now = run("2026-12-07T09:00")
    assert next_due(zone_of("UTC"), MONDAY, 8, now) == run("2026-12-14T08:00")
    assert next_due(zone_of("UTC"), MONDAY, 10, now) == run("2026-12-07T10:00")
