from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    label = "meetings"
    verbose_name = "Meetings: the weekly pulse, the quarterly meeting and their recaps"

    def ready(self) -> None:
        """Keep each partnership's next meeting computed once an hour, on the real worker."""
        from tandem.core.schedule import every
        from tandem.meetings.schedule.soonest import refresh_next_meetings

        every("hour", refresh_next_meetings)
