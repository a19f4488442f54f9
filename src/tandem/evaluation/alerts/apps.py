from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tandem.evaluation.alerts"
    label = "alerts"

    def ready(self) -> None:
        """Recompute every partnership's standing once an hour, on the real worker."""
        from tandem.core.schedule import every
        from tandem.evaluation.alerts.standing import refresh_standings

        every("hour", refresh_standings)
