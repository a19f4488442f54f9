from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "tandem.exchange.pipeline"
    label = "pipeline"

    def ready(self) -> None:
        """Keep the program funnel's tallies counted once an hour, and its days in stage once
        a day, on the real worker."""
        from tandem.core.schedule import every
        from tandem.exchange.pipeline.stays import count_stays
        from tandem.exchange.pipeline.tallies import refresh_tallies

        every("hour", refresh_tallies)
        every("hour", count_stays)
