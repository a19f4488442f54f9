from django.apps import AppConfig


class WayConfig(AppConfig):
    name = "tandem.way"
    label = "way"
