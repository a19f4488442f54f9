from django.apps import AppConfig


class WayConfig(AppConfig):
    name = "tandem.relationship.way"
    label = "way"
