from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "tandem.evaluation.dashboard"
    label = "dashboard"

    def ready(self) -> None:
        """Recompute every partnership's standing once an hour, on the real worker."""
        from tandem.core.schedule import every
        from tandem.evaluation.dashboard.standing import refresh_standings

        every("hour", refresh_standings)
