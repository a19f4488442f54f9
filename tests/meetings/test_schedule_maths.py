"""When partnerships meet: the occurrences a schedule produces, across cadences, quarters,
time zones and daylight-saving changes. Pure arithmetic: no database."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tandem.meetings.models import Kind, Schedule, Weekday
from tandem.meetings.schedule.dates import next_occurrence, occurrences, upcoming
from tandem.meetings.schedule.selectors import when
from tandem.partners.models import Partnership


def _plan(
    cadence: str = "weekly",
    *,
    weekday: int = Weekday.TUESDAY,
    at: time = time(9, 0),
    zone: str = "America/New_York",
    starts_on: date = date(2026, 1, 1),
    quarterly: bool = True,
    stage: str = "active",
) -> tuple[Partnership, Schedule]:
    partnership = Partnership(pk=7, name="Northwind", stage=stage, cadence=cadence)
    schedule = Schedule(
        partnership=partnership,
        weekday=weekday,
        time=at,
        timezone=zone,
        starts_on=starts_on,
        quarterly=quarterly,
    )
    return partnership, schedule


def _utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def _starts(found: list) -> list[datetime]:
    return [o.start.astimezone(UTC) for o in found]


def test_weekly_meetings_keep_their_new_york_wall_time_across_the_spring_change() -> None:
    partnership, schedule = _plan()
    found = occurrences(partnership, schedule, _utc(2026, 3, 1), _utc(2026, 3, 15))
    # 8 March 2026: New York moves from EST (-5) to EDT (-4).
    assert _starts(found) == [_utc(2026, 3, 3, 14), _utc(2026, 3, 10, 13)]
    assert [o.start.hour for o in found] == [9, 9]
    assert [o.start.tzname() for o in found] == ["EST", "EDT"]


def test_weekly_meetings_keep_their_new_york_wall_time_across_the_autumn_change() -> None:
    partnership, schedule = _plan()
    found = occurrences(partnership, schedule, _utc(2026, 10, 26), _utc(2026, 11, 8))
    # 1 November 2026: back to EST.
    assert _starts(found) == [_utc(2026, 10, 27, 13), _utc(2026, 11, 3, 14)]


def test_berlin_meetings_move_in_utc_both_ways() -> None:
    partnership, schedule = _plan(weekday=Weekday.MONDAY, at=time(10, 0), zone="Europe/Berlin")
    spring = occurrences(partnership, schedule, _utc(2026, 3, 22), _utc(2026, 4, 1))
    autumn = occurrences(partnership, schedule, _utc(2026, 10, 18), _utc(2026, 10, 28))
    # Summer time from 29 March to 25 October 2026.
    assert _starts(spring) == [_utc(2026, 3, 23, 9), _utc(2026, 3, 30, 8)]
    assert _starts(autumn) == [_utc(2026, 10, 19, 8), _utc(2026, 10, 26, 9)]
    assert [o.start.tzname() for o in spring] == ["CET", "CEST"]


def test_a_time_that_does_not_exist_moves_on_by_the_gap() -> None:
    partnership, schedule = _plan(weekday=Weekday.SUNDAY, at=time(2, 30))
    found = occurrences(partnership, schedule, _utc(2026, 3, 7), _utc(2026, 3, 9))
    assert len(found) == 1
    assert found[0].start.astimezone(UTC) == _utc(2026, 3, 8, 7, 30)
    assert (found[0].start.hour, found[0].start.minute) == (3, 30)


def test_a_time_that_happens_twice_is_the_first_one() -> None:
    partnership, schedule = _plan(weekday=Weekday.SUNDAY, at=time(1, 30))
    found = occurrences(partnership, schedule, _utc(2026, 10, 31), _utc(2026, 11, 2))
    assert _starts(found) == [_utc(2026, 11, 1, 5, 30)]  # 01:30 EDT, not 01:30 EST


def test_a_kolkata_meeting_read_in_utc() -> None:
    partnership, schedule = _plan(at=time(18, 0), zone="Asia/Kolkata")
    found = occurrences(partnership, schedule, _utc(2026, 4, 13), _utc(2026, 4, 20))
    assert _starts(found) == [_utc(2026, 4, 14, 12, 30)]
    assert when(found[0].start) == "Tue 14 Apr, 18:00 IST"
    assert when(found[0].start, ZoneInfo("UTC")) == "Tue 14 Apr, 12:30 UTC"


def test_every_two_weeks_counts_from_the_first_meeting() -> None:
    partnership, schedule = _plan("biweekly", starts_on=date(2026, 1, 5), quarterly=False)
    found = occurrences(partnership, schedule, _utc(2026, 1, 1), _utc(2026, 2, 28))
    assert [o.local_date for o in found] == [
        date(2026, 1, 6),
        date(2026, 1, 20),
        date(2026, 2, 3),
        date(2026, 2, 17),
    ]


def test_monthly_is_the_same_nth_weekday_as_the_first_meeting() -> None:
    # 13 January 2026 is the second Tuesday.
    partnership, schedule = _plan("monthly", starts_on=date(2026, 1, 13), quarterly=False)
    found = occurrences(partnership, schedule, _utc(2026, 1, 1), _utc(2026, 5, 1))
    assert [o.local_date for o in found] == [
        date(2026, 1, 13),
        date(2026, 2, 10),
        date(2026, 3, 10),
        date(2026, 4, 14),
    ]


def test_monthly_from_a_fifth_weekday_is_the_last_of_each_month() -> None:
    # 29 September 2026 is the fifth Tuesday; October has five too, November four.
    partnership, schedule = _plan("monthly", starts_on=date(2026, 9, 29), quarterly=False)
    found = occurrences(partnership, schedule, _utc(2026, 9, 1), _utc(2026, 12, 1))
    assert [o.local_date for o in found] == [
        date(2026, 9, 29),
        date(2026, 10, 27),
        date(2026, 11, 24),
    ]


def test_the_quarter_s_last_meeting_is_the_quarterly_meeting() -> None:
    partnership, schedule = _plan()
    found = occurrences(partnership, schedule, _utc(2026, 3, 20), _utc(2026, 4, 10))
    assert [(o.local_date, o.kind) for o in found] == [
        (date(2026, 3, 24), Kind.PULSE),
        (date(2026, 3, 31), Kind.QUARTERLY),
        (date(2026, 4, 7), Kind.PULSE),
    ]
    pulse, quarterly = found[0], found[1]
    assert pulse.minutes == 5 + 5 + 5 + 5 + 60 + 5
    assert quarterly.minutes == 15 + 45 + 30 + 60 + 90 + 15
    assert quarterly.end - quarterly.start == timedelta(minutes=255)


def test_pulse_length_follows_the_partnership_s_timeboxes() -> None:
    partnership, schedule = _plan()
    schedule.issues_minutes = 30
    schedule.segue_minutes = 10
    found = occurrences(partnership, schedule, _utc(2026, 1, 5), _utc(2026, 1, 12))
    assert found[0].minutes == 10 + 5 + 5 + 5 + 30 + 5


def test_no_quarterly_meeting_when_it_is_off() -> None:
    partnership, schedule = _plan(quarterly=False)
    found = occurrences(partnership, schedule, _utc(2026, 1, 1), _utc(2026, 12, 31))
    assert {o.kind for o in found} == {Kind.PULSE}
    assert len(found) == 52


def test_every_two_weeks_the_quarter_s_last_meeting_is_quarterly() -> None:
    partnership, schedule = _plan("biweekly", starts_on=date(2026, 1, 6))
    found = occurrences(partnership, schedule, _utc(2026, 1, 1), _utc(2026, 12, 31))
    assert [o.local_date for o in found if o.kind == Kind.QUARTERLY] == [
        date(2026, 3, 31),
        date(2026, 6, 23),
        date(2026, 9, 29),
        date(2026, 12, 22),
    ]


def test_cadence_quarterly_holds_only_the_quarterly_meetings() -> None:
    partnership, schedule = _plan("quarterly", starts_on=date(2026, 2, 1))
    found = occurrences(partnership, schedule, _utc(2026, 1, 1), _utc(2027, 1, 1))
    assert [(o.local_date, o.kind) for o in found] == [
        (date(2026, 3, 31), Kind.QUARTERLY),
        (date(2026, 6, 30), Kind.QUARTERLY),
        (date(2026, 9, 29), Kind.QUARTERLY),
        (date(2026, 12, 29), Kind.QUARTERLY),
    ]


def test_nothing_before_the_first_meeting_day() -> None:
    partnership, schedule = _plan(starts_on=date(2026, 6, 10))  # a Wednesday
    found = occurrences(partnership, schedule, _utc(2026, 6, 1), _utc(2026, 6, 30))
    assert found[0].local_date == date(2026, 6, 16)


@pytest.mark.parametrize("stage", ["paused", "ended"])
def test_paused_and_ended_partnerships_do_not_meet(stage: str) -> None:
    partnership, schedule = _plan(stage=stage)
    assert occurrences(partnership, schedule, _utc(2026, 1, 1), _utc(2026, 12, 31)) == []
    assert next_occurrence(partnership, schedule, _utc(2026, 1, 1)) is None


def test_archived_partnerships_do_not_meet() -> None:
    partnership, schedule = _plan()
    partnership.archived_at = _utc(2026, 1, 1)
    assert next_occurrence(partnership, schedule, _utc(2026, 1, 1)) is None


def test_next_occurrence_is_the_first_at_or_after() -> None:
    partnership, schedule = _plan()
    # Tuesday 10 March 2026, 09:00 EDT = 13:00 UTC.
    assert next_occurrence(partnership, schedule, _utc(2026, 3, 10, 13)).start.astimezone(
        UTC
    ) == _utc(2026, 3, 10, 13)
    later = next_occurrence(partnership, schedule, _utc(2026, 3, 10, 13, 1))
    assert later.local_date == date(2026, 3, 17)


def test_next_occurrence_waits_for_a_future_start() -> None:
    partnership, schedule = _plan("monthly", starts_on=date(2027, 5, 1))
    found = next_occurrence(partnership, schedule, _utc(2026, 1, 1))
    assert found.local_date == date(2027, 5, 4)


def test_upcoming_lists_the_next_five() -> None:
    partnership, schedule = _plan()
    found = upcoming(partnership, schedule, _utc(2026, 3, 1), 5)
    assert [o.local_date.day for o in found] == [3, 10, 17, 24, 31]
    assert found[-1].kind == Kind.QUARTERLY
