from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "tandem.notifications"
    label = "notifications"
    verbose_name = "Notifications: the bell, mentions and what comes by e-mail"

    def ready(self) -> None:
        """Listen to every write core makes (an owner given, a mention)."""
        from tandem.core.services import written
        from tandem.notifications.receivers import on_written

        written.connect(on_written, dispatch_uid="notifications.on_written")
