from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "tandem.relationship.asks"
    label = "asks"
