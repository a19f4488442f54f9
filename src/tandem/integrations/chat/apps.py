from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "tandem.integrations.chat"
    label = "chat"
    verbose_name = "Chat: a partnership's shared Slack or Teams channel"

    def ready(self) -> None:
        """Listen to every write core makes and to the meetings' end; every hour, post each
        channel's to-dos due tomorrow once its partnership's morning has come."""
        from tandem.core.schedule import every
        from tandem.core.services import written
        from tandem.integrations.chat.receivers import on_meeting_ended, on_written
        from tandem.integrations.chat.services import post_due_todos
        from tandem.meetings.services import ON_ENDED

        written.connect(on_written, dispatch_uid="chat.on_written")
        if on_meeting_ended not in ON_ENDED:
            ON_ENDED.append(on_meeting_ended)
        every("hour", post_due_todos)
