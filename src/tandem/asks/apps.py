from django.apps import AppConfig


class AsksConfig(AppConfig):
    name = "tandem.asks"
    label = "asks"
