from django.apps import AppConfig


class DiligenceConfig(AppConfig):
    name = "tandem.relationship.diligence"
    label = "diligence"
