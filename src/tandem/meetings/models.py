"""Meetings (seed 000): the weekly pulse in six timed sections, the quarterly meeting, who
attended and how they rated it, the headlines of the segue, and each partnership's schedule.

A meeting's state (which section, how long each has run, whether the timer runs) lives on
the row, so every attendee's page, in any process, reads the same meeting, and a reload
loses nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import ClassVar
from zoneinfo import available_timezones

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.timezone import localdate, now

from tandem.core.access import Visibility
from tandem.core.models import PartnershipItem, ScopedQuerySet, Versioned


class Kind(models.TextChoices):
    PULSE = "pulse", "Weekly pulse"
    QUARTERLY = "quarterly", "Quarterly meeting"


# The sections of each kind of meeting, in order: (key, label, default minutes, what happens).
PULSE_SECTIONS: tuple[tuple[str, str, int, str], ...] = (
    ("segue", "Segue", 5, "Good news from each side; partner and customer headlines."),
    ("scorecard", "Scorecard", 5, "The trailing 13 periods; misses drop to the issues list."),
    ("rocks", "Rock review", 5, "Each rock on or off track; off-track drops to the issues list."),
    ("todos", "To-do list", 5, "Done or not done; 90% should drop off every week."),
    ("issues", "Issues", 60, "Vote the top three, then identify, discuss, solve."),
    ("conclusion", "Conclusion", 5, "Recap, loose ends, and a rating from everyone."),
)
QUARTERLY_SECTIONS: tuple[tuple[str, str, int, str], ...] = (
    ("segue", "Segue", 15, "Good news from each side; the quarter's headlines."),
    ("review", "Quarter review", 30, "Last quarter's rocks: done, dropped, and the done rate."),
    (
        "pipeline",
        "Forecast and funnel",
        15,
        "Forecast against actual for the quarter; where deals leak in the funnel.",
    ),
    ("goals", "1-year goals", 30, "Are the goals still right, and are the rocks serving them?"),
    ("next_rocks", "Next quarter's rocks", 60, "Set three to seven rocks, each with an owner."),
    ("issues", "Long-term issues", 90, "Work the long-term list: identify, discuss, solve."),
    ("conclusion", "Conclusion", 15, "Recap, loose ends, and a rating from everyone."),
)
# Keyed by the kind's value: a meeting's ``kind`` is read back from the database as a str.
SECTIONS: dict[str, tuple[tuple[str, str, int, str], ...]] = {
    Kind.PULSE: PULSE_SECTIONS,
    Kind.QUARTERLY: QUARTERLY_SECTIONS,
}


class Weekday(models.IntegerChoices):
    MONDAY = 0, "Monday"
    TUESDAY = 1, "Tuesday"
    WEDNESDAY = 2, "Wednesday"
    THURSDAY = 3, "Thursday"
    FRIDAY = 4, "Friday"
    SATURDAY = 5, "Saturday"
    SUNDAY = 6, "Sunday"


def validate_timezone(value: str) -> None:
    if value not in _timezones():
        raise ValidationError(f"{value!r} is not a time zone we know; pick one from the list.")


_TIMEZONES: frozenset[str] = frozenset()
# Names the zone database carries that are not a place: the machine's own zone and tzdata's
# placeholder for "not set".
NOT_PLACES = frozenset({"localtime", "Factory", "posixrules"})


def _timezones() -> frozenset[str]:
    global _TIMEZONES
    if not _TIMEZONES:
        _TIMEZONES = frozenset(available_timezones() - NOT_PLACES)
    return _TIMEZONES


def _minutes(default: int, label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        f"{label} minutes",
        default=default,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
    )


class Schedule(Versioned):
    """When a partnership meets: its cadence (on the partnership), weekday, local time and
    time zone, from which date, whether a quarterly meeting takes the place of the pulse on
    the quarter's last such weekday, and the timebox of each pulse section."""

    partnership = models.OneToOneField(
        "partners.Partnership", on_delete=models.CASCADE, related_name="schedule"
    )
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices, default=Weekday.TUESDAY)
    time = models.TimeField("local time", default=time(10, 0))
    timezone = models.CharField(
        "time zone", max_length=64, default="UTC", validators=[validate_timezone]
    )
    starts_on = models.DateField("first meeting on or after", default=localdate)
    quarterly = models.BooleanField(
        "hold a quarterly meeting",
        default=True,
        help_text="On the last meeting day of each quarter, in place of the pulse.",
    )
    segue_minutes = _minutes(5, "segue")
    scorecard_minutes = _minutes(5, "scorecard")
    rocks_minutes = _minutes(5, "rock review")
    todos_minutes = _minutes(5, "to-do list")
    issues_minutes = _minutes(60, "issues")
    conclusion_minutes = _minutes(5, "conclusion")

    concurrency_fields = (
        "weekday",
        "time",
        "timezone",
        "starts_on",
        "quarterly",
        "segue_minutes",
        "scorecard_minutes",
        "rocks_minutes",
        "todos_minutes",
        "issues_minutes",
        "conclusion_minutes",
    )
    # The schedule is the partnership's own record, like the partnership itself.
    activity_visibility = Visibility.INTERNAL

    class Meta:
        verbose_name = "meeting schedule"

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.time:%H:%M} {self.timezone}"

    @property
    def workspace_id(self) -> int:
        return self.partnership.workspace_id

    def timeboxes(self, kind: str) -> list[tuple[str, int]]:
        """(section, minutes) of a meeting of ``kind``: the pulse from this schedule, the
        quarterly meeting from its defaults."""
        if kind == Kind.QUARTERLY:
            return [(key, minutes) for key, _, minutes, _ in QUARTERLY_SECTIONS]
        return [(key, getattr(self, f"{key}_minutes")) for key, _, _, _ in PULSE_SECTIONS]


def default_timeboxes(kind: str) -> list[tuple[str, int]]:
    return [(key, minutes) for key, _, minutes, _ in SECTIONS[kind]]


class MeetingQuerySet(ScopedQuerySet):
    def live(self) -> MeetingQuerySet:
        return self.filter(ended_at__isnull=True)

    def ended(self) -> MeetingQuerySet:
        return self.filter(ended_at__isnull=False)


MeetingManager = models.Manager.from_queryset(MeetingQuerySet)


class Meeting(PartnershipItem):
    """One meeting of a partnership, held by both sides: always shared (the items shown in
    it keep their own visibility)."""

    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.PULSE)
    scheduled_for = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(default=now)
    ended_at = models.DateTimeField(null=True, blank=True)
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # [[section, minutes], …] as they were when the meeting started.
    timeboxes = models.JSONField(default=list)
    section = models.CharField(max_length=16, default="segue")
    # Seconds each section ran before the current run ({section: seconds}).
    elapsed = models.JSONField(default=dict, blank=True)
    # When the current section's timer last started; null while paused.
    running_since = models.DateTimeField(null=True, blank=True)
    # What the meeting produced, stored when it ends (tandem.meetings.recap).
    recap = models.JSONField(default=dict, blank=True)
    # What a history search matches: every item's words, and the shared items' only.
    recap_text = models.TextField(blank=True, editable=False)
    recap_text_shared = models.TextField(blank=True, editable=False)
    recap_sent_at = models.DateTimeField(null=True, blank=True)
    rating_average = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)

    objects: ClassVar[MeetingManager] = MeetingManager()

    concurrency_fields = ("section", "facilitator")

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["partnership", "-started_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership"],
                condition=Q(ended_at__isnull=True),
                name="one_live_meeting_per_partnership",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.started_at:%d %b %Y}"

    @property
    def is_live(self) -> bool:
        return self.ended_at is None

    @property
    def section_keys(self) -> list[str]:
        return [key for key, _ in self.timeboxes]

    def section_seconds(self, key: str, at: datetime | None = None) -> int:
        seconds = int(self.elapsed.get(key, 0))
        if key == self.section and self.running_since is not None and self.is_live:
            seconds += int(((at or now()) - self.running_since).total_seconds())
        return max(seconds, 0)

    def timebox_seconds(self, key: str) -> int:
        return dict(self.timeboxes).get(key, 0) * 60

    @property
    def duration(self) -> timedelta | None:
        if self.ended_at is None:
            return None
        return self.ended_at - self.started_at


class Side(models.TextChoices):
    MEMBER = "member", "Our side"
    PARTNER = "partner", "Partner side"


class Attendee(models.Model):
    """Someone at a meeting: joined when they opened it, rated it 1–10 or was marked
    absent."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    side = models.CharField(max_length=8, choices=Side.choices)
    joined_at = models.DateTimeField(null=True, blank=True)
    rating = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    absent = models.BooleanField(default=False)

    class Meta:
        ordering = ["side", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "user"], name="one_attendance_per_person")
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.meeting}"

    @property
    def is_partner_side(self) -> bool:
        return self.side == Side.PARTNER


class HeadlineKind(models.TextChoices):
    GOOD_NEWS = "good_news", "Good news"
    PARTNER = "partner", "Partner news"
    CUSTOMER = "customer", "Customer news"


class Headline(PartnershipItem):
    """Good news or a headline told in a meeting's segue."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="headlines")
    kind = models.CharField(max_length=16, choices=HeadlineKind.choices)
    text = models.CharField(max_length=300)

    concurrency_fields = ("kind", "text", "visibility")

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text


class CalendarFeed(models.Model):
    """A person's private calendar address. Only the digest of its secret is kept; resetting
    it makes the old address stop working."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"calendar feed of {self.user}"


class NextMeeting(models.Model):
    """When a partnership's next meeting starts (None: none within the schedule horizon),
    as its schedule and cadence said when ``after`` was the time: so that a home page of a
    thousand partnerships reads the soonest few in SQL instead of walking every schedule.

    Not a cached page: exactly ``next_occurrence(partnership, schedule, after)``, read
    again (``schedule.soonest``) when the partnership's data version moved on (a changed
    schedule, cadence or stage), when the meeting has started, or when asked about a time
    before ``after``."""

    partnership = models.OneToOneField(
        "partners.Partnership", on_delete=models.CASCADE, related_name="next_meeting"
    )
    start = models.DateTimeField(null=True, blank=True, db_index=True)
    after = models.DateTimeField()
    data_version = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"Next meeting of {self.partnership_id}"
