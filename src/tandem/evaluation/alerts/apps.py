from django.apps import AppConfig


class AlertsConfig(AppConfig):
    name = "tandem.evaluation.alerts"
    label = "alerts"
