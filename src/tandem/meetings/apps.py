from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tandem.meetings"
    label = "meetings"
    verbose_name = "Meetings: the weekly pulse, the quarterly meeting and their recaps"
