from django.apps import AppConfig


class DiligenceConfig(AppConfig):
    name = "tandem.diligence"
    label = "diligence"
