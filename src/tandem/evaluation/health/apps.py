from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "tandem.evaluation.health"
    label = "health"
    verbose_name = "Health: each partnership's score, its parts and its weekly trend"

    def ready(self) -> None:
        """Take the health snapshots once a week, on the real worker."""
        from tandem.core.schedule import every
        from tandem.evaluation.health.tasks import take_snapshots

        every("week", take_snapshots)
