from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "tandem.integrations.webhooks"
    label = "webhooks"
    verbose_name = "Webhooks: events sent, signed, to other tools, retried and logged"

    def ready(self) -> None:
        """Listen to every write core makes and to the meetings' end; sweep the deliveries
        whose retry the worker has not picked up, every hour."""
        from tandem.core.schedule import every
        from tandem.core.services import written
        from tandem.integrations.webhooks.receivers import on_meeting_ended, on_written
        from tandem.integrations.webhooks.services import send_due_deliveries
        from tandem.meetings.services import ON_ENDED

        written.connect(on_written, dispatch_uid="webhooks.on_written")
        if on_meeting_ended not in ON_ENDED:
            ON_ENDED.append(on_meeting_ended)
        every("hour", send_due_deliveries)
