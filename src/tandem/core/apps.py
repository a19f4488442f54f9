from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "tandem.core"
    label = "core"
    verbose_name = "Shared mechanisms"

    def ready(self) -> None:
        """Keep SQLite's query planner statistics fresh, once an hour on the worker."""
        from tandem.core.maintenance import refresh_statistics
        from tandem.core.schedule import every

        every("hour", refresh_statistics)
