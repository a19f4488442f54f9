from django.apps import AppConfig


class PipelineConfig(AppConfig):
    name = "tandem.exchange.pipeline"
    label = "pipeline"
